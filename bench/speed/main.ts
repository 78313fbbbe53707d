// npm run bench -- [--corpus DIR] [--workers N] [--formats pdf,docx,html] [--limit N] [--scale N [--no-resume]] [--no-pdftotext]
// npm run bench -- --workers 1,2 [--corpus DIR] [--formats …] [--limit N] [--worker-concurrency C]: the
// distributed mode (K ogi worker processes for each K listed) against the local run (distributed.ts).
// Speed and memory of the batch engine (src/batch) over a corpus, per format, with 1 worker and N:
// documents/s, pages/s (PDF), peak RSS of the whole process (workers included), and for the PDFs
// the time poppler's pdftotext takes over the same files in the same run (the floor for reading a
// PDF's text at all), as a ratio per page. --scale N also runs `ogi audit` itself over N distinct
// documents with a store (scale.ts): first run, peak RSS, SIGKILL and resume, re-run.
// The corpus defaults to bench/out/speed, generated (1,000 documents, ~8 minutes, LibreOffice and
// chromium) when missing; --corpus bench/out/big reuses the accuracy corpus.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pLimit from 'p-limit';
import { auditBatch } from '../../src/batch/pool.ts';
import { distributedBench, distributedTable } from './distributed.ts';
import { scale, scaleTable, type ScaleResult } from './scale.ts';
import type { Report } from '../../src/report/schema.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

const FORMATS = { pdf: ['.pdf'], docx: ['.docx'], html: ['.html', '.htm', '.shtml'] } as const;
type Format = keyof typeof FORMATS;

/** Peak resident memory of this process (every thread) since the last reset, in MB, from /proc. */
class Rss {
  #peak = 0;
  #timer: NodeJS.Timeout | undefined;
  static now(): number {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) / 1024 : process.memoryUsage().rss / 2 ** 20;
  }
  start(): void {
    // Linux resets VmHWM on "5"; the sampling below covers kernels that refuse.
    try {
      writeFileSync('/proc/self/clear_refs', '5');
    } catch {}
    this.#peak = Rss.now();
    this.#timer = setInterval(() => (this.#peak = Math.max(this.#peak, Rss.now())), 50);
  }
  stop(): number {
    clearInterval(this.#timer);
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return Math.max(this.#peak, Rss.now(), m ? Number(m[1]) / 1024 : 0);
  }
}

function corpus(): string {
  const dir = arg('corpus') ?? join(ROOT, 'bench', 'out', 'speed');
  if (!existsSync(dir) || readdirSync(dir).length === 0) {
    process.stderr.write(`generating 1,000 documents into ${dir} (about 8 minutes)…\n`);
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'corpus', 'main.ts'), '--count', '1000', '--out', dir], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('corpus generation failed');
  }
  return dir;
}

interface Run { format: string; workers: number; documents: number; pages: number; seconds: number; peakMb: number; errors: number; pdftotext?: number }

async function timed(files: string[], workers: number): Promise<{ reports: Report[]; seconds: number; peakMb: number }> {
  const rss = new Rss();
  rss.start();
  const t0 = performance.now();
  const reports = await auditBatch(files, { workers, inProcessUpTo: 0 });
  const seconds = (performance.now() - t0) / 1000;
  return { reports, seconds, peakMb: rss.stop() };
}

/** pdftotext over the files, `parallel` at once, in seconds; undefined when it is not installed. */
async function pdftotext(files: string[], parallel: number): Promise<number | undefined> {
  if (spawnSync('pdftotext', ['-v']).error) return undefined;
  const limit = pLimit(parallel);
  const t0 = performance.now();
  await Promise.all(
    files.map((f) => limit(() => new Promise<void>((resolve) => execFile('pdftotext', ['-layout', f, '-'], { maxBuffer: 64 << 20 }, () => resolve())))),
  );
  return (performance.now() - t0) / 1000;
}

