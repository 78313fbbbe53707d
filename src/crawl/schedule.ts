/**
 * Scheduled crawls: a cron pattern run in-process (croner), and a lock file so two runs never
 * overlap — neither two firings of one schedule (a crawl longer than the interval) nor a scheduled
 * run and one started by hand, in this process or another.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { Cron } from 'croner';
import type { Logger } from './log.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the lock at `path` and returns its release, or undefined when a live process holds it. A
 * lock left by a dead process on this host is taken over.
 */
export function tryLock(path: string): (() => void) | undefined {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let holder: { pid?: number; host?: string } = {};
      try {
        holder = JSON.parse(readFileSync(path, 'utf8'));
      } catch {
        // Half-written by a process that died between open and write: stale.
      }
      if (holder.pid && (holder.host !== hostname() || alive(holder.pid))) return undefined;
      rmSync(path, { force: true });
    }
  }
  return undefined;
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
