/**
 * audit.xlsx, the auditor's workbook: 汇总 (one row per body and year), 问题 (every finding), 数值
 * (every value with its Chinese labels).
 *
 * exceljs's streaming writer queues a sheet's zip entry when the sheet is added, and the zip takes
 * entries one after another: a sheet written while an earlier one is still open is buffered whole
 * in memory. So add() spools the 问题 and 数值 rows to temporary files (no report is kept), and
 * finish() writes the sheets one at a time, in order, each committed before the next is added.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { closeSync, createReadStream, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { templatePaths, type PathInfo, type Template } from '../report/paths.ts';
import type { Report, Severity } from '../report/schema.ts';
import { AtomicFile } from './files.ts';
import { SEVERITIES, allFindings, documentLink, findingCounts, findingPages, RuleTally, type OutputOptions, type OutputWriter } from './writer.ts';

/** Stamped into docProps/core.xml and every zip entry, so the same input gives the same bytes. */
const FIXED_DATE = new Date(Date.UTC(2000, 0, 1));
/** Excel's rows per sheet, less the header. */
export const MAX_DATA_ROWS = 1_048_576 - 1;
const MAX_CELL_CHARS = 32_767;
const MAX_WIDTH = 60;
const QUEUE_LIMIT = 4 << 20;

const SUMMARY_HEADER = ['发布机关', '年度', '格式版本', '文件数', '错误', '警告', '提示', '最严重的规则', '文件'];
const FINDINGS_HEADER = ['文件', '发布机关', '年度', '规则', '严重程度', '说明', '涉及单元格', '应为', '实为', '页码'];
const VALUES_HEADER = ['文件', '发布机关', '年度', '格式版本', '表', '行', '列', '路径', '数值', '原文', '类型', '页码'];
const SEVERITY_ZH: Record<Severity, string> = { error: '错误', warning: '警告', info: '提示' };
const TABLE_OF: Record<string, PathInfo['table']> = { active: '表二', requests: '表三', reviewLitigation: '表四' };
const PLAIN_STYLE: Partial<ExcelJS.Style> = {};
// Fonts in full: a font with only "bold" is drawn at whatever size the reader assumes.
const HEADER_FONT: Partial<ExcelJS.Font> = { name: 'Calibri', size: 11, bold: true };
const LINK_STYLE: Partial<ExcelJS.Style> = { font: { name: 'Calibri', size: 11, color: { argb: 'FF0563C1' }, underline: true } };

type Cell = string | number | null | ExcelJS.CellHyperlinkValue;

/** Text as a cell can hold it: no characters XML forbids (exceljs drops only some), at most Excel's cell length. */
function text(s: string | undefined): string {
  if (!s) return '';
  const clean = s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '');
  return clean.length > MAX_CELL_CHARS ? clean.slice(0, MAX_CELL_CHARS) : clean;
}

const num = (n: number | null | undefined): number | null => (typeof n === 'number' && Number.isFinite(n) ? n : null);

const WIDE = /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{20000}-\u{3FFFD}]/u;

/** Display width in Excel column units: CJK and full-width characters take two; stops counting at the cap. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    w += WIDE.test(ch) ? 2 : 1;
    if (w >= MAX_WIDTH) return MAX_WIDTH;
  }
  return w;
}

function measure(widths: number[], row: Cell[]): void {
  for (let i = 0; i < row.length; i++) {
    const v = row[i];
    if (v === null || widths[i] >= MAX_WIDTH) continue;
    const s = typeof v === 'object' ? String(v.text) : String(v);
    if (s.length * 2 > widths[i]) widths[i] = Math.max(widths[i], displayWidth(s)); // cheap skip: cannot be wider
  }
}

/** Rows of a sheet spooled as JSON lines to a temporary file beside the target, with their column widths. */
class Spool {
  readonly widths: number[];
  /** Rows kept (at most `limit`) and rows offered. */
  rows = 0;
  total = 0;
  #fd: number | undefined;
  #pending: string[] = [];

  readonly path: string;
  readonly limit: number;

  constructor(path: string, header: string[], limit: number) {
    [this.path, this.limit, this.widths] = [path, limit, header.map(displayWidth)];
    this.#fd = openSync(path, 'w');
  }

  push(row: Cell[]): void {
    this.total++;
    if (this.rows >= this.limit) return;
    this.rows++;
    measure(this.widths, row);
    this.#pending.push(JSON.stringify(row));
  }

