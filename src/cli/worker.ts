/** `ogi worker`: audits the documents `ogi audit --redis` enqueues, until SIGTERM or SIGINT (then exit 0). */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { DEFAULTS } from '../batch/pool.ts';
import { positiveInteger } from './audit.ts';
import { UsageError } from './inputs.ts';
import { isDatabaseUrl } from '../store/open.ts';

export const WORKER_HELP = `worker options:
  --redis URL            the BullMQ queues (redis://…), as given to ogi audit --redis
  --db URL               the shared store (postgres://…), as given to ogi audit --db
  --blobs DIR            documents' bytes in this shared folder (default: in the database)
  --concurrency N        documents read at once, each in its own thread (default: one per core)
  --timeout SECONDS      time limit per document (default 120): past it the attempt fails
                         with timeout, and the document is tried again later
  --prefix NAME          the queues' key prefix in Redis (default ogi)
  --crawl-concurrency N  crawl URL jobs at once (default 4; 0: this worker does not crawl).
                         Each holds at most one connection to one host; hosts are spaced
                         across all workers
  --allow-host HOST:PORT crawl this host although its address is private (repeatable)
  --json-logs            log JSON lines even on a terminal (always off a terminal)
  env OGI_WORKER_LOCK_MS (default 30000): a job's lock; a worker that dies frees its jobs
                         about this long after
`;

export async function runWorkerCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      redis: { type: 'string' },
      db: { type: 'string' },
      blobs: { type: 'string' },
      concurrency: { type: 'string', default: String(availableParallelism()) },
      timeout: { type: 'string', default: String(DEFAULTS.timeoutMs / 1000) },
      prefix: { type: 'string' },
      'crawl-concurrency': { type: 'string', default: '4' },
      'allow-host': { type: 'string', multiple: true, default: [] },
      'json-logs': { type: 'boolean', default: false },
    },
  });
  if (positionals.length) throw new UsageError(`ogi worker takes its documents from the queue, not from the command line: ${positionals.join(' ')}`);
  if (!values.redis) throw new UsageError('ogi worker needs the queue: --redis redis://…');
  if (!values.db) throw new UsageError('ogi worker needs the shared store: --db postgres://…');
  const concurrency = positiveInteger(values.concurrency, '--concurrency');
  const timeout = Number(values.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0) throw new UsageError('--timeout must be a positive number of seconds');
  const crawlConcurrency = Number(values['crawl-concurrency']);
  if (!Number.isInteger(crawlConcurrency) || crawlConcurrency < 0) throw new UsageError('--crawl-concurrency must be 0 or a positive integer');
  const { runWorker, lockSettings, signals } = await import('../distributed/worker.ts');
  const { createLogger } = await import('../crawl/log.ts');
  const { allowHost } = await import('./crawl.ts');
  const logger = createLogger(values['json-logs'] ? { json: true } : {});
  // The crawl jobs run beside the audit jobs; on SIGTERM the crawl worker stops first, then the audit one.
  // Crawl jobs need the catalogue in PostgreSQL; a worker on another store audits only.
  const crawls = crawlConcurrency > 0 && isDatabaseUrl(values.db);
  if (crawlConcurrency > 0 && !crawls) logger.log('warn', 'crawl jobs not taken: they need --db postgres://…');
  const crawl = crawls
    ? await (await import('../distributed/crawl.ts')).startCrawlWorker({
        redisUrl: values.redis,
        db: values.db,
        blobsDir: values.blobs,
        prefix: values.prefix,
        concurrency: crawlConcurrency,
        allowHosts: values['allow-host'].map(allowHost),
        logger,
        ...lockSettings(),
      })
    : undefined;
  const stop = signals().then(async (signal) => {
    await crawl?.close();
    return signal;
  });
  const code = await runWorker({
    redisUrl: values.redis,
    db: values.db,
    blobsDir: values.blobs,
    prefix: values.prefix,
    concurrency,
    timeoutMs: timeout * 1000,
    ...lockSettings(),
    logger,
    stop,
  });
  // Everything is closed; should a library still hold a handle, the process ends anyway.
  setTimeout(() => process.exit(code), 5000).unref();
  return code;
}
