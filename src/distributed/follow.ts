/**
 * The enqueuer follows its run until every document has its line in the store: it polls the run's
 * document count (one cheap query every few hundred milliseconds), says on standard error when no
 * worker serves the queue or nothing moves for a minute, and catches jobs that BullMQ failed by
 * itself (every worker that took them died) but that no worker dead-lettered.
 */
import type { Job, Queue } from 'bullmq';
import type { AuditStore } from '../store/store.ts';
import { type AuditJob, deadLetter, failureOf } from './jobs.ts';

export interface FollowOptions {
  /** Called after each poll with the documents that have their line. */
  onProgress?: (done: number) => void;
  /** Warnings (no worker, no progress), one line each. */
  warn?: (line: string) => void;
  pollMs?: number;
  /** Silence before a warning (default 60 s). */
  quietMs?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function followRun(store: AuditStore, queue: Queue, dead: Queue, runId: number, total: number, o: FollowOptions = {}): Promise<void> {
  const pollMs = o.pollMs ?? 300;
  const quietMs = o.quietMs ?? 60_000;
  const warn = o.warn ?? ((line: string) => process.stderr.write(`ogi: ${line}\n`));
  let last = -1;
  let changed = Date.now();
  let warned = 0;
  let reconciled = Date.now();
  let workersSeen = false;
  for (let polls = 0; ; polls++) {
    const done = (await store.run(runId))?.documents ?? 0;
    o.onProgress?.(done);
    if (done >= total) return;
    const now = Date.now();
    if (done !== last) {
      last = done;
      changed = now;
    }
    // Whether anyone serves the queue: asked once early, then whenever nothing moves for a while.
    if ((!workersSeen && polls === 10) || (now - changed > quietMs && now - warned > quietMs)) {
      warned = now;
      const workers = await queue.getWorkersCount().catch(() => -1);
      if (workers > 0) workersSeen = true;
      if (workers === 0) warn(`no ogi worker serves the queue ${queue.name} (prefix ${queue.opts.prefix ?? 'bull'}): start one of this version with ogi worker --redis URL --db URL; waiting`);
      else if (now - changed > quietMs) warn(`${total - done} document${total - done === 1 ? '' : 's'} still to do, none finished in ${Math.round((now - changed) / 1000)} s (${workers < 0 ? 'workers unknown' : `${workers} worker connection${workers === 1 ? '' : 's'}`}); waiting`);
    }
    if (now - reconciled > 5000) {
      reconciled = now;
      await orphans(store, queue, dead, runId).catch((e: Error) => warn(`could not look at failed jobs: ${e.message}`));
    }
    await sleep(pollMs);
  }
}

/** Failed jobs of the run without their dead letter (so without their documents' lines): given both now. */
async function orphans(store: AuditStore, queue: Queue, dead: Queue, runId: number): Promise<void> {
  const prefix = `run${runId}-`;
  for (const job of (await queue.getFailed(0, 999)) as Job<AuditJob>[]) {
    if (!job?.id?.startsWith(prefix) || (await dead.getJob(job.id))) continue;
    await deadLetter(store, dead, job, failureOf(new Error(job.failedReason)), job.attemptsMade);
  }
}
