/**
 * Reading the words of a link or a title: is it an annual report on government information
 * disclosure (政府信息公开工作年度报告), of which year, published by which body. Plain text rules, no
 * DOM and no URLs: links.ts applies them to link texts, titles and file names.
 *
 * The columns and sidebars these links sit in are full of near misses (法治政府建设年度报告, 部门决算,
 * 政府信息公开指南, the 解读 of a report, the 通知 asking bodies to send theirs): a report needs the
 * 信息公开 + 年度报告/年报/工作报告 phrase, a year, and none of the words that mark those neighbours.
 */

/** Chinese numeral digits as written in years: 二〇二三, 二○二三 (circle), 二零二三, even a Latin O. */
const CN_DIGITS: Record<string, string> = {
  〇: '0', '○': '0', 零: '0', Ｏ: '0', O: '0', o: '0', 一: '1', 二: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9',
};
const CN_YEAR = /二[〇○零ＯOo][〇○零ＯOo一二三四五六七八九]{2}(?=\s*年)/g;

/**
 * The text as the rules read it: no whitespace (PDF titles and wrapped links break "2025 年" and
 * "政府信息公开\n工作年度报告"), ASCII digits for full-width ones, Arabic years for 二〇二三年.
 */
export function normalizeTitle(text: string): string {
  return text
    .replace(/[\s\u3000\u00a0]+/g, '')
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(CN_YEAR, (y) => [...y].map((c) => CN_DIGITS[c] ?? c).join(''));
}

/**
 * 信息公开 followed, within a few characters (工作, 工作情况, 和政务公开工作), by the report word. 企业/高校/
 * 环境… 信息公开年度报告 are other regimes' reports; so is 政务公开 alone.
 */
const REPORT_PHRASE = /(?:政府)?(?<!企业|环境|高校|学校|大学|学院|学年|医院|校务|村务|党务|厂务|社会组织)信息公开[^，。；;,、]{0,8}?(?:年度报告|年报|工作报告)/;
/** Words that turn a report-like title into something else: its interpretation, a notice about reports, an assessment… */
const NEAR_MISS =
  /解读|图解|一图|读懂|问答|答记者问|通知|报送|编制工作|格式|模板|样本|样表|评估|考核|测评|督查|检查情况|培训|法治政府|预算|决算|统计公报|工作总结|工作要点|指南|制度|申请表|目录|意见|方案|发布会|征集/;
/** 信息公开…报告 with a different subject in between: 政府信息公开指南和2023年度报告 is not one. */
const PHRASE_INSIDE_MISS = /指南|制度|目录|要点|总结|规定|办法|申请/;

const YEAR_NIAN = /(?<!\d)(20\d{2})年度?/g;
/** A bare year: not part of a longer number, a date (2024-03-08) or a 学年 span (2022-2023). */
const YEAR_BARE = /(?<![\d./-])(20\d{2})(?![\d./-])/g;

interface YearHit {
  year: number;
  start: number;
  end: number;
}

function years(norm: string, re: RegExp): YearHit[] {
  const out: YearHit[] = [];
  for (const m of norm.matchAll(re)) {
    const y = Number(m[1]);
    // the Regulations took effect in 2008: the first reports are for 2008
    if (y >= 2008 && y <= 2099) out.push({ year: y, start: m.index!, end: m.index! + m[0].length });
  }
  return out;
}

/** The report year: a 年-year before the report phrase first, else any 年-year, else a bare year. */
function findYear(norm: string, phraseAt: number): YearHit | undefined {
  const nian = years(norm, YEAR_NIAN);
  return nian.find((y) => y.end <= phraseAt) ?? nian[0] ?? years(norm, YEAR_BARE)[0];
}

function phraseMatch(norm: string): RegExpExecArray | null {
  const m = REPORT_PHRASE.exec(norm);
  if (!m) return null;
  const between = m[0].replace(/^(?:政府)?信息公开/, '');
  return PHRASE_INSIDE_MISS.test(between) ? null : m;
}

/** Does this text name an annual report on government information disclosure, of some year? */
export function looksLikeReport(text: string | undefined): boolean {
  if (!text) return false;
  const norm = normalizeTitle(text);
  const m = phraseMatch(norm);
  return !!m && !NEAR_MISS.test(norm) && findYear(norm, m.index) !== undefined;
}

