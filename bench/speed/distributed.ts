// npm run bench -- --workers 1,2 [--corpus DIR] [--formats html,docx,pdf] [--limit N] [--worker-concurrency C]
// The distributed audit (ogi audit --redis --db, ogi worker) against the local one, in the same run
// over the same documents: `ogi audit DIR` on this machine (one process, a thread per core), then
// for each count K of --workers, K `ogi worker` processes (each with C threads, default cores / K, so
// every measurement has the same threads in all) and `ogi audit DIR --redis --db` as the enqueuer.
// Timed: the command, start to exit (reading, hashing, blobs into PostgreSQL, jobs, the workers'
// reading, cross-year, the summary); the workers are started and ready before it (long-lived
// services), the local run's thread pool starts inside its time. Each measurement has a store of its
// own (a fresh PostgreSQL schema, a fresh SQLite file): nothing is reused. Standard output of each
// run is compared with the local one's (--json). Needs OGI_TEST_PG_URL and OGI_TEST_REDIS_URL
// (scripts/test-services.sh start) or --db and --redis.
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';

const OGI = new URL('../../bin/ogi.js', import.meta.url).pathname;

export interface DistributedRow {
  mode: string;
  processes: number;
  threads: number;
  documents: number;
  seconds: number;
  sameOutput: boolean;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  seconds: number;
}

function run(args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--single-threaded', OGI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code: code ?? -1, stdout, stderr, seconds: (performance.now() - t0) / 1000 }));
  });
}

/** `ogi worker`, resolved once it says it is ready. */
function startWorker(args: string[], cwd: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--single-threaded', OGI, 'worker', ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    const timer = setTimeout(() => reject(new Error(`ogi worker not ready in 60 s: ${stderr}`)), 60_000);
    child.stderr!.setEncoding('utf8').on('data', (d) => {
      stderr += d;
      if (stderr.includes('ogi worker ready')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`ogi worker exited ${code}: ${stderr}`));
    });
  });
}

async function stopWorkers(workers: ChildProcess[]): Promise<void> {
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve) => {
          if (w.exitCode !== null) return resolve();
          const timer = setTimeout(() => w.kill('SIGKILL'), 30_000);
          w.once('exit', () => (clearTimeout(timer), resolve()));
          w.kill('SIGTERM');
        }),
    ),
  );
}

export async function distributedBench(files: string[], counts: number[], o: { pgUrl: string; redisUrl: string; workerConcurrency?: number }): Promise<DistributedRow[]> {
  const cores = availableParallelism();
  const work = mkdtempSync(join(tmpdir(), 'ogi-bench-dist-'));
  const docs = join(work, 'docs');
  // The documents in one folder, named in corpus order (so both modes see the same inputs).
  mkdirSync(docs);
  files.forEach((f, i) => copyFileSync(f, join(docs, `${String(i).padStart(5, '0')}-${basename(f)}`)));
  const admin = new pg.Client({ connectionString: o.pgUrl, connectionTimeoutMillis: 10_000 });
  await admin.connect();
  const redis = new Redis(o.redisUrl, { maxRetriesPerRequest: 3 });
  const rows: DistributedRow[] = [];
  const common = ['docs', '--json', '--fail-on', 'never'];
  try {
    process.stderr.write(`distributed bench: ${files.length} documents, local run (${cores} threads)…\n`);
    const local = await run(['audit', ...common, '--store', join(work, 'local.sqlite')], work);
    if (local.code !== 0) throw new Error(`local run failed: ${local.stderr}`);
    rows.push({ mode: 'local (ogi audit)', processes: 1, threads: cores, documents: files.length, seconds: local.seconds, sameOutput: true });

    for (const k of counts) {
      const threads = o.workerConcurrency ?? Math.max(1, Math.floor(cores / k));
      const schema = `ogi_bench_${process.pid}_${k}`;
      const prefix = `ogibench-${process.pid}-${k}`;
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
      const db = new URL(o.pgUrl);
      db.searchParams.set('options', `-c search_path=${schema}`);
      const workers: ChildProcess[] = [];
      try {
        process.stderr.write(`distributed bench: ${k} worker process${k > 1 ? 'es' : ''} × ${threads} thread${threads > 1 ? 's' : ''}…\n`);
        for (let i = 0; i < k; i++) workers.push(await startWorker(['--redis', o.redisUrl, '--db', db.toString(), '--prefix', prefix, '--concurrency', String(threads)], work));
        const r = await run(['audit', ...common, '--redis', o.redisUrl, '--db', db.toString(), '--prefix', prefix], work);
        if (r.code !== 0) throw new Error(`distributed run failed: ${r.stderr}`);
        rows.push({ mode: 'distributed (ogi worker)', processes: k, threads, documents: files.length, seconds: r.seconds, sameOutput: r.stdout === local.stdout });
      } finally {
        await stopWorkers(workers);
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        for (let cursor = '0'; ; ) {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
          if (keys.length) await redis.del(...keys);
          if ((cursor = next) === '0') break;
        }
      }
    }
  } finally {
    await admin.end();
    redis.disconnect();
    rmSync(work, { recursive: true, force: true });
  }
  return rows;
}

export function distributedTable(rows: DistributedRow[]): string {
  const local = rows[0].documents / rows[0].seconds;
  const head = ['mode', 'processes', 'threads each', 'documents', 'seconds', 'documents/s', 'vs local', 'same --json as local'];
  const body = rows.map((r) => [r.mode, String(r.processes), String(r.threads), String(r.documents), r.seconds.toFixed(1), (r.documents / r.seconds).toFixed(1), `${(r.documents / r.seconds / local).toFixed(2)}×`, r.sameOutput ? 'yes' : 'NO']);
  const all = [head, ...body];
  const w = head.map((_, i) => Math.max(...all.map((row) => row[i].length)));
  const fmt = (row: string[]) => `| ${row.map((c, i) => c.padEnd(w[i])).join(' | ')} |`;
  return [fmt(head), `| ${w.map((x) => '-'.repeat(x)).join(' | ')} |`, ...body.map(fmt)].join('\n');
}