  /** Writes the pending rows: once per report, not once per row. */
  flush(): void {
    if (this.#fd === undefined || this.#pending.length === 0) return;
    writeSync(this.#fd, `${this.#pending.join('\n')}\n`);
    this.#pending = [];
  }

  close(): void {
    this.flush();
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }

  remove(): void {
    this.close();
    rmSync(this.path, { force: true });
  }

  async *read(): AsyncGenerator<Cell[]> {
    const lines = createInterface({ input: createReadStream(this.path), crlfDelay: Infinity });
    for await (const line of lines) if (line) yield JSON.parse(line) as Cell[];
  }
}

interface Group {
  agency?: string;
  year?: number;
  templates: Set<string>;
  files: number;
  /** The group's first document in path order: the one the summary links to. */
  first: string;
  link: string;
  counts: Record<Severity, number>;
  /** findingCounts' worstRule over the group. */
  rules: RuleTally;
}

const order = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const labelMaps = new Map<string, Map<string, PathInfo>>();

/** The labels of a path in the report's own layout, else the other layout, else the other template. */
export function pathLabels(path: string, template: Template | undefined, layout: 'itemized' | 'unitemized' | undefined): PathInfo | undefined {
  const t = template ?? '2021';
  const l = layout ?? (t === '2019' ? 'unitemized' : 'itemized');
  const otherT: Template = t === '2021' ? '2019' : '2021';
  const otherL = l === 'itemized' ? 'unitemized' : 'itemized';
  for (const [tt, ll] of [[t, l], [t, otherL], [otherT, l], [otherT, otherL]] as const) {
    let map = labelMaps.get(tt + ll);
    if (!map) labelMaps.set(tt + ll, (map = new Map(templatePaths(tt, ll).map((p) => [p.path, p]))));
    const hit = map.get(path);
    if (hit) return hit;
  }
  return undefined;
}

type ZipAppend = (source: unknown, data: Record<string, unknown>) => unknown;

/** exceljs's streaming writer with every zip entry stamped FIXED_DATE (archiver stamps the current time). */
class FixedDateWorkbookWriter extends ExcelJS.stream.xlsx.WorkbookWriter {
  // The base constructor creates the zip and appends its first entry through addThemes(): patch it there.
  override addThemes(): Promise<void> {
    const zip = (this as unknown as { zip: { append: ZipAppend; fixed?: true } }).zip;
    if (!zip.fixed) {
      const append = zip.append.bind(zip);
      zip.append = (source, data) => append(source, { ...data, date: FIXED_DATE });
      zip.fixed = true;
    }
    return super.addThemes();
  }
}

/**
 * Waits while much of the sheet's XML is still queued for the zip: exceljs pipes a sheet into a
 * PassThrough the zip reads from and ignores its backpressure, so without this a sheet is buffered
 * whole when rows are made faster than they are compressed.
 */
async function drained(ws: ExcelJS.Worksheet, failed: Promise<never>): Promise<void> {
  // A readable-stream 2 PassThrough: no writableLength, its state holds the count.
  const queue = (ws as unknown as { stream: { pipes: (Writable & { _writableState?: { length: number } })[] } }).stream.pipes[0];
  if (queue && (queue._writableState?.length ?? 0) > QUEUE_LIMIT) await Promise.race([once(queue, 'drain'), failed]); // a dead zip never drains
  else await new Promise(setImmediate);
}

interface Sheet {
  name: string;
  header: string[];
  widths: number[];
  rows: Iterable<Cell[]> | AsyncIterable<Cell[]>;
  notes?: string[];
}

async function writeSheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, { name, header, widths, rows, notes = [] }: Sheet, failed: Promise<never>): Promise<void> {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = widths.map((w) => ({ width: Math.min(w, MAX_WIDTH) + 2 }));
  const head = ws.addRow(header);
  head.font = HEADER_FONT;
  head.commit();
  let n = 0;
  for await (const values of rows) {
    const row = ws.addRow(values.map((v) => (v === '' ? null : v))); // no empty text cells
    // One style object for all plain cells: exceljs caches style ids by object, a fresh {} per cell costs most of the time.
    row.eachCell((cell) => (cell.style = cell.type === ExcelJS.ValueType.Hyperlink ? LINK_STYLE : PLAIN_STYLE));
    row.commit();
    if (++n % 1000 === 0) await drained(ws, failed);
  }
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: n + 1, column: header.length } };
  if (notes.length) ws.addRow([]).commit();
  for (const note of notes) ws.addRow([note]).commit();
  ws.commit();
}

export class XlsxWriter implements OutputWriter {
  readonly #dir: string;
  readonly #findings: Spool;
  readonly #values: Spool;
  readonly #groups = new Map<string, Group>();
  #file: AtomicFile | undefined;

