// The batch at scale, as a user runs it: `ogi audit DIR --store S --out O` over N distinct documents
// (the corpus cycled, each copy made distinct by a trailing comment its reader ignores), with a few
// corrupt files among them. Measured: the first run (documents/s, peak RSS of the process and its
// worker threads), a run killed with SIGKILL halfway and resumed (nothing lost, nothing twice), and a
// re-run over the same folder (everything reused) as a fraction of the first run's time.
import { spawn } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import Database from 'better-sqlite3';
import { storedReportCount } from '../../src/store/sqlite.ts';

const OGI = new URL('../../bin/ogi.js', import.meta.url).pathname;

export interface ScaleResult {
  documents: number;
  corrupt: number;
  firstSeconds: number;
  peakMb: number;
  killedAfter: number;
  resumedSeconds: number;
  resumeReused: number;
  reports: number;
  duplicateReports: number;
  rerunSeconds: number;
  rerunReused: number;
  outputsIdentical: boolean;
  /** Whether the SIGKILL-and-resume phase ran. */
  resumed: boolean;
}

const TRAILER: Record<string, (i: number) => string> = {
  '.html': (i) => `\n<!-- ogi bench copy ${i} -->\n`,
  '.pdf': (i) => `\n% ogi bench copy ${i}\n`,
  '.docx': (i) => `ogi bench copy ${i}`,
};

/** N distinct documents cycling through `sources`, plus corrupt files; returns the folder. */
function makeFolder(sources: string[], n: number): { dir: string; corrupt: number } {
  const dir = mkdtempSync(join(tmpdir(), 'ogi-scale-'));
  for (let i = 0; i < n; i++) {
    const src = sources[i % sources.length];
    const ext = extname(src).toLowerCase();
    const dest = join(dir, `${String(i).padStart(6, '0')}${ext}`);
    copyFileSync(src, dest);
    if (i >= sources.length) appendFileSync(dest, (TRAILER[ext] ?? TRAILER['.html'])(i));
  }
  const pdf = readFileSync(sources.find((s) => s.endsWith('.pdf')) ?? sources[0]);
  writeFileSync(join(dir, 'corrupt-truncated.pdf'), pdf.subarray(0, pdf.length >> 1));
  writeFileSync(join(dir, 'corrupt-not-a-zip.docx'), 'not a zip archive\n');
  writeFileSync(join(dir, 'corrupt-empty.html'), '');
  writeFileSync(join(dir, 'corrupt-random.pdf'), Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919 + 3) % 256)));
  return { dir, corrupt: 4 };
}

/** Peak RSS of a process (all its threads) from /proc, polled: VmHWM is a high-water mark. */
function hwm(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}


interface Exit {
  seconds: number;
  peakMb: number;
  stderr: string;
}

/** Runs `ogi audit`; `killAt` kills it with SIGKILL once the store holds that many reports. */
function ogi(args: string[], killAt?: { store: string; reports: number }): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    // As bin/ogi.js runs when started as a command (its shebang line).
    const child = spawn(process.execPath, ['--single-threaded', OGI, 'audit', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let peak = 0;
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setInterval(() => {
      peak = Math.max(peak, hwm(child.pid!));
      if (killAt && storedReportCount(killAt.store) >= killAt.reports) child.kill('SIGKILL');
    }, 200);
    child.once('error', reject);
    child.once('exit', () => {
      clearInterval(timer);
      resolve({ seconds: (performance.now() - t0) / 1000, peakMb: peak, stderr });
    });
  });
}

const reused = (stderr: string): number => Number(/; ([\d,]+) already in the store/.exec(stderr)?.[1]?.replaceAll(',', '') ?? 0);

export async function scale(sources: string[], n: number, workers: number, resume = true): Promise<ScaleResult> {
  const { dir, corrupt } = makeFolder(sources, n);
  const work = mkdtempSync(join(tmpdir(), 'ogi-scale-run-'));
  const common = [dir, '--fail-on', 'never', '--workers', String(workers)];
  try {
    process.stderr.write(`scale: ${n + corrupt} documents, first run…\n`);
    const storeA = join(work, 'a.sqlite');
    const first = await ogi([...common, '--store', storeA, '--out', join(work, 'out-a')]);
    process.stderr.write(`scale: re-run over the same folder…\n`);
    const rerun = await ogi([...common, '--store', storeA, '--out', join(work, 'out-a2')]);

    let killedAfter = 0;
    let resumed: Exit | undefined;
    let reports = 0;
    let distinct = 0;
    if (resume) {
      process.stderr.write(`scale: a run killed with SIGKILL halfway, then resumed…\n`);
      const storeB = join(work, 'b.sqlite');
      await ogi([...common, '--store', storeB], { store: storeB, reports: Math.floor(n / 2) });
      killedAfter = storedReportCount(storeB);
      resumed = await ogi([...common, '--store', storeB, '--out', join(work, 'out-b')]);
      const db = new Database(storeB, { readonly: true });
      reports = Number((db.prepare('SELECT count(*) AS n FROM reports').get() as { n: number }).n);
      distinct = Number((db.prepare('SELECT count(DISTINCT sha256) AS n FROM reports').get() as { n: number }).n);
      db.close();
    }
    const same = (a: string, b: string) => ['values.csv', 'findings.csv'].every((f) => readFileSync(join(work, a, f)).equals(readFileSync(join(work, b, f))));
    return {
      documents: n + corrupt,
      corrupt,
      firstSeconds: first.seconds,
      peakMb: first.peakMb,
      killedAfter,
      resumedSeconds: resumed?.seconds ?? NaN,
      resumeReused: resumed ? reused(resumed.stderr) : 0,
      reports,
      duplicateReports: reports - distinct,
      rerunSeconds: rerun.seconds,
      rerunReused: reused(rerun.stderr),
      outputsIdentical: same('out-a', 'out-a2') && (!resume || same('out-a', 'out-b')),
      resumed: resume,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
}

export function scaleTable(r: ScaleResult): string {
  const rows: [string, string][] = [
    ['documents (of them corrupt)', `${r.documents} (${r.corrupt})`],
    ['first run', `${r.firstSeconds.toFixed(1)} s, ${(r.documents / r.firstSeconds).toFixed(1)} documents/s`],
    ['peak RSS, first run (process and workers)', `${r.peakMb.toFixed(0)} MB`],
    ['re-run, same folder and store', `${r.rerunSeconds.toFixed(1)} s (${((100 * r.rerunSeconds) / r.firstSeconds).toFixed(1)} % of the first), ${r.rerunReused} reused`],
    ...((r.resumed
      ? [
          ['killed (SIGKILL) with reports stored', String(r.killedAfter)],
          ['resumed', `${r.resumedSeconds.toFixed(1)} s, ${r.resumeReused} reused, ${r.documents - r.resumeReused} read`],
          ['reports in the store after resume (duplicates)', `${r.reports} (${r.duplicateReports})`],
        ]
      : []) as [string, string][]),
    [`values.csv and findings.csv identical across the ${r.resumed ? 'three' : 'two'} runs`, r.outputsIdentical ? 'yes' : 'NO'],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `| ${k.padEnd(w)} | ${v} |`).join('\n');
}
