/** Comparing a report with a hand-made truth file (../shared/corpus/*.truth.json, fixtures/seed/*.truth.json). */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Report } from '../../src/report/schema.ts';

export const CORPUS = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
export const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
export const corpusPresent = existsSync(CORPUS);

export interface Truth {
  meta: { agency?: string; year?: number; template?: string };
  active: object;
  requests: object;
  reviewLitigation: object;
  narrative?: { path: string; value: number | number[]; text: string }[];
  expect: { errors_at: string[]; warnings_at: string[]; may_warn_at: string[] };
}

/** Every leaf of the truth's tables as [path, value]. */
export function truthValues(truth: Truth): [string, number][] {
  const out: [string, number][] = [];
  const walk = (o: object, prefix: string) => {
    for (const [k, v] of Object.entries(o)) {
      const p = `${prefix}.${k}`;
      if (v !== null && typeof v === 'object') walk(v, p);
      else out.push([p, v as number]);
    }
  };
  walk(truth.active, 'active');
  walk(truth.requests, 'requests');
  walk(truth.reviewLitigation, 'reviewLitigation');
  return out;
}

export function valueMismatches(report: Report, truth: Truth): string[] {
  const bad: string[] = [];
  for (const [path, want] of truthValues(truth)) {
    const got = report.values[path]?.value;
    if (got !== want) bad.push(`${path}: want ${want}, got ${got} (raw ${JSON.stringify(report.values[path]?.raw)})`);
  }
  for (const k of ['agency', 'year', 'template'] as const) {
    if (truth.meta[k] !== undefined && report.meta[k] !== truth.meta[k]) bad.push(`meta.${k}: want ${truth.meta[k]}, got ${report.meta[k]}`);
  }
  return bad;
}

/**
 * The findings a truth's `expect` allows: every path in errors_at named by an error finding, every
 * path in warnings_at by a warning (or error), and every error or warning naming at least one
 * listed path (nothing else may be flagged).
 */
export function expectationFailures(report: Report, truth: Truth): string[] {
  const bad: string[] = [];
  const { errors_at, warnings_at, may_warn_at } = truth.expect;
  const errors = report.findings.filter((f) => f.severity === 'error');
  const warnings = report.findings.filter((f) => f.severity === 'warning');
  for (const p of errors_at) if (!errors.some((f) => f.paths.includes(p))) bad.push(`no error names ${p}`);
  for (const p of warnings_at) if (![...errors, ...warnings].some((f) => f.paths.includes(p))) bad.push(`no warning names ${p}`);
  for (const f of errors) if (!f.paths.some((p) => errors_at.includes(p))) bad.push(`unexpected error ${f.rule}: ${f.message}`);
  const allowed = [...errors_at, ...warnings_at, ...may_warn_at];
  for (const f of warnings) if (!f.paths.some((p) => allowed.includes(p))) bad.push(`unexpected warning ${f.rule}: ${f.message}`);
  for (const e of report.errors) bad.push(`document error ${e.code}: ${e.message}`);
  return bad;
}
