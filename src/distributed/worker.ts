/**
 * `ogi worker`: a BullMQ worker on the audit queue of its pipeline version. A job is one content (by
 * hash) and the documents of a run holding it; its bytes come from the blob store, are read in an
 * AuditPool (worker threads under a time and a memory limit, so this thread stays free to renew the
 * job's lock), and the report goes into the shared store: saved for the first document, reused for
 * the others. A failure of the moment (timeout, out-of-memory, a dead thread, the store or the blob
 * unreachable) is thrown, and BullMQ tries again after an exponential backoff; after the last attempt
 * the job goes to the dead-letter queue and its documents get their failed lines, so the run ends.
 * A worker killed outright has its jobs taken by another once their locks expire (BullMQ's stalled
 * check); SIGTERM or SIGINT lets the current jobs finish, takes no new one, and exits 0.
 */
import { hostname } from 'node:os';
import { type Job, QueueEvents, Worker } from 'bullmq';
import { AuditPool } from '../batch/pool.ts';
import { createLogger, type Logger } from '../crawl/log.ts';
import { TRANSIENT_ERRORS } from '../store/store.ts';
import { pipelineVersion } from '../version.ts';
import { auditQueueName, connectServices, DEAD_QUEUE, redactUrl, type Services } from './connect.ts';
import { type AuditJob, type AuditJobResult, deadLetter, failureOf, finishIfDone, JobFailure } from './jobs.ts';

export interface WorkerOptions {
  redisUrl: string;
  db: string;
  blobsDir?: string;
  prefix?: string;
  /** Jobs at once, and threads reading them. */
  concurrency: number;
  /** Time limit per document (its thread is stopped and replaced past it). */
  timeoutMs: number;
  /** How long a job's lock lasts without renewal: a worker that dies frees its jobs this long after. */
  lockMs: number;
  /** How often this worker looks for jobs whose worker died. */
  stalledMs: number;
  /** Times a job may lose its worker before BullMQ fails it (then: dead letter). */
  maxStalled: number;
  logger?: Logger;
  /** Resolves when the worker should stop (default: SIGTERM or SIGINT). */
  stop?: Promise<string>;
}

/** Lock settings from the environment (seconds-long in tests, BullMQ's 30 s by default). */
export function lockSettings(env: NodeJS.ProcessEnv = process.env): Pick<WorkerOptions, 'lockMs' | 'stalledMs' | 'maxStalled'> {
  const num = (name: string, fallback: number): number => {
    const x = Number(env[name]);
    return Number.isFinite(x) && x > 0 ? x : fallback;
  };
  const lockMs = num('OGI_WORKER_LOCK_MS', 30_000);
  return { lockMs, stalledMs: num('OGI_WORKER_STALLED_MS', lockMs), maxStalled: num('OGI_WORKER_MAX_STALLED', 2) };
}

export function signals(): Promise<string> {
  return new Promise((resolve) => {
    const on = (sig: string) => () => {
      // A second signal: stop now; the jobs in hand go back to the queue when their locks expire.
      process.once('SIGTERM', () => process.exit(143));
      process.once('SIGINT', () => process.exit(130));
      resolve(sig);
    };
    process.once('SIGTERM', on('SIGTERM'));
    process.once('SIGINT', on('SIGINT'));
  });
}

