/**
 * Counts stated in the text, each with the sentence it comes from. Patterns are deliberately
 * narrow: a count we do not read costs nothing, a count read into the wrong path is a false alarm.
 */
import type { DocumentModel } from '../extract/model.ts';
import type { Template } from '../report/paths.ts';
import type { Claim } from '../report/schema.ts';
import { compact } from './text.ts';

const DIGITS = '零〇一二两三四五六七八九十百千';
const NUM = `(\\d+|[${DIGITS}]+)`;

const CN: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 3119, or a small Chinese numeral (两, 十二, 一百零五). */
export function readCount(s: string): number | undefined {
  if (/^\d+$/.test(s)) return Number(s);
  let total = 0;
  let digit = 0;
  for (const ch of s) {
    if (ch in CN) digit = CN[ch];
    else {
      const unit = ch === '十' ? 10 : ch === '百' ? 100 : ch === '千' ? 1000 : 0;
      if (!unit) return undefined;
      total += (digit || 1) * unit;
      digit = 0;
    }
  }
  return total + digit;
}

interface Sentence {
  text: string;
  page?: number;
  /** For a clause: the whole sentence (to 。) it is part of, which says what the clause is about. */
  sentence?: string;
}

/** Paragraph texts, joined where a paragraph was cut mid-sentence (page breaks) and kept apart after headings. */
function paragraphs(model: DocumentModel): Sentence[] {
  const out: Sentence[] = [];
  let buf = '';
  let page: number | undefined;
  let bufIsHeading = false;
  const flush = () => {
    if (buf) out.push({ text: buf, page });
    buf = '';
  };
  for (const b of model.blocks) {
    if (b.kind !== 'paragraph') {
      flush();
      continue;
    }
    const t = compact(b.text);
    if (!t) continue;
    const heading = HEADING.test(t);
    if (buf && (heading || bufIsHeading || /[。！？：:;；]$/u.test(buf))) flush();
    if (!buf) {
      page = b.page;
      bufIsHeading = heading && t.length <= 30 && !/[。，,]/u.test(t);
    }
    buf += t;
  }
  flush();
  return out;
}

/** Clauses end at ；too: lists of counts (予以公开…；不予公开…；) are read one clause at a time. */
function sentences(paras: Sentence[]): Sentence[] {
  return paras.flatMap((p) =>
    p.text
      .split(/(?<=[。！？!?])/u)
      .flatMap((sentence) => sentence.split(/(?<=[；;])/u).map((text) => ({ text, page: p.page, sentence })))
      .filter((s) => s.text.trim()),
  );
}

/** A section or sub-section heading: 一、… or （二）… */
const HEADING = /^([一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）])/u;

/** The clause of `text` around position i (between commas). */
function clauseAt(text: string, i: number): string {
  const start = Math.max(...['，', ',', '；', ';', '。'].map((p) => text.lastIndexOf(p, i))) + 1;
  const ends = ['，', ',', '；', ';', '。'].map((p) => text.indexOf(p, i)).filter((x) => x >= 0);
  return text.slice(start, ends.length ? Math.min(...ends) : text.length);
}

/** The sentence of `text` around position i. */
function sentenceAt(text: string, i: number): string {
  const start = Math.max(...['。', '！', '？'].map((p) => text.lastIndexOf(p, i))) + 1;
  const ends = ['。', '！', '？'].map((p) => text.indexOf(p, i)).filter((x) => x >= 0);
  return text.slice(start, ends.length ? Math.min(...ends) + 1 : text.length);
}

type Rule = { re: RegExp; path: string; num?: number; general?: boolean; guard?: (m: RegExpExecArray) => boolean };

/** Sentences about other services (审批, 12345, 咨询) carry false friends. */
const OFF_TOPIC = /咨询|投诉|举报|问政|审批|来信|来访|热线|12345|信访|政务服务|便民|复议|诉讼/u;
const ABOUT_REQUESTS = /公开申请|依申请|信息公开|申请公开/u;
/** A count of a wider body than the report's (全市各级行政机关共受理…), not this table's. */
const WIDER_SCOPE = /各级|各部门|各单位|所属|下属|各县|各区|各乡镇|各街道|全[省市县区][^，,；;]{0,6}行政机关/u;
/** A count of another year, or a change (较去年增加5件). */
const OTHER_YEAR = /较|比上|比去|增加|减少|增长|下降|同比|上年度?(?:共|受理|收到)|去年|上一年|同期/u;

