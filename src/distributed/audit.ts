/**
 * `ogi audit <inputs> --redis URL --db URL`: the enqueuer. It begins a run in the shared store, reads
 * every input once, puts its bytes in the blob store and adds one job per distinct content (enqueue.ts);
 * then, unless --detach, follows the run until every document has its line (follow.ts), runs the
 * cross-year checks, ends the run and prints exactly what a local run prints, from the store.
 */
import { ProgressBar } from '../batch/progress.ts';
import { auditBodiesAcrossYears } from '../batch/run.ts';
import type { AuditStore } from '../store/store.ts';
import { pipelineVersion } from '../version.ts';
import { auditQueueName, connectServices, DEAD_QUEUE } from './connect.ts';
import { enqueueRun } from './enqueue.ts';
import { followRun } from './follow.ts';
import { finishRun } from './jobs.ts';

export interface DistributedOptions<O> {
  /** What the user named, kept with the run. */
  inputs: string[];
  redisUrl: string;
  db: string;
  blobsDir?: string;
  prefix?: string;
  detach: boolean;
  attempts: number;
  backoffMs: number;
  readConcurrency: number;
  output: O & { json: boolean };
  /** The local mode's output writer (src/cli/audit.ts): the same bytes from the same store rows. */
  writeRunOutputs: (store: AuditStore, runId: number, output: O & { json: boolean }) => Promise<number>;
}

export async function runDistributed<O>(files: string[], o: DistributedOptions<O>): Promise<number> {
  const pipeline = pipelineVersion();
  const services = await connectServices({ redisUrl: o.redisUrl, db: o.db, blobsDir: o.blobsDir, prefix: o.prefix, pipeline });
  const { store } = services;
  try {
    const queue = services.queue(auditQueueName(pipeline));
    const dead = services.queue(DEAD_QUEUE);
    const runId = await store.beginRun(o.inputs);
    const reading = new ProgressBar(files.length);
    const enqueued = await enqueueRun(files, store, services.blobs, queue, {
      runId,
      pipeline,
      detached: o.detach,
      attempts: o.attempts,
      backoffMs: o.backoffMs,
      readConcurrency: o.readConcurrency,
      onRead: (read, reused, unreadable) => reading.update(read, unreadable, reused),
    });
    reading.clear();

    if (o.detach) {
      // Nothing to wait for (all reused, or all unreadable): the run ends now; else its last worker ends it.
      const finished = await finishRun(store, runId, files.length);
      const follow = `ogi export --db ${store.location} --run ${runId} --out DIR`;
      if (o.output.json) process.stdout.write(`${JSON.stringify({ run: runId, documents: files.length, jobs: enqueued.jobs, reused: enqueued.reused, unreadable: enqueued.unreadable, queue: queue.name, done: finished, export: follow })}\n`);
      else
        process.stdout.write(
          `run ${runId}: ${files.length} document${files.length === 1 ? '' : 's'}, ${enqueued.jobs} job${enqueued.jobs === 1 ? '' : 's'} on the queue ${queue.name}` +
            `${enqueued.reused ? `, ${enqueued.reused} already in the store` : ''}${finished ? '; done' : ''}\n` +
            `the workers finish it; then: ${follow}\n`,
        );
      return 0;
    }

    const progress = new ProgressBar(files.length);
    await followRun(store, queue, dead, runId, files.length, { onProgress: (done) => progress.update(done, enqueued.unreadable, enqueued.reused) });
    progress.clear();
    await auditBodiesAcrossYears(store, await store.runBodies(runId), runId);
    await store.endRun(runId);
    return await o.writeRunOutputs(store, runId, o.output);
  } finally {
    await services.close();
  }
}