export async function runWorker(o: WorkerOptions): Promise<number> {
  const log = o.logger ?? createLogger();
  const stop = o.stop ?? signals();
  const pipeline = pipelineVersion();
  const services = await connectServices({ redisUrl: o.redisUrl, db: o.db, blobsDir: o.blobsDir, prefix: o.prefix, pipeline });
  const { store, blobs } = services;
  const queueName = auditQueueName(pipeline);
  const audits = services.queue(queueName);
  const dead = services.queue(DEAD_QUEUE);
  const pool = new AuditPool({ workers: o.concurrency, timeoutMs: o.timeoutMs });
  const counts = { documents: 0, jobs: 0, retried: 0, dead: 0 };

  const audit = async (job: Job<AuditJob>): Promise<AuditJobResult> => {
    const d = job.data;
    const bytes = await blobs.get(d.sha256);
    if (!bytes) throw new JobFailure('read-failed', `the document's bytes are not in ${services.blobsWhere} (do ogi audit and every worker name the same --db and --blobs?)`);
    // A view of exactly these bytes: a slice of a bigger buffer would be copied whole to the thread.
    const view = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? new Uint8Array(bytes.buffer) : new Uint8Array(bytes);
    const [first, ...rest] = d.docs;
    const report = await pool.audit(first.name, view, d.sha256, d.httpCharset);
    const error = report.errors[0];
    if (error && TRANSIENT_ERRORS.has(error.code)) throw new JobFailure(error.code, error.message, report);
    await store.save(d.runId, first.seq, first.name, report, undefined, first.where);
    for (const doc of rest) await store.reuse(d.runId, doc.seq, doc.name, d.sha256);
    await finishIfDone(store, d, { redis: services.redis, prefix: services.prefix, jobId: job.id! });
    counts.jobs++;
    counts.documents += d.docs.length;
    return { documents: d.docs.length, unreadable: report.errors.length ? d.docs.length : 0 };
  };

  const processor = async (job: Job<AuditJob>): Promise<AuditJobResult> => {
    try {
      return await audit(job);
    } catch (e) {
      const failure = failureOf(e);
      const attempts = job.opts.attempts ?? 1;
      const fields = { job: job.id, document: job.data.docs[0]?.name, attempt: job.attemptsMade + 1, of: attempts, code: failure.code, error: failure.message };
      if (job.attemptsMade + 1 >= attempts) {
        counts.dead++;
        log.log('warn', 'dead letter', fields);
        await deadLetter(store, dead, job, failure, job.attemptsMade + 1, services.redis);
      } else {
        counts.retried++;
        log.log('warn', 'attempt failed, retried later', fields);
      }
      throw e;
    }
  };

  const worker = new Worker<AuditJob, AuditJobResult>(queueName, processor, {
    connection: services.redis,
    prefix: services.prefix,
    concurrency: o.concurrency,
    lockDuration: o.lockMs,
    stalledInterval: o.stalledMs,
    maxStalledCount: o.maxStalled,
    name: `${hostname()}:${process.pid}`,
    // Completed jobs are kept a while (to be looked at), not forever; failed ones longer.
    removeOnComplete: { age: 24 * 3600, count: 100_000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  });
  worker.on('error', (e) => log.log('error', 'queue error', { error: e.message }));
  worker.on('stalled', (jobId) => log.log('warn', 'stalled job taken back', { job: jobId }));

  // A job BullMQ failed by itself (its workers kept dying: no processor saw its end) still owes its
  // documents their failed lines. Every worker hears of it; the first to act leaves a dead letter
  // that tells the others it is done.
  const eventsConnection = services.redis.duplicate();
  const events = new QueueEvents(queueName, { connection: eventsConnection, prefix: services.prefix });
  events.on('error', () => undefined);
  events.on('failed', ({ jobId, failedReason }) => void orphan(services, audits, dead, jobId, failedReason, log));

  await worker.waitUntilReady();
  await events.waitUntilReady();
  log.log('info', 'ogi worker ready', {
    queue: queueName,
    prefix: services.prefix,
    concurrency: o.concurrency,
    timeout: `${o.timeoutMs / 1000} s`,
    lock: `${o.lockMs / 1000} s`,
    redis: redactUrl(o.redisUrl),
    store: store.location,
    blobs: services.blobsWhere,
    pid: process.pid,
  });

  const signal = await stop;
  log.log('info', 'stopping: finishing the current jobs, taking no new ones', { signal });
  await worker.close();
  await events.close().catch(() => undefined);
  await eventsConnection.quit().catch(() => eventsConnection.disconnect());
  await pool.close();
  await services.close();
  log.log('info', 'ogi worker stopped', counts);
  return 0;
}

async function orphan(services: Services, audits: ReturnType<Services['queue']>, dead: ReturnType<Services['queue']>, jobId: string, reason: string, log: Logger): Promise<void> {
  try {
    const job = (await audits.getJob(jobId)) as Job<AuditJob> | undefined;
    if (!job || (await job.getState()) !== 'failed' || (await dead.getJob(jobId))) return;
    log.log('warn', 'dead letter', { job: jobId, document: job.data.docs[0]?.name, error: reason });
    await deadLetter(services.store, dead, job, failureOf(new Error(reason)), job.attemptsMade, services.redis);
  } catch (e) {
    log.log('error', 'could not record a failed job', { job: jobId, error: (e as Error).message });
  }
}
