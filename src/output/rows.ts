/**
 * The researcher's datasets, one zod schema per CSV: the column order, the types published in
 * datapackage.json, and the rows built from a report.
 */
import { z } from 'zod';
import { cellPaths, codebook, codebookEntry } from '../report/codebook.ts';
import { CellKind, Meta, type Report, Severity, Source } from '../report/schema.ts';
import { allFindings, findingCounts, findingPages } from './writer.ts';

const document = z.string().min(1).describe('The document as the batch named it (path or URL); the key that joins the files');
const sha256 = z.string().regex(/^[0-9a-f]{64}$/).optional().describe('SHA-256 of the document bytes');
const agency = z.string().optional().describe('发布机关 (meta.agency)');
const year = Meta.shape.year.describe('报告年度: the year reported on (meta.year)');
const template = Meta.shape.template.describe('表格格式版本: the official template the tables follow (meta.template)');
const page = z.number().int().min(1).optional().describe('1-based PDF page (PDF only)');

export const ValuesRow = z.object({
  document,
  sha256,
  agency,
  year,
  template,
  path: z.string().min(1).describe('Canonical path (codebook.csv)'),
  table: z.enum(['表二', '表三', '表四']).optional().describe('The official table'),
  row_label: z.string().optional().describe('Chinese row label of the official table'),
  column_label: z.string().optional().describe('Chinese column label of the official table'),
  value: z.number().nullable().describe('The value: a count, or 万元 for amounts; empty when unreadable or missing'),
  raw: z.string().describe('The text of the cell as published'),
  kind: CellKind.describe('What the cell held: number, blank, dash, slash, none (无), illegible, missing'),
  note: z.string().optional().describe('Text beside the number in the cell'),
  page,
});
export type ValuesRow = z.infer<typeof ValuesRow>;

export const FindingsRow = z.object({
  document,
  sha256,
  agency,
  year,
  seq: z.number().int().min(1).describe("The finding's number within its document"),
  rule: z.string().min(1).describe('Rule id (ogi rules); document.<code> for a document that could not be read'),
  severity: Severity.describe('error, warning or info'),
  message: z.string().describe('The finding in Chinese, with its numbers'),
  paths: z.string().optional().describe('Every cell the finding involves, canonical paths separated by ;'),
  expected: z.number().nullable().optional().describe('What the relation expects'),
  actual: z.number().nullable().optional().describe('What the report gives'),
  pages: z.string().regex(/^\d+(;\d+)*$/).optional().describe('PDF pages of the cells, separated by ;'),
  related: z.string().optional().describe('For a cross-year finding: the other report'),
});
export type FindingsRow = z.infer<typeof FindingsRow>;

const reportColumns = z.object({
  document,
  sha256,
  format: Source.shape.format.unwrap().optional().describe('pdf, docx or html'),
  bytes: z.number().int().min(0).describe('Size of the document'),
  pages: z.number().int().min(1).optional().describe('Pages (PDF)'),
  agency,
  year,
  template,
  title: z.string().optional().describe('标题'),
  region: z.string().optional().describe('地区'),
  published_at: z.string().optional().describe('发布日期'),
  other_handling: Meta.shape.otherHandling.describe('（六）其他处理 as three rows (itemized) or one (unitemized)'),
  errors: z.string().optional().describe('Codes of what stopped the document from being read, separated by ;'),
  findings_error: z.number().int().min(0).describe('Findings of severity error (document errors included)'),
  findings_warning: z.number().int().min(0).describe('Findings of severity warning'),
  findings_info: z.number().int().min(0).describe('Findings of severity info'),
  worst_rule: z.string().optional().describe('The rule with the most findings at the worst severity'),
});

let reportsSchema: z.ZodObject | undefined;

/** reports.csv: the report's columns, then every table cell (codebook order) as a column. */
export function ReportsRow(): z.ZodObject {
  reportsSchema ??= reportColumns.extend(
    Object.fromEntries(
      cellPaths().map((path) => {
        const e = codebookEntry(path)!;
        return [path, z.number().nullable().optional().describe(`${e.table} ${e.rowLabel} / ${e.columnLabel}`)];
      }),
    ),
  );
  return reportsSchema;
}

export const CodebookRow = z.object({
  path: z.string().min(1).describe('Canonical path'),
  kind: z.enum(['cell', 'derived', 'narrative', 'meta']).describe('cell: a table cell and a column of reports.csv; derived: a sum of cells; narrative: a count in the text; meta: about the report'),
  table: z.string().optional().describe('The official table: 表二, 表三, 表四'),
  row_label: z.string().min(1).describe('Chinese row label (or the meaning of a derived, narrative or meta path)'),
  column_label: z.string().optional().describe('Chinese column label'),
  type: z.enum(['count', 'signedCount', 'amount', 'text', 'integer']).describe('count; signedCount (本年增/减); amount (万元); text; integer'),
  templates: z.string().regex(/^\d{4}(;\d{4})*$/).describe('Template years the path occurs in, separated by ;'),
});
export type CodebookRow = z.infer<typeof CodebookRow>;

const shaOf = (r: Report) => (/^[0-9a-f]{64}$/.test(r.source.sha256) ? r.source.sha256 : undefined);

export function valuesRows(r: Report): ValuesRow[] {
  const base = { document: r.source.path, sha256: shaOf(r), agency: r.meta.agency, year: r.meta.year, template: r.meta.template };
  return Object.entries(r.values).map(([path, v]) => {
    const e = codebookEntry(path);
    return { ...base, path, table: e?.table || undefined, row_label: e?.rowLabel, column_label: e?.columnLabel, value: v.value, raw: v.raw, kind: v.kind, note: v.note, page: v.page };
  });
}

export function findingsRows(r: Report): FindingsRow[] {
  const base = { document: r.source.path, sha256: shaOf(r), agency: r.meta.agency, year: r.meta.year };
  return allFindings(r).map((f, i) => ({
    ...base,
    seq: i + 1,
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    paths: f.paths.join(';') || undefined,
    expected: f.expected,
    actual: f.actual,
    pages: findingPages(f).join(';') || undefined,
    related: f.related,
  }));
}

export function reportsRow(r: Report): Record<string, unknown> {
  const counts = findingCounts(r);
  const row: Record<string, unknown> = {
    document: r.source.path,
    sha256: shaOf(r),
    format: r.source.format ?? undefined,
    bytes: r.source.bytes,
    pages: r.source.pages,
    agency: r.meta.agency,
    year: r.meta.year,
    template: r.meta.template,
    title: r.meta.title,
    region: r.meta.region,
    published_at: r.meta.publishedAt,
    other_handling: r.meta.otherHandling,
    errors: r.errors.map((e) => e.code).join(';') || undefined,
    findings_error: counts.error,
    findings_warning: counts.warning,
    findings_info: counts.info,
    worst_rule: counts.worstRule || undefined,
  };
  for (const [path, v] of Object.entries(r.values)) row[path] = v.value;
  return row;
}

export function codebookRows(): CodebookRow[] {
  return codebook().map((e) => ({ path: e.path, kind: e.kind, table: e.table || undefined, row_label: e.rowLabel, column_label: e.columnLabel || undefined, type: e.type, templates: e.templates.join(';') }));
}
