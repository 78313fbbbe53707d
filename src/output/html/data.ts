/**
 * What the page keeps of a report: its meta, its finding list, and the values of the tables its
 * findings touch, nothing else (a batch holds thousands of documents of ~200 values each).
 */
import { DERIVED_PATHS } from '../../report/paths.ts';
import type { Finding, Report, Severity } from '../../report/schema.ts';
import { allFindings, documentLink, findingPages } from '../writer.ts';
import { activeGrid, gridPaths, groupLayout, requestGrid, requestLayoutKey, reviewGrid, tableOf, type GridLayout, type TableId } from './layout.ts';

/** A finding as the page shows it. Short keys: this is repeated for every finding of the batch. */
export interface PageFinding {
  /** severity */
  s: Severity;
  /** rule id */
  r: string;
  /** message (Chinese) */
  m: string;
  /** expected, actual: present when the finding has them (null: no number) */
  e?: number | null;
  a?: number | null;
  /** pages of its cells */
  pg?: number[];
  /** the grid cells to highlight: its cell paths with derived sums expanded to their cells */
  c?: string[];
  /** the narrative sentence, the other document of a cross-year finding */
  t?: string;
  x?: string;
}

/**
 * A cell's value as drawn: the plain number when the cell held just that number (most cells), else
 * [value, kind, raw (when it differs from the value), note].
 */
export type PageValue = number | [number | null, string, string?, string?];

/** An affected table: its layout key, the values in the layout's path order (null: no such value), the pages of those cells. */
export interface PageTable {
  l: string;
  v: (PageValue | null)[];
  pg?: (number | null)[];
}

export interface PageDocument {
  /** position in the batch, the id in `#doc/<n>` */
  n: number;
  a?: string;
  y?: number;
  tp?: string;
  fmt: string | null;
  /** source path, link to it (absent when it is no safe link), title, page count */
  p: string;
  l?: string;
  ti?: string;
  pages?: number;
  f: PageFinding[];
  /** the tables its findings touch */
  g: Partial<Record<TableId, PageTable>>;
}

/** The cells a finding's paths name: derived sums (requests.withheld.total) become the cells they add. */
export function findingCellPaths(f: Finding, has: (path: string) => boolean): string[] {
  const out = new Set<string>();
  for (const p of f.paths) {
    const derived = DERIVED_PATHS[p];
    for (const q of derived ? derived.of(has) : [p]) if (tableOf(q)) out.add(q);
  }
  return [...out];
}

/** A link is kept only when it is relative or plain web/file: a path named `javascript:…` is not a link. */
function safeLink(link: string): string | undefined {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(link)?.[1]?.toLowerCase();
  return scheme === undefined || scheme === 'http' || scheme === 'https' || scheme === 'file' ? link : undefined;
}

function pageValue(v: Report['values'][string]): PageValue {
  const raw = v.raw.trim();
  const same = raw === (v.value === null ? '' : String(v.value));
  if (v.kind === 'number' && same && !v.note && v.value !== null) return v.value;
  const out: [number | null, string, string?, string?] = [v.value, v.kind, same ? '' : raw, v.note ?? ''];
  while (out.length > 2 && out[out.length - 1] === '') out.pop();
  return out;
}

/**
 * The page's document for a report. `layout` returns the shared grid layout of a key, building it
 * on first use (`make`), so every document of the same shape points at one layout.
 */
export function pageDocument(report: Report, n: number, dir: string, layout: (key: string, make: () => GridLayout) => GridLayout): PageDocument {
  const has = (p: string) => Object.hasOwn(report.values, p);
  const findings = allFindings(report);
  const cellsOf = findings.map((f) => findingCellPaths(f, has));
  const named = new Set(cellsOf.flat());
  const m = report.meta;
  const doc: PageDocument = { n, fmt: report.source.format, p: report.source.path, f: [], g: {} };
  if (m.agency !== undefined) doc.a = m.agency;
  if (m.year !== undefined) doc.y = m.year;
  if (m.template !== undefined) doc.tp = m.template;
  const link = safeLink(documentLink(dir, report.source.path));
  if (link !== undefined) doc.l = link;
  if (m.title !== undefined) doc.ti = m.title;
  if (report.source.pages !== undefined) doc.pages = report.source.pages;

  // Affected tables in table order; each drawn in the shape this report has.
  const tables = (['t2', 't3', 't4'] as const).filter((t) => [...named].some((p) => tableOf(p) === t));
  const drawn = new Set<string>();
  for (const t of tables) {
    let key: string;
    let make: () => GridLayout;
    if (t === 't2') {
      // A report with no template in its meta: its own 表二 paths say which one it is.
      const template = m.template ?? (Object.keys(report.values).some((p) => /^active\.(otherServices|procurement)\.|\.(made|previous)$/.test(p)) ? '2019' : '2021');
      key = `t2:${template}`;
      make = () => activeGrid(template);
    } else if (t === 't3') {
      const groups = groupLayout((p) => has(p) || named.has(p), m.otherHandling);
      key = requestLayoutKey(groups);
      make = () => requestGrid(groups);
    } else {
      key = 't4';
      make = reviewGrid;
    }
    const paths = gridPaths(layout(key, make));
    for (const p of paths) drawn.add(p);
    const table: PageTable = { l: key, v: paths.map((p) => (has(p) ? pageValue(report.values[p]) : null)) };
    const pages = paths.map((p) => (has(p) ? (report.values[p].page ?? null) : null));
    if (pages.some((x) => x !== null)) table.pg = pages;
    doc.g[t] = table;
  }

  findings.forEach((f, i) => {
    const pf: PageFinding = { s: f.severity, r: f.rule, m: f.message };
    if (f.expected !== undefined) pf.e = f.expected;
    if (f.actual !== undefined) pf.a = f.actual;
    const pages = findingPages(f);
    if (pages.length) pf.pg = pages;
    // Only cells that are drawn can be highlighted (a path outside every template is no cell).
    const cells = cellsOf[i].filter((p) => drawn.has(p));
    if (cells.length) pf.c = cells;
    if (f.text !== undefined) pf.t = f.text;
    if (f.related !== undefined) pf.x = f.related;
    doc.f.push(pf);
  });
  return doc;
}

/**
 * JSON safe inside <script type="application/json">: no `<`, `>` or `&` (no `</script>`, no `<!--`),
 * and no U+2028/2029 (line terminators to older script parsers). All are escapes inside strings,
 * where alone they can occur.
 */
export function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