const RECEIVED = `(?:受理|收到|新收|接收|接到)([^，。；,;：]{0,30}?)(?:共计|共|合计)?${NUM}(余)?件`;

const REQUEST_RULES: Rule[] = [
  {
    re: new RegExp(RECEIVED, 'u'),
    path: 'requests.received.total',
    num: 2,
    general: true,
    guard: (m) => ABOUT_REQUESTS.test(m[1] + '件') && !OTHER_YEAR.test(m[1]),
  },
  // 共收到70件申请: the count before the noun.
  { re: new RegExp(`(?:受理|收到|新收)(?:了)?(?:共计|共)?${NUM}件(?:政府信息公开|依申请公开)?申请`, 'u'), path: 'requests.received.total', general: true },
  { re: new RegExp(`(?:含|包括|其中)?上(?:一)?年度?结转(?:的)?(?:政府信息公开)?(?:申请)?${NUM}件`, 'u'), path: 'requests.carriedOver.total' },
  { re: new RegExp(`${NUM}件(?:申请)?(?:[^，。；,;]{0,6}?)(?:顺延|结转|转入)(?:到|至|入)?下(?:一)?年`, 'u'), path: 'requests.carriedForward.total' },
  { re: new RegExp(`结转(?:到|至)?下(?:一)?年度?(?:继续办理)?(?:的)?(?:申请)?${NUM}件`, 'u'), path: 'requests.carriedForward.total' },
  { re: new RegExp(`结转(?:到|至)(?:19|20)\\d{2}年度?${NUM}件`, 'u'), path: 'requests.carriedForward.total' },
  // 答复3050件 is every result; 公开答复1件, 延期答复3件 are kinds of result, not the total.
  {
    re: new RegExp(`(?<![公开予以同意部分不延期按期网上书面当场电话逾期])(?:答复|办结)(?:了)?(?:政府信息公开申请|依申请公开|依申请|申请)?件?(?:共)?${NUM}件`, 'u'),
    path: 'requests.resultsTotal.total',
    general: true,
  },
  { re: new RegExp(`予以公开(?:及|和|与|或)部分公开(?:的)?${NUM}件`, 'u'), path: 'requests.disclosed.total' },
  { re: new RegExp(`(?<![不及和与])(?:予以公开|同意公开)(?:答复)?(?:的)?${NUM}件(?![(（]含部分)`, 'u'), path: 'requests.granted.total' },
  // 予以公开10件（含部分公开2件）: both kinds together.
  { re: new RegExp(`(?<![不及和与])(?:予以公开|同意公开)(?:答复)?(?:的)?${NUM}件[(（]含部分公开`, 'u'), path: 'requests.disclosed.total' },
  { re: new RegExp(`(?<![及和与含])部分公开(?:的)?${NUM}件`, 'u'), path: 'requests.partiallyGranted.total' },
  { re: new RegExp(`不予公开(?:的)?${NUM}件`, 'u'), path: 'requests.withheld.total' },
  { re: new RegExp(`无法提供(?:的)?${NUM}件`, 'u'), path: 'requests.unavailable.total' },
  { re: new RegExp(`不予处理(?:的)?${NUM}件`, 'u'), path: 'requests.rejected.total' },
  { re: new RegExp(`其他处理(?:的)?${NUM}件`, 'u'), path: 'requests.otherHandling.total' },
];

const APPLICANTS: [string, string][] = [
  ['自然人', 'naturalPerson'],
  ['商业企业', 'commercial'],
  ['科研机构', 'research'],
  ['社会公益组织', 'nonprofit'],
  ['法律服务机构', 'legalService'],
];

const REVIEW_PARTS: [string, string][] = [
  ['结果维持', 'upheld'],
  ['结果纠正', 'corrected'],
  ['其他结果', 'other'],
  ['尚未审结', 'pending'],
];

function claim(path: string, value: number, text: string, page: number | undefined): Claim {
  const c: Claim = { path, value, text };
  if (page !== undefined) c.page = page;
  return c;
}

