/**
 * The document's blocks in reading order: per page, tables and text lines top to bottom; lines
 * grouped into paragraphs (also across a page break); a table continued on the next page joined.
 */
import { cleanText, paragraph, type Block } from '../model.ts';
import type { Line, PageTable } from './geometry.ts';
import { draftOf, joinTables, sameColumns, toTableBlock, type TableDraft } from './join.ts';
import { wantsSpace } from './text.ts';

export interface PageLayout {
  page: number;
  width: number;
  tables: PageTable[];
  /** Text lines outside tables, page furniture removed, top to bottom. */
  lines: Line[];
}

/** Where body text starts and ends, and how far apart its lines are, for pages of one width. */
interface Metrics {
  left: number;
  right: number;
  /** Median baseline-to-baseline distance of consecutive body lines, in glyph heights. */
  pitch: number;
}

/** 一、 （二） 第三章 1、 2.加强… — the start of a heading or list item. */
const HEADING = /^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|第[一二三四五六七八九十\d]+[章节部分条]|\d{1,2}、|\d{1,2}[.．](?=\D))/;

/** The most common value, to the point, with neighbours counted in. */
function mode(values: readonly number[]): number | undefined {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(Math.round(v), (counts.get(Math.round(v)) ?? 0) + 1);
  let best: number | undefined;
  let bestCount = 0;
  for (const k of counts.keys()) {
    const n = (counts.get(k - 1) ?? 0) + (counts.get(k) ?? 0) + (counts.get(k + 1) ?? 0);
    if (n > bestCount) {
      best = k;
      bestCount = n;
    }
  }
  return best;
}

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  values.sort((a, b) => a - b);
  return values[values.length >> 1];
}

function metricsByWidth(pages: readonly PageLayout[]): Map<number, Metrics> {
  const groups = new Map<number, PageLayout[]>();
  for (const p of pages) {
    const key = Math.round(p.width);
    const group = groups.get(key);
    if (group) group.push(p);
    else groups.set(key, [p]);
  }
  const out = new Map<number, Metrics>();
  for (const [key, group] of groups) {
    const lines = group.flatMap((p) => p.lines);
    const body = lines.filter((l) => l.raw.length >= 10);
    const basis = body.length > 0 ? body : lines;
    const ratios: number[] = [];
    for (const p of group) {
      for (let i = 1; i < p.lines.length; i++) {
        const [a, b] = [p.lines[i - 1], p.lines[i]];
        const r = (b.y0 - a.y0) / b.size;
        if (Math.abs(a.size - b.size) < 0.5 && r > 0.8 && r < 3) ratios.push(r);
      }
    }
    out.set(key, {
      left: mode(basis.map((l) => l.x0)) ?? 0,
      right: mode(basis.map((l) => l.x1)) ?? key,
      pitch: median(ratios) ?? 1.6,
    });
  }
  return out;
}

/** Does `line` (on a page measured by `m`) go on with the paragraph whose last line is `prev`? */
function continuesParagraph(prev: Line, prevMetrics: Metrics, line: Line, m: Metrics): boolean {
  if (Math.abs(prev.size - line.size) > Math.max(1, 0.15 * line.size)) return false;
  if (HEADING.test(cleanText(line.raw))) return false;
  if (line.x0 > m.left + 0.8 * line.size) return false; // indented: a first line
  if (prev.x1 < prevMetrics.right - 1.5 * prev.size) return false; // previous line stopped short: a last line
  if (prev.page === line.page) {
    const pitch = (line.y0 - prev.y0) / line.size;
    if (pitch > 1.4 * m.pitch + 0.2 || pitch < 0.5) return false;
  }
  return true;
}

function paragraphText(lines: readonly Line[]): string {
  let raw = '';
  for (const line of lines) {
    const t = line.raw.trim();
    raw += raw !== '' && wantsSpace(raw, t) ? ' ' + t : t;
  }
  return raw;
}

type Draft = { kind: 'table'; draft: TableDraft } | { kind: 'paragraph'; lines: Line[] };

export function assembleBlocks(pages: readonly PageLayout[]): Block[] {
  const byWidth = metricsByWidth(pages);
  const widthOf = new Map(pages.map((p) => [p.page, Math.round(p.width)]));
  const metricsOf = (page: number) => byWidth.get(widthOf.get(page)!)!;
  const drafts: Draft[] = [];
  let previousPage = -1;
  for (const p of pages) {
    const m = metricsOf(p.page);
    type Item = { y: number; table?: PageTable; line?: Line };
    const items: Item[] = [
      ...p.tables.map((t) => ({ y: t.bbox.y0, table: t })),
      ...p.lines.map((l) => ({ y: l.y0, line: l })),
    ].sort((a, b) => a.y - b.y);
    items.forEach((item, i) => {
      const last = drafts.at(-1);
      // Only the first thing on a page can continue the last thing of the page before.
      const carriesOver = i === 0 && previousPage === p.page - 1;
      if (item.table) {
        const t = item.table;
        if (last?.kind === 'table' && carriesOver && last.draft.pages.at(-1) === p.page - 1 && sameColumns(last.draft.xs, t.xs)) {
          last.draft = joinTables(last.draft, t);
        } else {
          drafts.push({ kind: 'table', draft: draftOf(t) });
        }
        return;
      }
      const line = item.line!;
      if (last?.kind === 'paragraph') {
        const prev = last.lines.at(-1)!;
        if (prev.page === p.page || (carriesOver && prev.page === p.page - 1)) {
          if (continuesParagraph(prev, metricsOf(prev.page), line, m)) {
            last.lines.push(line);
            return;
          }
        }
      }
      drafts.push({ kind: 'paragraph', lines: [line] });
    });
    if (items.length > 0) previousPage = p.page;
  }

  let tableIndex = 0;
  return drafts.map((d) =>
    d.kind === 'table' ? toTableBlock(d.draft, tableIndex++) : paragraph(paragraphText(d.lines), d.lines[0].page),
  );
}
