/**
 * Scheduled crawls: a cron pattern run in-process (croner), and a lock file so two runs never
 * overlap — neither two firings of one schedule (a crawl longer than the interval) nor a scheduled
 * run and one started by hand, in this process or another.
 */
import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { Cron } from 'croner';
import type { Logger } from './log.ts';
import { processAlive } from '../proc.ts';


/**
 * Takes the lock at `path` and returns its release, or undefined when a live process holds it. The
 * lock file is written whole under another name and linked into place (link fails if the lock
 * exists: no half-written lock, no two winners). A lock left by a dead process on this host is moved
 * aside and taken over; if what was moved is not that stale lock (another process took it over
 * first), it is put back and this one gives up.
 */
export function tryLock(path: string): (() => void) | undefined {
  const mine = JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() });
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(tmp, mine);
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        linkSync(tmp, path);
        return () => {
          // Only our own lock: never one another process took over after a stale-lock takeover.
          if (readText(path) === mine) rmSync(path, { force: true });
        };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const seen = readText(path);
      if (seen === undefined) continue;
      let holder: { pid?: number; host?: string } = {};
      try {
        holder = JSON.parse(seen);
      } catch {
        return undefined; // unreadable: not ours to judge
      }
      if (!holder.pid || holder.host !== hostname() || processAlive(holder.pid)) return undefined;
      const aside = `${path}.stale.${process.pid}`;
      try {
        renameSync(path, aside);
      } catch {
        continue;
      }
      if (readText(aside) !== seen) {
        try {
          linkSync(aside, path);
        } catch {
          // The lock was taken again meanwhile: theirs stands.
        }
        rmSync(aside, { force: true });
        return undefined;
      }
      rmSync(aside, { force: true });
    }
    return undefined;
  } finally {
    rmSync(tmp, { force: true });
  }
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Runs `job` under the lock; false when another run holds it (the run is skipped, not queued). */
export async function withLock(path: string, job: () => Promise<void>): Promise<boolean> {
  const release = tryLock(path);
  if (!release) return false;
  try {
    await job();
  } finally {
    release();
  }
  return true;
}

/**
 * Runs `job` on the cron pattern until the process is stopped (SIGINT/SIGTERM end it after the
 * current run). Returns the croner job; `stop()` ends the schedule.
 */
export function schedule(pattern: string, lockPath: string, job: () => Promise<void>, log: Logger): Cron {
  const cron = new Cron(pattern, { protect: true, catch: (e) => log.log('error', 'crawl failed', { error: (e as Error).message }) }, async () => {
    const ran = await withLock(lockPath, job);
    if (!ran) log.log('warn', 'crawl skipped: another crawl holds the lock', { lock: lockPath });
    const next = cron.nextRun();
    log.log('info', 'next crawl', { at: next?.toISOString() });
  });
  log.log('info', 'crawl scheduled', { every: pattern, next: cron.nextRun()?.toISOString() });
  return cron;
}
