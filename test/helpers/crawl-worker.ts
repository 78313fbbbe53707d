/**
 * A worker process for test/distributed-crawl.test.ts: the audit worker of src/distributed/worker.ts
 * and the crawl worker of src/distributed/crawl.ts in one process, as `ogi worker` runs them, until
 * SIGTERM. Arguments: redis URL, database URL, queue prefix, allowed host:port.
 */
import { createLogger } from '../../src/crawl/log.ts';
import { startCrawlWorker } from '../../src/distributed/crawl.ts';
import { runWorker } from '../../src/distributed/worker.ts';

const [redisUrl, db, prefix, allowHost] = process.argv.slice(2);
const logger = createLogger({ json: true });
const crawl = await startCrawlWorker({ redisUrl, db, prefix, concurrency: 4, allowHosts: [allowHost], logger, lockMs: 5000, auditBackoffMs: 1000 });
const stop = new Promise<string>((resolve) => process.once('SIGTERM', () => resolve('SIGTERM'))).then(async (signal) => {
  await crawl.close();
  return signal;
});
process.exitCode = await runWorker({ redisUrl, db, prefix, concurrency: 1, timeoutMs: 60_000, lockMs: 5000, stalledMs: 5000, maxStalled: 2, logger, stop });
