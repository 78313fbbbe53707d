/**
 * What the enqueuer (`ogi audit --redis`) and `ogi worker` share: Redis (BullMQ's queues), the store
 * (PostgreSQL, or SQLite on one machine) and the blob store holding every document's bytes. Each is
 * reached with a bounded number of tries, so a wrong address or a server that is down gives a clear
 * error in seconds instead of a process that waits forever. Once connected, a Redis connection that
 * drops is retried without end (a worker outlives a Redis restart).
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { DirBlobs } from '../store/blobs.ts';
import { isDatabaseUrl, openStore } from '../store/open.ts';
import type { AuditStore, BlobStore } from '../store/store.ts';

/** A failure to reach a service: the CLI prints its message alone and exits 2. */
export class ServiceError extends Error {
  override name = 'ServiceError';
}

/** Key prefix of every queue in Redis (BullMQ's `prefix`): one per database that shares a Redis. */
export const DEFAULT_PREFIX = 'ogi';

/**
 * The audit queue of one pipeline version. Workers take only jobs their own code can do: a report is
 * stored under the pipeline that made it, and a run reads the reports of its own pipeline.
 */
export const auditQueueName = (pipeline: string): string => `audit-${pipeline.replace(/[^\w.+-]/g, '_')}`;
/** Documents that failed every attempt: the job's data and its last error, for a person to look at. */
export const DEAD_QUEUE = 'audit-dead';

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(an unreadable URL)';
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface RedisOptions {
  /** Connection attempts before giving up (default 5, about 5 s when refused). */
  attempts?: number;
  /** Time limit of one attempt (default 5 s). */
  connectTimeoutMs?: number;
}

/** A connection BullMQ can block on (no per-command retry limit), ready, or a ServiceError. */
export async function connectRedis(url: string, options: RedisOptions = {}): Promise<Redis> {
  const attempts = options.attempts ?? 5;
  if (!/^rediss?:\/\//i.test(url)) throw new ServiceError(`--redis must be a redis:// or rediss:// URL, not ${redactUrl(url)}`);
  let ready = false;
  let lastError: Error | undefined;
  const redis = new Redis(url, {
    maxRetriesPerRequest: null,
    connectTimeout: options.connectTimeoutMs ?? 5000,
    // Before the first connection: a few tries, then give up. After: reconnect forever, backing off.
    retryStrategy: (times) => (ready ? Math.min(times * 500, 5000) : times >= attempts ? null : Math.min(times * 300, 2000)),
  });
  redis.on('error', (e: Error) => (lastError = e));
  try {
    await new Promise<void>((resolve, reject) => {
      redis.once('ready', resolve);
      redis.once('end', () => reject(lastError ?? new Error('connection closed')));
    });
  } catch (e) {
    redis.disconnect();
    throw new ServiceError(`cannot reach Redis at ${redactUrl(url)} (${attempts} attempts): ${(e as Error).message}`);
  }
  ready = true;
  return redis;
}

/** Connection failures worth another try; anything else (bad password, no such database) is final. */
const RETRYABLE_DB = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'EAI_AGAIN', '57P03', '53300']);

/**
 * The store at `location` (a postgres:// URL or a SQLite path), with a few tries and a time limit on
 * each: PostgreSQL that is starting, or a connection refused, is tried again; a server that never
 * answers is given up on.
 */
export async function connectStore(location: string, pipeline: string, options: { attempts?: number; timeoutMs?: number } = {}): Promise<AuditStore> {
  const attempts = options.attempts ?? 4;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const where = isDatabaseUrl(location) ? `PostgreSQL at ${redactUrl(location)}` : `the store ${location}`;
  for (let attempt = 1; ; attempt++) {
    const opening = openStore(location, pipeline);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error(`no answer in ${timeoutMs / 1000} s`), { code: 'ETIMEDOUT' })), timeoutMs);
    });
    try {
      return await Promise.race([opening, timeout]);
    } catch (e) {
      // A store that opens after its time is up is closed, not leaked.
      opening.then((s) => s.close(), () => undefined);
      const code = (e as { code?: string }).code ?? '';
      if (attempt < attempts && RETRYABLE_DB.has(code)) {
        await sleep(500 * 2 ** (attempt - 1));
        continue;
      }
      throw new ServiceError(`cannot open ${where}${RETRYABLE_DB.has(code) ? ` (${attempt} attempts)` : ''}: ${(e as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * Where documents' bytes are: a shared folder when `dir` is given, else the table blobs of the
 * PostgreSQL store. A SQLite store has no blob table: it needs a folder.
 */
export function blobStoreFor(store: AuditStore, dir: string | undefined): { blobs: BlobStore; where: string } {
  if (dir) return { blobs: new DirBlobs(dir), where: `the folder ${dir}` };
  const pg = store as AuditStore & { blobs?: () => BlobStore };
  if (typeof pg.blobs !== 'function') throw new ServiceError(`the store ${store.location} keeps no documents: name a folder every worker shares with --blobs DIR`);
  return { blobs: pg.blobs(), where: `the table blobs of ${store.location}` };
}

/** Redis, the store and the blobs, opened together and closed together. */
export interface Services {
  redis: Redis;
  store: AuditStore;
  blobs: BlobStore;
  blobsWhere: string;
  prefix: string;
  /** A queue on the shared connection (closed with the services). */
  queue(name: string): Queue;
  close(): Promise<void>;
}

export async function connectServices(options: { redisUrl: string; db: string; blobsDir?: string; prefix?: string; pipeline: string }): Promise<Services> {
  const redis = await connectRedis(options.redisUrl);
  let store: AuditStore | undefined;
  try {
    store = await connectStore(options.db, options.pipeline);
    const { blobs, where } = blobStoreFor(store, options.blobsDir);
    const prefix = options.prefix ?? DEFAULT_PREFIX;
    const queues: Queue[] = [];
    const opened = store;
    return {
      redis,
      store,
      blobs,
      blobsWhere: where,
      prefix,
      queue(name) {
        const q = new Queue(name, { connection: redis, prefix });
        q.on('error', () => undefined); // connection errors: ioredis reconnects; commands wait
        queues.push(q);
        return q;
      },
      async close() {
        for (const q of queues) await q.close().catch(() => undefined);
        await opened.close().catch(() => undefined);
        await redis.quit().catch(() => redis.disconnect());
      },
    };
  } catch (e) {
    await store?.close().catch(() => undefined);
    redis.disconnect();
    throw e;
  }
}
