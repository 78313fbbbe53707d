/** The documents named on the command line: files as given, folders walked for report files. */
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { SUPPORTED_EXTENSIONS } from '../extract/model.ts';

export class UsageError extends Error {}

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) await walk(path, out);
    else if (e.isFile() && SUPPORTED_EXTENSIONS.includes(extname(e.name).toLowerCase())) out.push(path);
  }
}

/** Files named explicitly are read whatever their extension: the reader says what they are. */
export async function collectInputs(args: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const arg of args) {
    const s = await stat(arg).catch(() => undefined);
    if (!s) throw new UsageError(`no such file or folder: ${arg}`);
    if (s.isDirectory()) await walk(arg, out);
    else out.push(arg);
  }
  return [...new Set(out)];
}
