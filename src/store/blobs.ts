/**
 * Raw documents by content in a folder: `<dir>/<first two hex>/<sha256>`, on one machine or a folder
 * every worker mounts. Names never come from URLs; the same bytes are stored once; a blob appears
 * whole or not at all (written under a temporary name, then renamed).
 */
import { createHash, randomUUID } from 'node:crypto';
import { access, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BlobStore } from './store.ts';

export const sha256Of = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** A blob's name is its hash and nothing else: never a path to somewhere else. */
export function checkSha256(sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
  return sha256;
}

const missing = (e: unknown): boolean => (e as NodeJS.ErrnoException).code === 'ENOENT';

export class DirBlobs implements BlobStore {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  path(sha256: string): string {
    checkSha256(sha256);
    return join(this.dir, sha256.slice(0, 2), sha256);
  }

  async put(bytes: Uint8Array): Promise<string> {
    const sha = sha256Of(bytes);
    const path = this.path(sha);
    if (await this.has(sha)) return sha;
    await mkdir(join(this.dir, sha.slice(0, 2)), { recursive: true });
    // A temporary name of its own: the same bytes may be put at once by this process and by workers
    // on other machines sharing the folder (a pid alone is not unique there).
    const tmp = `${path}.${randomUUID()}.tmp`;
    try {
      await writeFile(tmp, bytes);
      await rename(tmp, path);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
    return sha;
  }

  async get(sha256: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.path(sha256));
    } catch (e) {
      if (missing(e)) return undefined;
      throw e;
    }
  }

  async has(sha256: string): Promise<boolean> {
    try {
      await access(this.path(sha256));
      return true;
    } catch (e) {
      if (missing(e)) return false;
      throw e;
    }
  }
}
