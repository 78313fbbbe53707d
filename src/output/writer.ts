/**
 * What every output of `--out DIR` shares: it is fed the batch's reports one at a time in the
 * batch's order, then writes its files beside their targets, and only when every output has written
 * do they all appear (rename). A failure anywhere leaves DIR as it was.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Finding, Report, Severity } from '../report/schema.ts';

export interface OutputOptions {
  /** The folder the outputs go to. */
  dir: string;
  tool: { name: 'ogi-audit'; version: string };
}

export interface OutputWriter {
  /** Called once per report, in the batch's order. Keep only what the output needs: batches are large. */
  add(report: Report): void;
  /** Writes everything to temporary files beside the targets; nothing is visible yet. */
  finish(): Promise<void>;
  /** Renames the temporary files over the targets. */
  commit(): void;
  /** Removes the temporary files; the targets stay as they were. */
  abort(): void;
}

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];
const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/**
 * A report's findings with its document errors first, as findings of rule `document.<code>`
 * (severity error): the list every output shows, so their counts agree.
 */
export function allFindings(r: Report): Finding[] {
  return [...r.errors.map((e): Finding => ({ rule: `document.${e.code}`, severity: 'error', message: e.message, paths: [] })), ...r.findings];
}

export interface FindingCounts {
  error: number;
  warning: number;
  info: number;
  /** The rule with the most findings at the worst severity present (ties: rule name order); '' when none. */
  worstRule: string;
}

/**
 * Findings by rule, each rule with its worst severity and how many findings it has at that
 * severity: the worst rule is the one with the most findings at the worst severity present.
 */
export class RuleTally {
  readonly #rules = new Map<string, { severity: Severity; n: number }>();

  add(f: Pick<Finding, 'rule' | 'severity'>): void {
    const seen = this.#rules.get(f.rule);
    if (!seen || RANK[f.severity] < RANK[seen.severity]) this.#rules.set(f.rule, { severity: f.severity, n: 1 });
    else if (seen.severity === f.severity) seen.n++;
  }

  /** The worst rule (ties: rule name order); '' when none. */
  worst(): string {
    const worst = [...this.#rules].sort(([ra, a], [rb, b]) => RANK[a.severity] - RANK[b.severity] || b.n - a.n || (ra < rb ? -1 : ra > rb ? 1 : 0))[0];
    return worst?.[0] ?? '';
  }
}

export function findingCounts(r: Report): FindingCounts {
  const counts: FindingCounts = { error: 0, warning: 0, info: 0, worstRule: '' };
  const rules = new RuleTally();
  for (const f of allFindings(r)) {
    counts[f.severity]++;
    rules.add(f);
  }
  counts.worstRule = rules.worst();
  return counts;
}

/** The pages a finding's cells are on, ascending. */
export function findingPages(f: Finding): number[] {
  return [...new Set((f.cells ?? []).map((c) => c.page).filter((p): p is number => p !== undefined))].sort((a, b) => a - b);
}

/**
 * A link from a file in `dir` to the document: a URL stays a URL; a file becomes a relative path
 * with forward slashes (so the output folder can be moved together with the documents).
 */
export function documentLink(dir: string, sourcePath: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(sourcePath)) return sourcePath;
  const rel = relative(resolve(dir), resolve(sourcePath));
  const path = isAbsolute(rel) ? rel : rel.split(sep).join('/');
  return encodeURI(path).replaceAll('#', '%23').replaceAll('?', '%3F');
}
