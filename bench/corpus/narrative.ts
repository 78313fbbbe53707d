// The report's text: section headings (as printed, retitled in one variant) and a section 一 whose
// counts are stated in the phrasings real reports use. Every count stated is recorded as a claim.
import type { SeedText, TextBlockDef, Truth } from '../../scripts/render/model.ts';
import type { Agency } from './names.ts';
import type { Rng } from './rng.ts';
import { valueAt } from './values.ts';

export interface Claim { path: string; value: number; text: string }

const GROUP_ZH: [string, string][] = [
  ['requests.granted.total', '予以公开'], ['requests.partiallyGranted.total', '部分公开'], ['requests.withheld.total', '不予公开'],
  ['requests.unavailable.total', '无法提供'], ['requests.rejected.total', '不予处理'], ['requests.otherHandling.total', '其他处理'],
];

/** The value a claim path means in a truth: a cell, or the sum a derived path stands for. */
export function claimValue(t: Truth, path: string): number {
  const group = /^requests\.(withheld|unavailable|rejected|otherHandling)\.total$/u.exec(path);
  if (group) {
    const node = t.requests[group[1]] as Record<string, Record<string, number>>;
    return Object.values(node).reduce((a, row) => a + row.total, 0);
  }
  const suit = /^reviewLitigation\.suit\.(\w+)$/u.exec(path);
  if (suit) return valueAt(t, `reviewLitigation.suitDirect.${suit[1]}`) + valueAt(t, `reviewLitigation.suitAfterReview.${suit[1]}`);
  const all = /^reviewLitigation\.all\.(\w+)$/u.exec(path);
  if (all) return ['review', 'suitDirect', 'suitAfterReview'].reduce((a, g) => a + valueAt(t, `reviewLitigation.${g}.${all[1]}`), 0);
  return valueAt(t, path);
}

/** A sentence with {path} slots; the slots become numbers and the claims are recorded. */
class Writer {
  claims: Claim[] = [];
  constructor(private t: Truth, private override: Map<string, number>) {}
  say(template: string): string {
    const found: string[] = [];
    const text = template.replace(/\{([\w.]+)\}/gu, (_m, path: string) => {
      found.push(path);
      return String(this.override.get(path) ?? claimValue(this.t, path));
    });
    for (const p of found) this.claims.push({ path: p, value: this.override.get(p) ?? claimValue(this.t, p), text });
    return text;
  }
}

function requestsParagraph(r: Rng, w: Writer, a: Agency, year: number, t: Truth): string {
  const who = a.self.endsWith('政府') ? a.scope : a.self;
  const parts: string[] = [];
  const forward = claimValue(t, 'requests.carriedForward.total');
  switch (r.int(0, 3)) {
    case 0:
      parts.push(w.say(`${year}年，${who}共受理政府信息公开申请{requests.received.total}件，答复{requests.resultsTotal.total}件（含上年度结转申请{requests.carriedOver.total}件），` +
        (forward ? `另有{requests.carriedForward.total}件顺延到下年度答复。` : '无结转下年度继续办理件。')));
      break;
    case 1:
      parts.push(w.say(`本年度${who}共收到{requests.received.total}件申请，及时依法依规办结{requests.resultsTotal.total}件，` +
        (forward ? `{requests.carriedForward.total}件结转下年度继续办理。` : '全部在法定期限内办结。')));
      break;
    case 2:
      parts.push(w.say(`${year}年，${who}共收到政府信息公开申请{requests.received.total}件，共办结{requests.resultsTotal.total}件，` +
        (forward ? `结转至${year + 1}年{requests.carriedForward.total}件。` : '无结转下年度继续办理件。')));
      break;
    default:
      parts.push(w.say(`全年共受理依申请公开{requests.received.total}件，全部在规定时间内按期办结，无超期办结件。`));
  }
  const listed = GROUP_ZH.filter(([p]) => r.chance(0.75) || p === 'requests.granted.total');
  parts.push(w.say(`从办理结果看，${listed.map(([p, zh]) => `${zh}{${p}}件`).join('，')}。`));
  return parts.join('');
}

function reviewParagraph(r: Rng, w: Writer, a: Agency, year: number, t: Truth): string {
  const review = claimValue(t, 'reviewLitigation.review.total');
  const suit = claimValue(t, 'reviewLitigation.suit.total');
  if (review + suit === 0 && r.chance(0.5)) return `${year}年，${a.self}未发生因政府信息公开引起的行政复议、行政诉讼案件。`;
  if (r.chance(0.4)) {
    return w.say(`全年因政府信息公开被提起行政复议和行政诉讼案件共{reviewLitigation.all.total}起，其中行政复议{reviewLitigation.review.total}起，行政诉讼{reviewLitigation.suit.total}起。`);
  }
  const results = (g: string) => ['upheld', 'corrected', 'other', 'pending']
    .map((k, i) => `${['结果维持', '结果纠正', '其他结果', '尚未审结'][i]}{reviewLitigation.${g}.${k}}件`).join('，');
  return w.say(`${year}年，${a.self}因政府信息公开工作被申请行政复议{reviewLitigation.review.total}件，其中${results('review')}；` +
    `被提起行政诉讼{reviewLitigation.suit.total}件，其中${results('suit')}。`);
}