/** 表四 claims: combined totals, then 行政复议 and 行政诉讼 each with the results that follow them. */
function reviewClaims(s: string, page: number | undefined, out: Claim[]): void {
  const combined = new RegExp(`行政复议(?:和|及|与|、|或)(?:提起)?行政诉讼(?:案件)?(?:共计|共|合计)?${NUM}[件起宗个]`, 'u').exec(s);
  let rest = s;
  if (combined) {
    const v = readCount(combined[1]);
    if (v !== undefined) out.push(claim('reviewLitigation.all.total', v, s, page));
    rest = s.replace(combined[0], '');
  }
  const heads: [RegExp, string][] = [
    [new RegExp(`行政复议(?:案件|申请)?(?:共计|共|合计)?${NUM}[件起宗个]`, 'u'), 'review'],
    [new RegExp(`诉讼(?:案件)?(?:共计|共|合计)?${NUM}[件起宗个]`, 'u'), 'suit'],
  ];
  for (const [re, group] of heads) {
    const m = re.exec(rest);
    if (!m) continue;
    const v = readCount(m[1]);
    if (v === undefined) continue;
    out.push(claim(`reviewLitigation.${group}.total`, v, s, page));
    // Results listed right after: 其中结果维持72件，结果纠正64件… up to the next 行政复议/诉讼.
    const after = rest.slice(m.index + m[0].length).split(/行政复议|诉讼/u)[0];
    for (const [zh, key] of REVIEW_PARTS) {
      const p = new RegExp(`${zh}${NUM}[件起宗个]`, 'u').exec(after);
      const pv = p && readCount(p[1]);
      if (pv !== undefined && pv !== null) out.push(claim(`reviewLitigation.${group}.${key}`, pv, s, page));
    }
  }
}

/** The first match of `pattern` in `s` that `ok` accepts. */
function firstMatch(pattern: string, s: string, ok: (m: RegExpExecArray) => boolean): RegExpExecArray | undefined {
  const re = new RegExp(pattern, 'gu');
  for (let m = re.exec(s); m; m = re.exec(s)) if (ok(m)) return m;
  return undefined;
}

/** Words that make a 表二 count another column's (现行有效, 累计) or a combined one (规章和规范性文件). */
const NOT_ISSUED = /现行有效|累计|共有|现有|废止|失效|修订|修改|清理|规章[和及与、]|[和及与、](?:行政)?规范性文件/u;

function activeClaims(s: string, template: Template | undefined, page: number | undefined, out: Claim[]): void {
  const issued = template === '2019' ? 'published' : 'issued';
  const push = (path: string, n: string) => {
    const v = readCount(n);
    if (v !== undefined) out.push(claim(path, v, s, page));
  };
  const inForce = new RegExp(`现行有效(?:的)?(?:行政)?规范性文件${NUM}件`, 'u').exec(s);
  if (inForce && template !== '2019') push('active.normativeDocs.inForce', inForce[1]);
  const docs = firstMatch(`(?:制发|印发|出台|新增|制定|发布|公开)([^，。；,;]{0,10}?)(?:行政)?规范性文件${NUM}件`, s, (m) => !NOT_ISSUED.test(m[0]));
  if (docs) push(`active.normativeDocs.${issued}`, docs[2]);
  // 主动公开规章13件，行政规范性文件60件: the verb covers the whole list.
  const listed = firstMatch(`(?:制发|新增|制定|发布|出台|公开)([^，。；,;]{0,8}?)规章${NUM}件[，、,](?:行政)?规范性文件${NUM}件`, s, (m) => !NOT_ISSUED.test(m[1]));
  if (listed && !docs) push(`active.normativeDocs.${issued}`, listed[3]);
  const rules = firstMatch(`(?:制发|新增|制定|发布|出台|公开)([^，。；,;]{0,8}?)规章${NUM}件`, s, (m) => !NOT_ISSUED.test(m[1]));
  if (rules) push(`active.rules.${issued}`, rules[2]);
  const repealed = new RegExp(`废止([^，。；,;]{0,10}?)(?:行政)?规范性文件${NUM}件`, 'u').exec(s);
  if (repealed && template !== '2019' && !/修订|修改|和|及|、/u.test(repealed[1])) push('active.normativeDocs.repealed', repealed[2]);
}

/** Items of a list that name channels overlap (网站800条，新媒体600条): they are not parts of a total. */
const CHANNELS = /网站|新媒体|微博|微信|公众号|平台|客户端|公报|抖音|头条/u;

