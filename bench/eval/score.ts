// Scores one report against its truth (a generated one or a hand-made one of ../shared/corpus: the
// same shape). Values: every table leaf of the truth, plus meta.agency/year/template where given.
// Flagged: each path of expect.errors_at named by an error finding, each of warnings_at by an error
// or warning. False alarm: an error or warning finding naming none of the expected or allowed paths.
import type { Report } from '../../src/report/schema.ts';

export interface TruthLike {
  meta: { agency?: string; year?: number; template?: string };
  active: object;
  requests: object;
  reviewLitigation: object;
  expect: { errors_at: string[]; warnings_at: string[]; may_warn_at: string[] };
}

export interface Counts {
  documents: number;
  values: number;
  valuesRight: number;
  documentsRight: number;
  injected: number;
  flagged: number;
  falseAlarms: number;
  documentErrors: number;
}

export interface DocumentScore extends Counts {
  /** what went wrong, one line each (empty for a document entirely right) */
  problems: string[];
}

export const zero = (): Counts => ({ documents: 0, values: 0, valuesRight: 0, documentsRight: 0, injected: 0, flagged: 0, falseAlarms: 0, documentErrors: 0 });

export function add(to: Counts, c: Counts): void {
  for (const k of Object.keys(zero()) as (keyof Counts)[]) to[k] += c[k];
}

function leaves(o: object, prefix: string, out: [string, unknown][]): void {
  for (const [k, v] of Object.entries(o)) {
    const p = `${prefix}.${k}`;
    if (v !== null && typeof v === 'object') leaves(v, p, out);
    else out.push([p, v]);
  }
}

const same = (want: unknown, got: unknown): boolean =>
  typeof want === 'number' && typeof got === 'number' ? Math.round(want * 1e6) === Math.round(got * 1e6) : want === got;

export function scoreDocument(report: Report, truth: TruthLike): DocumentScore {
  const problems: string[] = [];
  const cells: [string, unknown][] = [];
  leaves(truth.active, 'active', cells);
  leaves(truth.requests, 'requests', cells);
  leaves(truth.reviewLitigation, 'reviewLitigation', cells);
  let values = 0;
  let right = 0;
  for (const [path, want] of cells) {
    values++;
    const got = report.values[path];
    if (same(want, got?.value)) right++;
    else problems.push(`value ${path}: want ${want}, got ${got?.value} (raw ${JSON.stringify(got?.raw)})`);
  }
  for (const k of ['agency', 'year', 'template'] as const) {
    if (truth.meta[k] === undefined) continue;
    values++;
    if (report.meta[k] === truth.meta[k]) right++;
    else problems.push(`value meta.${k}: want ${truth.meta[k]}, got ${report.meta[k]}`);
  }
  const { errors_at, warnings_at, may_warn_at } = truth.expect;
  const errors = report.findings.filter((f) => f.severity === 'error');
  const loud = report.findings.filter((f) => f.severity === 'error' || f.severity === 'warning');
  let flagged = 0;
  for (const p of errors_at) {
    if (errors.some((f) => f.paths.includes(p))) flagged++;
    else problems.push(`not flagged: no error names ${p}`);
  }
  for (const p of warnings_at) {
    if (loud.some((f) => f.paths.includes(p))) flagged++;
    else problems.push(`not flagged: no error or warning names ${p}`);
  }
  const allowed = new Set([...errors_at, ...warnings_at, ...may_warn_at]);
  let falseAlarms = 0;
  for (const f of loud) {
    if (f.paths.some((p) => allowed.has(p))) continue;
    falseAlarms++;
    problems.push(`false alarm: ${f.severity} ${f.rule} at ${f.paths.slice(0, 3).join(', ')}: ${f.message}`);
  }
  const documentErrors = report.errors.length > 0 ? 1 : 0;
  for (const e of report.errors) problems.push(`document error ${e.code}: ${e.message.split('\n')[0]}`);
  return {
    documents: 1, values, valuesRight: right, documentsRight: problems.length === 0 ? 1 : 0,
    injected: errors_at.length + warnings_at.length, flagged, falseAlarms, documentErrors, problems,
  };
}