function activeParagraph(r: Rng, w: Writer, a: Agency, year: number, t: Truth): string {
  const n = 3 + r.int(0, 4);
  const kinds = ['机构设置', '政策文件', '规划计划', '财政资金', '人事信息', '行政执法', '重点领域信息', '公告公示'].slice(0, n);
  const counts = kinds.map(() => r.int(1, 300));
  const total = counts.reduce((x, y) => x + y, 0);
  const list = kinds.map((k, i) => `${k}${counts[i]}条`).join('，');
  w.claims.push({ path: 'narrative.activeItems.total', value: total, text: `主动公开政府信息${total}条` });
  const docs = t.meta.template === '2019' ? 'published' : 'issued';
  const nd = valueAt(t, `active.normativeDocs.${docs}`);
  const verb = t.meta.template === '2019' ? '本年新公开' : r.pick(['制发', '印发']);
  const docsSentence = nd ? w.say(`${verb}行政规范性文件{active.normativeDocs.${docs}}件，均按要求及时公开。`) : '';
  return `${year}年，${a.self}通过政府门户网站主动公开政府信息${total}条，其中，${list}。${docsSentence}` +
    `围绕重点工作开展政策解读${r.int(0, 60)}篇，召开新闻发布会${r.int(0, 12)}场。`;
}

const FILLER = {
  management: '严格落实政府信息公开保密审查制度，明确审查程序和责任，规范信息发布流程，确保公开内容准确、规范、及时。',
  platform: '持续优化政府网站信息公开专栏，及时更新栏目内容，发挥政务新媒体传播优势，提升政务公开的覆盖面和影响力。',
  supervision: '将政府信息公开工作纳入年度绩效考核，定期开展自查整改，主动接受社会监督，全年未发生责任追究情况。',
  problems: '一是主动公开的深度和广度有待进一步拓展；二是政策解读形式还不够丰富。下一步将加强业务培训，提升公开质量。',
  other: '本机关未收取信息处理费。本年度无其他需要报告的事项。',
};

export interface TextOptions {
  /** retitled and renumbered section headings, and the 行政法复议 typo */
  retitled: boolean;
  /** a narrative count that disagrees with its table: the claim path to change */
  wrongClaim?: { path: string; value: number };
}

export function reportText(r: Rng, t: Truth, a: Agency, title: string[], o: TextOptions): { text: SeedText; claims: Claim[] } {
  const year = t.meta.year;
  const override = new Map<string, number>();
  if (o.wrongClaim) override.set(o.wrongClaim.path, o.wrongClaim.value);
  const w = new Writer(t, override);
  const p = (text: string): TextBlockDef => ({ type: 'paragraph', text });
  const sub = (text: string): TextBlockDef => ({ type: 'subheading', text });
  const overview: TextBlockDef[] = [
    p(`${year}年，${a.name}坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政府信息公开工作。`),
    sub('（一）主动公开'), p(activeParagraph(r, w, a, year, t)),
    sub('（二）依申请公开'), p(requestsParagraph(r, w, a, year, t)), p(reviewParagraph(r, w, a, year, t)),
    sub('（三）政府信息管理'), p(FILLER.management),
    sub('（四）政府信息公开平台建设'), p(FILLER.platform),
    sub('（五）监督保障'), p(FILLER.supervision),
  ];
  const headings = o.retitled
    ? r.pick([
      ['一、总体工作情况', '二、主动公开政府信息情况', '三、收到和处理政府信息公开申请情况', '四、因政府信息公开工作被申请行政复议、提起行政诉讼情况', '五、存在问题与改进方向', '七、其他需要报告的事项'],
      ['总体情况', '一、主动公开政府信息情况', '二、收到和处理政府信息公开申请情况', '三、政府信息公开行政法复议、行政诉讼情况', '四、存在的主要问题及改进情况', '五、其他需要报告的事项'],
    ])
    : ['一、总体情况', '二、主动公开政府信息情况', '三、收到和处理政府信息公开申请情况', '四、政府信息公开行政复议、行政诉讼情况', '五、存在的主要问题及改进情况', '六、其他需要报告的事项'];
  const text: SeedText = {
    title,
    preface: [
      `根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定，现向社会公布${year}年度${a.name}政府信息公开工作年度报告。`,
      `本报告中所列数据的统计期限自${year}年1月1日起至${year}年12月31日止。`,
    ],
    sections: [
      { key: 'overview', heading: headings[0], blocks: overview },
      { key: 'active', heading: headings[1] },
      { key: 'requests', heading: headings[2] },
      { key: 'reviewLitigation', heading: headings[3] },
      { key: 'problems', heading: headings[4], blocks: [p(FILLER.problems)] },
      { key: 'other', heading: headings[5], blocks: [p(FILLER.other)] },
    ],
  };
  return { text, claims: w.claims };
}