/** 主动公开政府信息244条，其中，机构设置3条，政策文件5条… */
function activeItems(s: string, page: number | undefined, out: Claim[]): void {
  const m = new RegExp(`(?:主动|依法|累计)?公开(?:[^，。；,;]{0,16}?)(?:政府)?信息(?:共计|共)?${NUM}(余)?条`, 'u').exec(s);
  if (!m) return;
  const total = readCount(m[1]);
  if (total === undefined) return;
  const c = claim('narrative.activeItems.total', total, sentenceAt(s, m.index), page);
  if (m[2]) c.approximate = true;
  if (WIDER_SCOPE.test(clauseAt(s, m.index)) || OTHER_YEAR.test(clauseAt(s, m.index))) return;
  // The list of parts ends with the sentence, or where a new statement starts (；另…); a
  // breakdown in brackets belongs to the item before it.
  const after = s
    .slice(m.index + m[0].length)
    .split(/[。!?！？]|[；;](?=另|此外|同时|还|并)/u)[0]
    .replace(/[(（][^)）]*[)）]/gu, '');
  const marker = /^[，,：:；;]?(?:其中|期中|包括|含)[，,：:]?/u.exec(after);
  if (marker && !c.approximate) {
    const segments = after.slice(marker[0].length).split(/[，,；;、]/u).filter((x) => x !== '');
    const counts = segments.map((seg) => new RegExp(`^[^\\d]*?${NUM}条$`, 'u').exec(seg));
    // The items run until the first segment that is not one; a list that ends in 等 or holds a
    // count further on is not a complete breakdown.
    const k = counts.findIndex((x) => !x);
    const items = k < 0 ? counts : counts.slice(0, k);
    const complete = k < 0 || (!/\d+[条项]/u.test(segments[k]) && counts.slice(k).every((x) => !x));
    if (items.length >= 2 && complete && !segments.slice(0, items.length).some((x) => CHANNELS.test(x))) {
      c.parts = items.map((x) => readCount(x![1])!);
    }
  }
  out.push(c);
}

export function readClaims(model: DocumentModel, template: Template | undefined): Claim[] {
  const out: Claim[] = [];
  const paras = paragraphs(model);
  for (const { text: s, page, sentence = s } of sentences(paras)) {
    const aboutRequests = ABOUT_REQUESTS.test(sentence) || /申请/.test(sentence);
    for (const rule of REQUEST_RULES) {
      if (rule.general && !aboutRequests) continue;
      const m = rule.re.exec(s);
      if (!m || (rule.guard && !rule.guard(m))) continue;
      const clause = clauseAt(s, m.index);
      if (WIDER_SCOPE.test(clause) || OTHER_YEAR.test(clause.slice(0, clause.indexOf(m[0]) + m[0].length))) continue;
      // 受理/答复/办结 also count 咨询, 投诉 and 审批; 其中… is a subset.
      if (rule.general && (OFF_TOPIC.test(clause) || /^(其中|另|此外)/u.test(clause))) continue;
      const value = readCount(m[rule.num ?? 1]);
      if (value === undefined) continue;
      const path = rule.path;
      if (out.some((c) => c.path === path && c.text === s)) continue;
      out.push(claim(path, value, s, page));
      if (path === 'requests.received.total') {
        const after = s.slice(m.index + m[0].length);
        for (const [zh, key] of APPLICANTS) {
          const p = new RegExp(`${zh}(?:申请)?${NUM}件`, 'u').exec(after);
          if (p) out.push(claim(`requests.received.${key}`, readCount(p[1])!, s, page));
        }
      }
    }
    if (/无结转下年度|无结转至下年度|没有结转下年度/.test(s)) out.push(claim('requests.carriedForward.total', 0, s, page));
    // Only review and litigation about information disclosure are 表四's (a 司法局 counts all its 复议).
    if (/行政复议|诉讼/.test(s) && /信息公开|依申请|公开申请|政务公开/.test(sentence) && !/复议机关/.test(sentence)) reviewClaims(s, page, out);
    if (/规章|规范性文件/.test(s)) activeClaims(s, template, page, out);
  }
  // Lists of parts may run over ；, so 主动公开 totals are read on whole paragraphs.
  for (const p of paras) if (/公开/.test(p.text)) activeItems(p.text, p.page, out);
  return out;
}
