/** `ogi export`: a stored run's outputs, written from the store without reading a document again. */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { OutputSet } from '../output/outputs.ts';
import { existsSync } from 'node:fs';
import { isDatabaseUrl } from '../store/open.ts';
import { Store } from '../store/sqlite.ts';
import type { AuditStore } from '../store/store.ts';
import { DEFAULT_STORE } from './audit.ts';
import { UsageError } from './inputs.ts';
import { pipelineVersion } from '../version.ts';

export const EXPORT_HELP = `export options:
  --out DIR              where to write the outputs (the same files as ogi audit --out)
  --store PATH           the store to read (default .ogi/store.sqlite)
  --db URL               the store in PostgreSQL (postgres://…) instead
  --run ID               the run to export (default: the latest)
`;

export async function runExport(argv: string[], version: string): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { out: { type: 'string' }, store: { type: 'string' }, db: { type: 'string' }, run: { type: 'string' } },
  });
  if (positionals.length) throw new UsageError(`ogi export reads the store, not files: ${positionals.join(' ')}`);
  if (!values.out) throw new UsageError('name the folder to write with --out DIR');
  const runId = values.run === undefined ? undefined : Number(values.run);
  if (runId !== undefined && !(Number.isInteger(runId) && runId > 0)) throw new UsageError('--run must be a run number');
  if (values.store !== undefined && values.db !== undefined) throw new UsageError('--store and --db name the same thing: give one');
  if (values.db !== undefined && !isDatabaseUrl(values.db)) throw new UsageError(`--db takes a postgres:// URL (a SQLite file is --store PATH), not ${values.db}`);
  const location = values.db ?? values.store ?? DEFAULT_STORE;
  let store: AuditStore;
  if (isDatabaseUrl(location)) {
    const { connectStore } = await import('../distributed/connect.ts');
    store = await connectStore(location, pipelineVersion());
  } else {
    const path = resolve(location);
    if (!existsSync(path)) throw new UsageError(`no run in the store ${location}: there is no store there`);
    store = new Store(path, pipelineVersion());
  }
  const where = isDatabaseUrl(location) ? store.location : location;
  let run;
  let out: OutputSet | undefined;
  try {
    run = await store.run(runId);
    if (!run) throw new UsageError(runId === undefined ? `no run in the store ${where}` : `no run ${runId} in the store ${where}`);
    if (run.status !== 'done') process.stderr.write(`ogi export: run ${run.id} is ${run.status === 'running' ? 'still running' : 'interrupted'}; exporting the ${run.documents} documents it has stored\n`);
    out = new OutputSet({ dir: values.out, tool: { name: 'ogi-audit', version } });
    // Each document's report as the run's own pipeline version made it.
    for await (const doc of store.runDocuments(run.id)) out.add(doc.report);
    await out.commit();
  } catch (e) {
    out?.abort();
    throw e;
  } finally {
    await store.close();
  }
  process.stderr.write(`ogi export: run ${run.id} (${run.inputs.join(' ')}): ${out!.documents} documents written to ${values.out}\n`);
  return 0;
}