  /** `maxRows`: data rows a sheet holds, Excel's limit unless a test wants to reach it cheaply. */
  constructor(options: OutputOptions, maxRows = MAX_DATA_ROWS) {
    this.#dir = options.dir;
    mkdirSync(this.#dir, { recursive: true });
    const stem = join(this.#dir, `.audit.xlsx.${process.pid}.${randomBytes(4).toString('hex')}`);
    this.#findings = new Spool(`${stem}.findings.tmp`, FINDINGS_HEADER, maxRows);
    this.#values = new Spool(`${stem}.values.tmp`, VALUES_HEADER, maxRows);
  }

  add(report: Report): void {
    const { source, meta } = report;
    const agency = meta.agency || undefined;
    const year = meta.year;
    const doc = text(source.path);
    const [agencyCell, yearCell] = [text(agency), num(year)];
    const findings = allFindings(report);
    for (const f of findings) {
      this.#findings.push([doc, agencyCell, yearCell, text(f.rule), SEVERITY_ZH[f.severity], text(f.message), text(f.paths.join('; ')), num(f.expected), num(f.actual), findingPages(f).join(';')]);
    }
    for (const [path, v] of Object.entries(report.values)) {
      const info = pathLabels(path, meta.template, meta.otherHandling);
      const table = info?.table ?? TABLE_OF[path.split('.')[0]] ?? '';
      this.#values.push([doc, agencyCell, yearCell, meta.template ?? '', table, info?.rowZh ?? '', info?.columnZh ?? '', text(path), num(v.value), text(v.raw), v.kind, num(v.page)]);
    }
    this.#findings.flush();
    this.#values.flush();

    // A body-year is one row; a document whose body or year is unknown is a row of its own.
    const key = agency !== undefined && year !== undefined ? JSON.stringify([agency, year]) : `#${this.#groups.size}`;
    let g = this.#groups.get(key);
    if (!g) {
      g = { agency, year, templates: new Set(), files: 0, first: source.path, link: documentLink(this.#dir, source.path), counts: { error: 0, warning: 0, info: 0 }, rules: new RuleTally() };
      this.#groups.set(key, g);
    }
    g.files++;
    if (meta.template) g.templates.add(meta.template);
    if (source.path < g.first) [g.first, g.link] = [source.path, documentLink(this.#dir, source.path)];
    const counts = findingCounts(report);
    for (const s of SEVERITIES) g.counts[s] += counts[s];
    for (const f of findings) g.rules.add(f);
  }

  #summaryRows(): Cell[][] {
    const known = (x: unknown): number => (x === undefined ? 1 : 0);
    const groups = [...this.#groups.values()].sort(
      (a, b) => known(a.agency) - known(b.agency) || order(a.agency ?? '', b.agency ?? '') || known(a.year) - known(b.year) || (a.year ?? 0) - (b.year ?? 0) || order(a.first, b.first),
    );
    return groups.map((g) => [
      text(g.agency),
      num(g.year),
      [...g.templates].sort().join('/'),
      g.files,
      g.counts.error,
      g.counts.warning,
      g.counts.info,
      text(g.rules.worst()),
      { text: text(basename(g.first.replace(/[?#].*$/, '')) || g.first), hyperlink: g.link },
    ]);
  }

  async finish(): Promise<void> {
    this.#findings.close();
    this.#values.close();
    const file = (this.#file = new AtomicFile(join(this.#dir, 'audit.xlsx')));
    const out = new Writable({
      write(chunk: Buffer, _encoding, done) {
        try {
          file.write(chunk);
          done();
        } catch (e) {
          done(e as Error);
        }
      },
    });
    // The zip stops when the file cannot be written: fail instead of waiting for it.
    const failed = once(out, 'error').then(([e]) => Promise.reject(e as Error));
    failed.catch(() => {});
    // No shared strings: their table would hold every distinct text of the batch in memory.
    const wb = new FixedDateWorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    wb.created = wb.modified = FIXED_DATE;
    wb.creator = wb.lastModifiedBy = 'ogi-audit';

    const summary = this.#summaryRows();
    const widths = SUMMARY_HEADER.map(displayWidth);
    for (const row of summary) measure(widths, row);
    const notes: string[] = [];
    for (const [spool, sheet, csv] of [[this.#findings, '问题', 'findings.csv'], [this.#values, '数值', 'values.csv']] as const) {
      if (spool.total > spool.rows) notes.push(`${sheet}表超过 Excel 的行数上限：只列出前 ${spool.rows} 行（共 ${spool.total} 行），全部见 ${csv}。`);
    }
    await writeSheet(wb, { name: '汇总', header: SUMMARY_HEADER, widths, rows: summary, notes }, failed);
    await writeSheet(wb, { name: '问题', header: FINDINGS_HEADER, widths: this.#findings.widths, rows: this.#findings.read() }, failed);
    await writeSheet(wb, { name: '数值', header: VALUES_HEADER, widths: this.#values.widths, rows: this.#values.read() }, failed);
    await Promise.race([wb.commit(), failed]);
    file.close();
    this.#findings.remove();
    this.#values.remove();
  }

  commit(): void {
    if (!this.#file) throw new Error('audit.xlsx: commit() before finish()');
    this.#file.commit();
  }

  abort(): void {
    this.#findings.remove();
    this.#values.remove();
    this.#file?.abort();
  }
}
