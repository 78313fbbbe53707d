/** Output files are written whole or not at all: a temporary file beside the target, then rename. */
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { processAlive } from '../proc.ts';

/**
 * A file written a piece at a time that appears whole or not at all: the pieces go to a temporary
 * file beside the target, renamed over it by `commit()`; `abort()` (or a crash) leaves the target as it was.
 */
export class AtomicFile {
  readonly path: string;
  readonly #tmp: string;
  #fd: number | undefined;
  #done = false;

  constructor(path: string) {
    this.path = path;
    mkdirSync(dirname(path), { recursive: true });
    this.#tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    this.#fd = openSync(this.#tmp, 'w');
  }

  write(data: string | Uint8Array): void {
    if (this.#fd === undefined) throw new Error(`${this.path}: written after close, commit or abort`);
    if (typeof data === 'string') writeSync(this.#fd, data, null, 'utf8');
    else writeSync(this.#fd, data);
  }

  /** Ends writing; the target is untouched until `commit()`. */
  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }

  commit(): void {
    if (this.#done) return;
    this.close();
    this.#done = true;
    renameSync(this.#tmp, this.path);
  }

  abort(): void {
    if (this.#done) return;
    this.close();
    this.#done = true;
    rmSync(this.#tmp, { force: true });
  }
}

/** A file name for a document's JSON: its own name made safe, plus a short hash against collisions. */
export function reportFileName(sourcePath: string, sha256: string): string {
  const stem = basename(sourcePath).replace(/\.[^.]+$/, '').replace(/[^\p{L}\p{N}._-]+/gu, '_').slice(0, 80) || 'document';
  return `${stem}.${(sha256 || '0000000000').slice(0, 10)}.json`;
}

/**
 * Temporary files an earlier, killed run left in `dir` (`.<name>.<pid>.<hex>[.<part>].tmp`): removed
 * when their process is gone. A run still writing (its process alive) keeps its own.
 */
export function removeStaleTemps(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = /^\..+\.(\d+)\.[0-9a-f]{8}(?:\.[\w-]+)?\.tmp$/.exec(name);
    if (m && !processAlive(Number(m[1]))) rmSync(join(dir, name), { force: true });
  }
}

