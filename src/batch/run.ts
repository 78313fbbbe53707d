/**
 * A run of `ogi audit` against the store: documents already done by this pipeline (same bytes, same
 * pipeline version) are reused, not read; every other document goes through the pool and into the
 * store as it finishes; then the bodies the run touched are checked across years against every
 * year the store holds. Nothing is held in memory per document past its own turn.
 */
import { crossYearFindings } from '../audit/crossYear.ts';
import type { Finding, Report } from '../report/schema.ts';
import type { AuditStore } from '../store/store.ts';
import { auditEach, type BatchOptions } from './pool.ts';

export interface RunOptions extends BatchOptions {
  /** What the user named (files and folders), kept with the run. */
  inputs?: string[];
  /** What each document is called when that is not its path (a crawled document: its URL). */
  names?: string[];
  /** The charset each document's HTTP response named (crawled pages). */
  httpCharsets?: (string | undefined)[];
  /** Called once per document, reused or read: done so far, of them unreadable, reused. */
  onProgress?: (done: number, total: number, unreadable: number, reused: number) => void;
}

export interface RunResult {
  runId: number;
  documents: number;
  audited: number;
  reused: number;
}

export async function auditRun(files: string[], store: AuditStore, options: RunOptions = {}): Promise<RunResult> {
  const runId = await store.beginRun(options.inputs ?? files);
  let reused = 0;
  let unreadable = 0;
  await auditEach(files, {
    ...options,
    knownFile: (path, stat) => store.knownFile(path, stat),
    knownHash: (sha) => store.hasReport(sha),
    onOutcome: async (o, done, total) => {
      if (o.kind === 'reused') {
        await store.reuse(runId, o.index, o.path, o.sha256, o.stat);
        reused++;
      } else {
        await store.save(runId, o.index, o.path, o.report, o.stat);
        if (o.report.errors.length) unreadable++;
      }
      options.onProgress?.(done, total, unreadable, reused);
    },
  });
  await auditBodiesAcrossYears(store, await store.runBodies(runId), runId);
  await store.endRun(runId);
  return { runId, documents: files.length, audited: files.length - reused, reused };
}

/**
 * Cross-year findings for every stored report of these bodies: consecutive years compared, the
 * findings on the later report. A body's series is loaded one body at a time. Where a year has two
 * documents (全真版 and 文字版), the first by path stands for the year.
 */
export async function auditBodiesAcrossYears(store: AuditStore, bodies: string[], runId?: number): Promise<void> {
  for (const body of bodies) {
    const byYear = new Map<number, { sha256: string; path: string }>();
    const rest: string[] = [];
    for (const e of await store.series(body, runId)) {
      if (byYear.has(e.year)) rest.push(e.sha256);
      else byYear.set(e.year, e);
    }
    const loaded = new Map<number, Report>();
    const load = async (year: number): Promise<Report | undefined> => {
      const e = byYear.get(year);
      if (!e) return undefined;
      if (!loaded.has(year)) loaded.set(year, withoutCrossYear((await store.report(e.sha256, e.path))!));
      return loaded.get(year);
    };
    for (const [year, e] of byYear) {
      const earlier = await load(year - 1);
      const findings: { finding: Finding; relatedSha256: string }[] = earlier
        ? crossYearFindings(earlier, (await load(year))!).map((finding) => ({ finding, relatedSha256: earlier.source.sha256 }))
        : [];
      await store.setCrossYear(e.sha256, findings);
      loaded.delete(year - 1); // years go up: the one before is not needed again
    }
    for (const sha of rest) await store.setCrossYear(sha, []);
  }
}

function withoutCrossYear(r: Report): Report {
  r.findings = r.findings.filter((f) => !f.rule.startsWith('crossYear.'));
  return r;
}
