/** meta.agency, meta.year, meta.title, meta.publishedAt from the title and the opening text. */
import type { DocumentModel } from '../extract/model.ts';
import type { Meta } from '../report/schema.ts';
import { compact } from './text.ts';

/** The year a title reports on: the one right before 年度…政府信息公开, not a date. */
const TITLE_YEARS = [
  /((?:19|20)\d{2})年度?(?:[^\d]{0,24}?)(?:政府信息公开|政务公开|信息公开)/u,
  /((?:19|20)\d{2})年度/u,
  /((?:19|20)\d{2})年(?!\d{1,2}月)/u,
];
const NOT_TITLE = /^(附件\d*|.*〔\d{4}〕\d+号|\d{4}[-年./]\d{1,2}[-月./]\d{1,2}日?|来源[:：].*|[-—第\s]*\d+[-—页\s]*)$/u;

/** The title as the document shows it: the container's, or the opening lines up to 报告. */
export function findTitle(model: DocumentModel): string | undefined {
  const candidates: string[] = [];
  const lines: string[] = [];
  for (const b of model.blocks) {
    if (b.kind !== 'paragraph') break;
    if (b.text.length > 60 || lines.length >= 4) break;
    // Lines above a title that are not part of it: 附件1, 文号, dates, sources, page numbers.
    if (NOT_TITLE.test(compact(b.text))) continue;
    // A scraper's or CMS's field label before the title: 标题：…
    lines.push(b.text.replace(/\n/g, '').replace(/^\s*(标题|题目|名称|文章标题)\s*[:：]\s*/u, ''));
    if (/报告|年报/.test(b.text)) {
      candidates.push(lines.join(''));
      break;
    }
  }
  for (const t of [model.title, model.metadata.ArticleTitle, model.metadata.Title]) if (t) candidates.push(t);
  return candidates.map((c) => compact(c)).find((c) => /政府信息公开|信息公开|政务公开/.test(c) && /报告|年报/.test(c));
}

export function agencyFromTitle(title: string): string | undefined {
  let s = compact(title)
    .replace(/[(（][^)）]*\d{4}[^)）]*[)）]/gu, '')
    .replace(/〔\d{4}〕\d*号?/gu, '')
    .replace(/^.*暨/u, '');
  // XX市人民政府关于印发XX市2023年…的通知: the body is the one before 关于.
  const about = /^(.+?)关于(?:印发|公布|发布)?/u.exec(s);
  if (about) s = about[1];
  s = s.replace(/(19|20)\d{2}年度?/gu, '').replace(/文件$/u, '');
  s = s.split(/政府信息公开|政务信息公开|信息公开|政务公开|年度报告|工作报告/u)[0];
  s = s.replace(/^关于/u, '').replace(/(关于|的|之)$/u, '').replace(/[-_—|｜:：,，、\s]+$/u, '');
  return s.length >= 2 && s.length <= 40 ? s : undefined;
}

export function readMeta(model: DocumentModel): Meta {
  const meta: Meta = {};
  const title = findTitle(model);
  if (title) {
    meta.title = title;
    const agency = agencyFromTitle(title);
    if (agency) meta.agency = agency;
    // In 《…要点落实情况暨XX局2023年…年度报告》 the report is the part after 暨.
    const core = title.replace(/^.*暨/u, '');
    const y = TITLE_YEARS.map((re) => re.exec(core)).find(Boolean);
    if (y) meta.year = Number(y[1]);
  }
  const opening = model.blocks
    .filter((b) => b.kind === 'paragraph')
    .slice(0, 12)
    .map((b) => compact(b.text))
    .join('。');
  if (meta.year === undefined) {
    // 统计期限自2023年1月1日起至2023年12月31日止; or 2023年度 near the start.
    const span = /自((?:19|20)\d{2})年1月1日/u.exec(opening) ?? /((?:19|20)\d{2})年度/u.exec(opening);
    if (span) meta.year = Number(span[1]);
  }
  const published = model.metadata.PubDate ?? /发布日期[:：]?(\d{4}-\d{2}-\d{2})/u.exec(opening)?.[1];
  if (published) meta.publishedAt = published;
  return meta;
}
