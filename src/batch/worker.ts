/**
 * The worker-thread side of the batch pool (pool.ts): one document's bytes in, its report out (as
 * JSON text). Runs `auditBytes`, the same code `auditFile` runs in-process, so a report from
 * the pool is the report the pipeline gives.
 */
import type { MessagePort } from 'node:worker_threads';
import { auditBytes } from '../pipeline.ts';
import type { Report } from '../report/schema.ts';

// Load the PDF reader (pdf.js, imported lazily by the pipeline) with the worker, not with its first
// PDF: start-up is not a document's time.
await import('../extract/pdf.ts').catch(() => {});

export interface WorkerTask {
  path: string;
  bytes: Uint8Array;
  /** The bytes' hash when the caller has it already. */
  sha256?: string;
  /** The charset the HTTP response named, for a crawled HTML page (the first rung of the encoding ladder). */
  httpCharset?: string;
  /** Told `'start'` when the document starts in this worker: the time limit counts from then. */
  port?: MessagePort;
}

/**
 * TEST-ONLY hook, never set in real use: `OGI_TEST_POISON=<substring>[:hang|:oom|:crash][,…]` makes
 * this worker misbehave on a document whose path contains the substring: spin forever (`hang`, the
 * default), allocate without bound (`oom`) or end its thread (`crash`). test/batch.test.ts uses it to
 * show that one poisoned document costs no other document its result.
 */
function poison(path: string): void {
  for (const spec of (process.env.OGI_TEST_POISON ?? '').split(',')) {
    const i = spec.lastIndexOf(':');
    const [needle, mode] = i > 0 ? [spec.slice(0, i), spec.slice(i + 1)] : [spec, 'hang'];
    if (!needle || !path.includes(needle)) continue;
    if (mode === 'crash') process.exit(70);
    if (mode === 'oom') {
      // Large heap arrays reach the old-generation limit in a few steps (small strings make the
      // collector thrash for seconds first, and the time limit could fire before the memory one).
      const hoard: number[][] = [];
      for (;;) hoard.push(new Array(1 << 20).fill(hoard.length + 0.5));
    }
    for (;;) {
      /* hang */
    }
  }
}

/** The document's report as JSON text (see AuditPool.audit). */
export default async function auditTask(task: WorkerTask): Promise<string> {
  task.port?.postMessage('start');
  task.port?.close();
  poison(task.path);
  return JSON.stringify(await auditBytes(task.bytes, task.path, { sha256: task.sha256, httpCharset: task.httpCharset }));
}