/** How a publishing body's name ends: 平潭综合实验区, 沭阳县发展和改革局, 上海市人民政府办公厅, 上海市科委… */
const BODY_END =
  /(?:区|县|市|省|州|盟|旗|镇|乡|村|街道|办事处|局|委|会|办|室|厅|部|院|署|中心|政府|所|站|队|处|馆|社|校|园|集团|公司|行|台|团|关|狱)$/;
/** Words that stand for a body without naming it: 本局, 我市, 全区… (全椒县 is a real county, so only these). */
const NOT_A_NAME = /^(?:本|我|全|各|该)(?:省|市|区|县|镇|乡|局|委|办|厅|部|院|单位|机关|部门|街道|系统)$/;

function cleanBody(s: string): string | undefined {
  let b = s;
  for (let prev = ''; prev !== b; ) {
    prev = b;
    b = b
      .replace(/^(?:【[^】]*】|\[[^\]]*\]|［[^］]*］|关于|转发|公布|印发|附件\d*[:：]?|下载[:：]?|(?:上|下)一(?:篇|条)[:：]?|相关(?:链接|阅读)[:：]?)/, '')
      .replace(/^[《“"'‘「『(（·•:：\-—_]+/, '')
      .replace(/[》”"'’」』)）·•:：,，、\-—_]+$/, '')
      .replace(/的$/, '');
  }
  if (b.length < 2 || b.length > 40 || /\d/.test(b) || NOT_A_NAME.test(b) || !BODY_END.test(b)) return undefined;
  return b;
}

/**
 * Year and publishing body from a report's title or link text: 平潭综合实验区2022年政府信息公开工作年度报告
 * → 2022, 平潭综合实验区; 2025年上海市人民政府办公厅政府信息公开工作年度报告 → 2025, 上海市人民政府办公厅;
 * 二〇二三年度… → 2023. A title without a body (2022年政府信息公开工作年度报告 on the body's own site)
 * leaves body undefined: the crawler knows the site, this function does not.
 */
export function guessYearAndBody(text: string): { year?: number; body?: string } {
  const norm = normalizeTitle(text);
  const m = phraseMatch(norm);
  const phraseAt = m ? m.index : norm.length;
  const y = findYear(norm, phraseAt);
  if (!y) return {};
  const out: { year?: number; body?: string } = { year: y.year };
  // the body comes first (某某局2023年…), between year and phrase (2023年某某局政府信息公开…), or before
  // the phrase when the year trails (某某局政府信息公开工作年度报告（2023年）)
  const body = m && y.start > phraseAt
    ? cleanBody(norm.slice(0, phraseAt))
    : cleanBody(norm.slice(0, y.start)) ?? (m ? cleanBody(norm.slice(y.end, phraseAt)) : undefined);
  if (body) out.body = body;
  return out;
}

/** 下一页 / 下页 / 后页 (with the arrows and brackets templates put around them). */
export function isNextPageText(text: string): boolean {
  return /^[<《【[(（]*(?:下一?页|后一?页|下一頁)[>》】\])）»›]*$/.test(text.replace(/\s+/g, ''));
}

/** Numbered page links and 尾页/末页: pagination only inside a pager (a bare "2" may be anything). */
export function isPageNumberText(text: string): boolean {
  return /^(?:\[?\d{1,4}\]?|尾页|末页|最后一?页)$/.test(text.replace(/\s+/g, ''));
}

/** Words of an attachment link on an article page: 附件, 下载, 全真版, 文字版, a file name. */
export function isAttachmentText(text: string): boolean {
  if (/中心|专区|APP|客户端|浏览器|阅读器|插件|软件|工具/i.test(text)) return false; // 下载中心, 阅读器下载…
  return /附件|下载|全真版|文字版|原件|原文件|\.(?:pdf|docx?|wps|xlsx?|ofd)\b/i.test(text);
}

/** Attachments of the report page that are not part of the report: forms and guides in the sidebar. */
export function isUnrelatedAttachmentText(text: string): boolean {
  return /申请表|登记表|申请书|指南|目录|样表|模板|委托书/.test(text);
}
