/**
 * The pipeline version: what a stored report was made by. A report is reused only when its
 * document's hash and this version both match, so any change to the code that reads, normalises or
 * audits a document (or to the libraries it reads with, or to Node) makes every document be read again.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The parts of src/ a report depends on; the CLI, outputs and store do not change a report. */
const PIPELINE_PARTS = ['src/extract', 'src/normalize', 'src/audit', 'src/report', 'src/pipeline.ts', 'src/errors.ts'];

function files(path: string): string[] {
  try {
    return readdirSync(path, { withFileTypes: true })
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .flatMap((e) => (e.isDirectory() ? files(join(path, e.name)) : [join(path, e.name)]));
  } catch {
    return [path];
  }
}

let cached: string | undefined;

/** `<package version>+<12 hex digits of the pipeline's sources and dependency versions>`. */
export function pipelineVersion(): string {
  if (cached) return cached;
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; dependencies?: Record<string, string> };
  // What reads the documents besides our code: the dependency tree as installed (the lock file, or
  // the declared ranges without one), and Node with its ICU (NFKC, \p{…}).
  let lock: Buffer | string;
  try {
    lock = readFileSync(join(ROOT, 'package-lock.json'));
  } catch {
    lock = JSON.stringify(pkg.dependencies ?? {});
  }
  const hash = createHash('sha256').update(lock).update(`\0${process.versions.node}\0${process.versions.icu ?? ''}\0`);
  for (const part of PIPELINE_PARTS) {
    for (const file of files(join(ROOT, part))) {
      hash.update(file.slice(ROOT.length)).update('\0').update(readFileSync(file)).update('\0');
    }
  }
  return (cached = `${pkg.version}+${hash.digest('hex').slice(0, 12)}`);
}
