/**
 * Raw bytes of everything fetched, content-addressed on disk: `<dir>/<first two hex>/<sha256>`.
 * Names never come from URLs; the same bytes are stored once; a blob appears whole or not at all.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class BlobStore {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  path(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
    return join(this.dir, sha256.slice(0, 2), sha256);
  }

  /** Stores the bytes (once) and returns their SHA-256. */
  put(bytes: Uint8Array): string {
    const sha = createHash('sha256').update(bytes).digest('hex');
    const path = this.path(sha);
    if (!existsSync(path)) {
      mkdirSync(join(this.dir, sha.slice(0, 2)), { recursive: true });
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, bytes);
      renameSync(tmp, path);
    }
    return sha;
  }

  get(sha256: string): Buffer | undefined {
    const path = this.path(sha256);
    return existsSync(path) ? readFileSync(path) : undefined;
  }
}
