/**
 * `--db` / `--store`: a PostgreSQL URL opens the shared store, anything else is the path of an
 * embedded SQLite store. Each implementation is loaded only when used, so a local run never loads
 * pg and a worker never loads better-sqlite3's native module.
 */
import type { AuditStore } from './store.ts';

export const isDatabaseUrl = (location: string): boolean => /^postgres(ql)?:\/\//i.test(location);

export async function openStore(location: string, pipeline: string): Promise<AuditStore> {
  if (isDatabaseUrl(location)) {
    const { PgStore } = await import('./postgres.ts');
    return PgStore.open(location, pipeline);
  }
  const { Store } = await import('./sqlite.ts');
  return new Store(location, pipeline);
}