function table(runs: Run[]): string {
  const head = ['format', 'workers', 'documents', 'seconds', 'documents/s', 'pages/s', 'peak RSS MB', 'pdftotext s', 'time/page vs pdftotext', 'document errors'];
  const rows = runs.map((r) => [
    r.format, String(r.workers), String(r.documents), r.seconds.toFixed(1), (r.documents / r.seconds).toFixed(1),
    r.pages ? (r.pages / r.seconds).toFixed(1) : '—', r.peakMb.toFixed(0),
    r.pdftotext !== undefined ? r.pdftotext.toFixed(1) : '—', r.pdftotext ? `${(r.seconds / r.pdftotext).toFixed(1)}×` : '—', String(r.errors),
  ]);
  const all = [head, ...rows];
  const w = head.map((_, i) => Math.max(...all.map((row) => row[i].length)));
  const fmt = (row: string[]) => `| ${row.map((c, i) => c.padEnd(w[i])).join(' | ')} |`;
  return [fmt(head), `| ${w.map((x) => '-'.repeat(x)).join(' | ')} |`, ...rows.map(fmt)].join('\n');
}

/** `--workers 1,2`: worker processes of the distributed mode against the local run, in the same run. */
async function distributed(list: string): Promise<void> {
  const counts = list.split(',').map(Number);
  if (counts.some((k) => !Number.isInteger(k) || k < 1)) throw new Error(`--workers: a list of worker process counts, not ${list}`);
  const pgUrl = arg('db') ?? process.env.OGI_TEST_PG_URL;
  const redisUrl = arg('redis') ?? process.env.OGI_TEST_REDIS_URL;
  if (!pgUrl || !redisUrl) throw new Error('the distributed bench needs PostgreSQL and Redis: OGI_TEST_PG_URL and OGI_TEST_REDIS_URL (eval "$(scripts/test-services.sh start)"), or --db and --redis');
  const dir = corpus();
  const formats = (arg('formats') ?? 'html,docx,pdf').split(',') as Format[];
  const limit = Number(arg('limit') ?? 200);
  const files = readdirSync(dir)
    .sort()
    .filter((f) => formats.some((fmt) => (FORMATS[fmt] as readonly string[]).includes(extname(f).toLowerCase())))
    .slice(0, limit)
    .map((f) => join(dir, f));
  const c = arg('worker-concurrency');
  const rows = await distributedBench(files, counts, { pgUrl, redisUrl, workerConcurrency: c === undefined ? undefined : Number(c) });
  console.log(`corpus ${dir} (${formats.join(', ')}), Node ${process.version}, ${availableParallelism()} cores\n`);
  console.log(distributedTable(rows));
  const json = arg('json');
  if (json) writeFileSync(json, `${JSON.stringify({ distributed: rows }, null, 2)}\n`);
}

async function main(): Promise<void> {
  const list = arg('workers');
  if (list?.includes(',')) return distributed(list);
  const dir = corpus();
  const n = Number(arg('workers') ?? availableParallelism());
  const limit = Number(arg('limit') ?? Infinity);
  const formats = (arg('formats') ?? 'html,docx,pdf').split(',') as Format[];
  const all = readdirSync(dir).sort().filter((f) => !f.endsWith('.json')).map((f) => join(dir, f));
  const runs: Run[] = [];
  for (const format of formats) {
    const files = all.filter((f) => (FORMATS[format] as readonly string[]).includes(extname(f).toLowerCase())).slice(0, limit);
    if (!files.length) continue;
    for (const workers of [...new Set([1, n])]) {
      process.stderr.write(`${format}: ${files.length} documents, ${workers} worker${workers > 1 ? 's' : ''}…\n`);
      const { reports, seconds, peakMb } = await timed(files, workers);
      const pages = reports.reduce((s, r) => s + (r.source.pages ?? 0), 0);
      const run: Run = { format, workers, documents: files.length, pages, seconds, peakMb, errors: reports.filter((r) => r.errors.length).length };
      if (format === 'pdf' && !process.argv.includes('--no-pdftotext')) run.pdftotext = await pdftotext(files, workers);
      runs.push(run);
    }
  }
  console.log(`corpus ${dir}, Node ${process.version}, ${availableParallelism()} cores\n`);
  console.log(table(runs));
  const n2 = Number(arg('scale') ?? 0);
  let scaled: ScaleResult | undefined;
  if (n2 > 0) {
    const sources = all.filter((f) => formats.some((fmt) => (FORMATS[fmt] as readonly string[]).includes(extname(f).toLowerCase())));
    scaled = await scale(sources, n2, n, !process.argv.includes('--no-resume'));
    console.log(`\n\`ogi audit\` at scale (${formats.join(', ')}), ${n} workers:\n`);
    console.log(scaleTable(scaled));
  }
  const json = arg('json');
  if (json) writeFileSync(json, `${JSON.stringify({ runs, scale: scaled }, null, 2)}\n`);
}

await main();
