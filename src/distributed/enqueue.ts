/**
 * The enqueuer's half of `ogi audit --redis`: every input read once (its SHA-256), its bytes put in
 * the blob store; content this pipeline has already reported gets its `reused` line at once (no
 * job), a file that cannot be read its failed line; every other content becomes ONE job (however
 * many names it has in the batch), added in input order. All inputs are read before the first job is
 * added, so that a job knows every document holding its content.
 */
import { resolve } from 'node:path';
import { open } from 'node:fs/promises';
import type { Queue } from 'bullmq';
import pLimit from 'p-limit';
import { errorReport, type Report } from '../report/schema.ts';
import { sha256Of } from '../store/blobs.ts';
import type { AuditStore, BlobStore, FileStat } from '../store/store.ts';
import { type AuditJob, auditJobId, type JobDocument } from './jobs.ts';

export interface EnqueueOptions {
  runId: number;
  pipeline: string;
  detached: boolean;
  /** Attempts per job before its dead letter (default 3). */
  attempts: number;
  /** First retry's delay; each next one doubles it. */
  backoffMs: number;
  /** Files read at once (default 2). */
  readConcurrency: number;
  /** Called as inputs are read: read so far, of them reused from the store, unreadable. */
  onRead?: (read: number, reused: number, unreadable: number) => void;
}

export interface Enqueued {
  documents: number;
  /** Jobs added: distinct contents to read. */
  jobs: number;
  /** Documents whose content this pipeline had already reported. */
  reused: number;
  /** Files that could not be read from disk. */
  unreadable: number;
}

type Read = { report: Report } | { reused: string; stat: FileStat } | { sha256: string; bytes: Uint8Array; stat: FileStat };

/** A file's stat and bytes (not read when `known` says the file is done), or its read-failed report (as a local run makes it). */
async function readInput(path: string, known: (stat: FileStat) => Promise<string | undefined>): Promise<Read> {
  let handle;
  try {
    handle = await open(path, 'r');
    const s = await handle.stat();
    const stat = { size: s.size, mtimeMs: s.mtimeMs };
    const reused = await known(stat);
    if (reused) return { reused, stat };
    const buf = await handle.readFile();
    const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    return { sha256: sha256Of(bytes), bytes, stat };
  } catch (e) {
    return { report: errorReport({ path, format: null, sha256: '', bytes: 0 }, 'read-failed', `cannot read the file: ${(e as Error).message}`) };
  } finally {
    await handle?.close();
  }
}

/** Jobs go to Redis this many at a time. */
const BULK = 200;

export async function enqueueRun(files: string[], store: AuditStore, blobs: BlobStore, queue: Queue, o: EnqueueOptions): Promise<Enqueued> {
  const groups = new Map<string, { size: number; docs: JobDocument[] }>();
  let read = 0;
  let reused = 0;
  let unreadable = 0;
  const limit = pLimit(Math.max(1, o.readConcurrency));
  // Lines of the run for what needs no job are written as each file is read; contents are grouped
  // in input order (a Map keeps the order of first insertion; seq orders documents within a group).
  const results = await Promise.all(
    files.map((path, seq) =>
      limit(async () => {
        const r = await readInput(path, (stat) => store.knownFile(path, stat));
        let outcome: { sha256: string; size: number } | undefined;
        if ('report' in r) {
          await store.save(o.runId, seq, path, r.report);
          unreadable++;
        } else if ('reused' in r) {
          await store.reuse(o.runId, seq, path, r.reused, r.stat);
          reused++;
        } else if (await store.hasReport(r.sha256)) {
          await store.reuse(o.runId, seq, path, r.sha256, r.stat);
          reused++;
        } else {
          await blobs.put(r.bytes);
          outcome = { sha256: r.sha256, size: r.bytes.byteLength };
        }
        read++;
        o.onRead?.(read, reused, unreadable);
        return outcome;
      }),
    ),
  );
  results.forEach((r, seq) => {
    if (!r) return;
    const group = groups.get(r.sha256) ?? groups.set(r.sha256, { size: r.size, docs: [] }).get(r.sha256)!;
    group.docs.push({ seq, name: files[seq], where: resolve(files[seq]) });
  });
  // Added in input order, with the id of (run, content): added twice (an enqueuer started again for
  // the same run) it is still one job.
  const jobs = [...groups].map(([sha256, g]) => {
    const data: AuditJob = { runId: o.runId, sha256, size: g.size, docs: g.docs.sort((a, b) => a.seq - b.seq), total: files.length, jobs: groups.size, detached: o.detached, pipeline: o.pipeline };
    return { name: 'audit', data, opts: { jobId: auditJobId(o.runId, sha256), attempts: o.attempts, backoff: { type: 'exponential', delay: o.backoffMs } } };
  });
  jobs.sort((a, b) => a.data.docs[0].seq - b.data.docs[0].seq);
  for (let i = 0; i < jobs.length; i += BULK) await queue.addBulk(jobs.slice(i, i + BULK));
  return { documents: files.length, jobs: jobs.length, reused, unreadable };
}
