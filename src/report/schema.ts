/**
 * The report as every stage after extraction sees it, and the JSON contract of `ogi audit --json`
 * (../shared/spec/schema.md). zod schemas are the types.
 */
import { z } from 'zod';

/** What a table cell held, before it became a number. */
export const CellKind = z.enum([
  'number', // an explicit number
  'blank', // nothing in the cell: read as 0, noted
  'dash', // -, —, – : read as 0, noted
  'slash', // / : read as 0, noted
  'none', // 无 : read as 0, noted
  'illegible', // something that is not a number: null, an error finding
  'missing', // the row or table is not in the document: null
]);
export type CellKind = z.infer<typeof CellKind>;

/** One value with where it came from. */
export const ValueCell = z.object({
  value: z.number().nullable(),
  raw: z.string(),
  kind: CellKind,
  /** Extra text in the cell beside the number, e.g. （其中修订16件）, or a unit such as 元. */
  note: z.string().optional(),
  page: z.number().int().optional(),
  table: z.number().int().optional(),
  row: z.number().int().optional(),
  col: z.number().int().optional(),
});
export type ValueCell = z.infer<typeof ValueCell>;

export const Claim = z.object({
  /** Canonical path (or a derived sum path, or narrative.*) the sentence speaks of. */
  path: z.string(),
  value: z.number(),
  /** The sentence (clause) the count comes from. */
  text: z.string(),
  /** Stated parts of a total (公开…244条，其中…3条，…5条). */
  parts: z.array(z.number()).optional(),
  /** The count is approximate (5500余条). */
  approximate: z.boolean().optional(),
  page: z.number().int().optional(),
});
export type Claim = z.infer<typeof Claim>;

export const Severity = z.enum(['error', 'warning', 'info']);
export type Severity = z.infer<typeof Severity>;

export const CellLocation = z.object({
  path: z.string(),
  raw: z.string().optional(),
  page: z.number().int().optional(),
  table: z.number().int().optional(),
  row: z.number().int().optional(),
  col: z.number().int().optional(),
});

export const Finding = z.object({
  rule: z.string(),
  severity: Severity,
  message: z.string(),
  /** Every cell the finding involves; the first is where it is "at". */
  paths: z.array(z.string()),
  expected: z.number().nullable().optional(),
  actual: z.number().nullable().optional(),
  /** Where the cells are in the document. */
  cells: z.array(CellLocation).optional(),
  /** The sentence a narrative finding is about. */
  text: z.string().optional(),
  /** For cross-document findings: the other document. */
  related: z.string().optional(),
});
export type Finding = z.infer<typeof Finding>;

export const DocumentErrorEntry = z.object({ code: z.string(), message: z.string() });

export const Source = z.object({
  path: z.string(),
  format: z.enum(['pdf', 'docx', 'html']).nullable(),
  sha256: z.string(),
  bytes: z.number().int(),
  pages: z.number().int().optional(),
});
export type Source = z.infer<typeof Source>;

export const Meta = z.object({
  agency: z.string().optional(),
  year: z.number().int().optional(),
  template: z.enum(['2021', '2019']).optional(),
  title: z.string().optional(),
  region: z.string().optional(),
  publishedAt: z.string().optional(),
  /** How the 表三 （六）其他处理 group is laid out: three rows (2021) or one (2019, or collapsed). */
  otherHandling: z.enum(['itemized', 'unitemized']).optional(),
});
export type Meta = z.infer<typeof Meta>;

/** The normalised report: flat canonical path → value, as normalize makes it and audit reads it. */
export interface Report {
  source: Source;
  meta: Meta;
  values: Record<string, ValueCell>;
  narrative: Claim[];
  findings: Finding[];
  errors: { code: string; message: string }[];
}

/** The report of a document that could not be read: its source and why, nothing else. */
export function errorReport(source: Source, code: string, message: string): Report {
  return { source, meta: {}, values: {}, narrative: [], findings: [], errors: [{ code, message }] };
}

const Nested: z.ZodType<unknown> = z.lazy(() => z.union([z.number(), z.null(), z.record(z.string(), Nested)]));

/** One report in the JSON document (schema.md). */
export const ReportJson = z.object({
  source: Source,
  meta: Meta,
  active: z.record(z.string(), Nested),
  requests: z.record(z.string(), Nested),
  reviewLitigation: z.record(z.string(), Nested),
  narrative: z.array(Claim),
  findings: z.array(Finding),
  errors: z.array(DocumentErrorEntry),
  /** Provenance of every value: canonical path → raw text, kind, page, table, row, column. */
  cells: z.record(z.string(), ValueCell.omit({ value: true })),
});
export type ReportJson = z.infer<typeof ReportJson>;

export const AuditJson = z.object({
  tool: z.object({ name: z.literal('ogi-audit'), version: z.string() }),
  reports: z.array(ReportJson),
});
export type AuditJson = z.infer<typeof AuditJson>;
