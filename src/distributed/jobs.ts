/**
 * The audit job and what happens at the end of one: a document's content (by hash) with the
 * documents of the run that hold it, and, when every attempt has failed, the dead-letter queue and
 * the run's failed lines. Everything here may run twice (two workers seeing the same failure, a
 * worker killed half-way and its job run again) and gives the same result: the dead letter has the
 * job's id, a run line is keyed by (run, seq), a run's cross-year checks replace what was there.
 */
import type { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { auditBodiesAcrossYears } from '../batch/run.ts';
import { errorReport, type Report } from '../report/schema.ts';
import type { AuditStore } from '../store/store.ts';

export interface JobDocument {
  /** Place in the run's input order. */
  seq: number;
  /** What the run calls it: the path as given to `ogi audit`. */
  name: string;
  /** Where its bytes are: the absolute path on the enqueuer's machine (the name may be relative to its folder). */
  where?: string;
}

export interface AuditJob {
  runId: number;
  sha256: string;
  /** Size of the content in bytes (for a failed line when the bytes cannot be had). */
  size: number;
  /** Every document of the run with this content, in input order: the first is read, the rest reuse its report. */
  docs: JobDocument[];
  /** Documents in the run: whoever writes the last line of a detached run finishes it. */
  total: number;
  /** Jobs of the run (a detached run's workers count the jobs ended in Redis, not the lines in the store). */
  jobs?: number;
  /** No enqueuer follows the run: the workers do its cross-year checks and end it. */
  detached: boolean;
  /** The pipeline version of the run (the queue is that version's: for messages only). */
  pipeline: string;
  /** The charset the HTTP response named (a crawled HTML page): the first rung of the encoding ladder. */
  httpCharset?: string;
}

/** What a finished job returns (BullMQ keeps it as the job's return value). */
export interface AuditJobResult {
  documents: number;
  /** Of them, documents that could not be read (a lasting error: corrupt, encrypted, …). */
  unreadable: number;
}

export interface DeadLetter extends AuditJob {
  jobId: string;
  error: { code: string; message: string };
  attempts: number;
  failedAt: string;
}

/** One job per content per run: the same bytes twice in a batch are one job, a new run's are another. */
export const auditJobId = (runId: number, sha256: string): string => `run${runId}-${sha256}`;

/** A job's failure with the code its documents' failed lines get (and the report the attempt made, if any). */
export class JobFailure extends Error {
  readonly code: string;
  readonly report?: Report;

  constructor(code: string, message: string, report?: Report) {
    super(message);
    this.code = code;
    this.report = report;
  }
}

/** BullMQ's reason for a job it failed itself because its workers kept dying on it. */
export const STALLED_REASON = /stalled more than allowable limit|started more than allowable limit/;

/**
 * The failed line of each document of the job: the attempt's own report when there is one (renamed
 * for each document, as a local run names each copy), else an error report made here.
 */
export function failedReports(data: AuditJob, code: string, message: string, report?: Report): { doc: JobDocument; report: Report }[] {
  return data.docs.map((doc) => {
    if (report) {
      const copy = structuredClone(report);
      const before = `${copy.source.path}: `;
      for (const e of copy.errors) if (e.message.startsWith(before)) e.message = `${doc.name}: ${e.message.slice(before.length)}`;
      copy.source.path = doc.name;
      return { doc, report: copy };
    }
    return { doc, report: errorReport({ path: doc.name, format: null, sha256: data.sha256, bytes: data.size }, code, message) };
  });
}

/**
 * A job that failed every attempt: each of its documents gets its failed line, so the run can
 * finish, and the job goes to the dead-letter queue (its data and its error). The lines are kept
 * with the run only (timeout, out-of-memory, internal-error and read-failed are not a document's
 * lasting result): a later run tries the document again.
 */
export async function deadLetter(
  store: AuditStore,
  dead: Queue,
  job: Job<AuditJob>,
  failure: { code: string; message: string; report?: Report },
  attempts: number,
  redis?: Redis,
): Promise<void> {
  const data = job.data;
  const letter: DeadLetter = {
    ...data,
    jobId: job.id!,
    error: { code: failure.code, message: failure.message },
    attempts,
    failedAt: new Date().toISOString(),
  };
  // The lines first: a dead letter says its lines are written (a worker that finds one does nothing).
  for (const { doc, report } of failedReports(data, failure.code, failure.message, failure.report)) await store.save(data.runId, doc.seq, doc.name, report, undefined, doc.where);
  // Never processed: it stays until someone removes it.
  await dead.add('dead', letter, { jobId: job.id, removeOnComplete: false, removeOnFail: false });
  await finishIfDone(store, data, redis && { redis, prefix: dead.opts.prefix ?? 'bull', jobId: job.id! });
}

/** The failure of a job as its documents' lines give it: a JobFailure's code, else internal-error. */
export function failureOf(e: unknown): { code: string; message: string; report?: Report } {
  if (e instanceof JobFailure) return { code: e.code, message: e.message, report: e.report };
  const message = (e as Error)?.message ?? String(e);
  if (STALLED_REASON.test(message)) return { code: 'internal-error', message: `every worker that took this document died (${message})` };
  return { code: 'internal-error', message: `the worker could not finish this document: ${message}` };
}

/**
 * A detached run whose every document has its line: its cross-year checks, then its end. Which job
 * ends last is counted in Redis (a set of the run's ended jobs: a job ended twice, by a worker killed
 * after its lines and the one that took it over, counts once), so that a worker does not count the
 * run's lines in the store after every job. Two workers may both see the end and both finish the
 * run: the checks replace what was there, the end is the same.
 */
export async function finishIfDone(store: AuditStore, data: Pick<AuditJob, 'runId' | 'total' | 'detached' | 'jobs'>, ended?: { redis: Redis; prefix: string; jobId: string }): Promise<boolean> {
  if (!data.detached) return false;
  if (ended && data.jobs !== undefined) {
    const key = `${ended.prefix}:ogi-runs:${data.runId}:ended`;
    const replies = await ended.redis.multi().sadd(key, ended.jobId).expire(key, 30 * 24 * 3600).scard(key).exec();
    if (Number(replies?.[2]?.[1] ?? 0) < data.jobs) return false;
  }
  return finishRun(store, data.runId, data.total);
}

export async function finishRun(store: AuditStore, runId: number, total: number): Promise<boolean> {
  const run = await store.run(runId);
  if (!run || run.status === 'done' || run.documents < total) return false;
  await auditBodiesAcrossYears(store, await store.runBodies(runId), runId);
  await store.endRun(runId);
  return true;
}
