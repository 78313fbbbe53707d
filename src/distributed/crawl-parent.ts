/**
 * The crawl job, run in steps (its data says which step it has reached, so a run after a crash or a
 * retry goes on from there):
 *
 * 1. begin: take the lock of its start pages (another crawl of them running: this one is skipped,
 *    as a local scheduled crawl is), begin the crawl in the catalogue, add a list job per start.
 * 2. crawling: wait for the URL jobs (waiting-children: no worker is held), then begin the audit run.
 * 3. auditing: every document the crawl found goes into the run, as in a local crawl: what this
 *    pipeline has reported is reused at once, every other content is ONE audit job of the audit
 *    half (src/distributed/jobs.ts: the same data, id and dead letters), added as a child of this
 *    crawl job; wait for them the same way.
 * 4. finishing: documents whose audit failed every attempt get their failed lines (dead letters),
 *    the run is checked across years and ended, and the crawl's summary goes to the catalogue.
 */
import { type Job, type Queue, WaitingChildrenError } from 'bullmq';
import type { Logger } from '../crawl/log.ts';
import type { CrawledDocument } from '../crawl/steps.ts';
import type { CrawlCatalogue } from '../store/catalogue.ts';
import type { AuditStore } from '../store/store.ts';
import { addUrlJobs, type CrawlJobData, type CrawlJobResult, type CrawlJobSummary } from './crawl-jobs.ts';
import type { CrawlState } from './crawl-state.ts';
import { type AuditJob, auditJobId, deadLetter, failureOf, finishRun, type JobDocument } from './jobs.ts';

export interface CrawlJobEnv {
  queue: Queue;
  audits: Queue;
  dead: Queue;
  state: CrawlState;
  catalogue: CrawlCatalogue & { interrupt?(crawlId: number): Promise<void> };
  store: AuditStore;
  log: Logger;
  /** Tries per audit job before its dead letter, and the first retry's delay. */
  auditAttempts: number;
  auditBackoffMs: number;
}

export async function processCrawlJob(job: Job<CrawlJobData>, token: string | undefined, env: CrawlJobEnv): Promise<CrawlJobResult> {
  let d = job.data;
  const id = job.id!;
  const parent = { id, queue: job.queueQualifiedName };
  const save = async (next: CrawlJobData) => {
    await job.updateData(next);
    d = next;
  };
  const wait = async () => {
    if (await job.moveToWaitingChildren(token!)) throw new WaitingChildrenError();
  };
  if (!d.step) {
    const held = await env.state.lock(d.key, id, (holder) => gone(env, holder));
    if (held !== true) {
      env.log.log('warn', 'crawl skipped: a crawl of these start pages is running', { job: id, running: held });
      return { skipped: true, runningJob: held };
    }
    const crawlId = await env.catalogue.begin(d.starts.map((s) => s.url));
    await save({ ...d, step: 'crawling', crawlId, startedAt: new Date().toISOString() });
    env.log.log('info', 'crawl started', { crawl: crawlId, job: id, starts: d.starts.map((s) => s.url) });
  }
  const crawlId = d.crawlId!;
  if (d.step === 'crawling') {
    // Again on a later run: the claims in Redis make it a no-op once the start jobs are in.
    await addUrlJobs(env.queue, env.state, parent, d.starts.map((s, start) => ({ crawlId, start, role: 'list' as const, task: { url: s.url, depth: 0 } })));
    await wait();
    const { documents } = await env.state.results(crawlId);
    const runId = documents.length ? await env.store.beginRun(d.starts.map((s) => s.url)) : undefined;
    await save({ ...d, step: 'auditing', runId, total: documents.length });
  }
  if (d.step === 'auditing') {
    if (d.runId !== undefined) {
      await settleFailedAudits(job, env);
      const { documents } = await env.state.results(crawlId);
      const jobs = await enqueueAudit(env, parent, d.runId, documents);
      if (jobs) env.log.log('info', 'crawl audit enqueued', { crawl: crawlId, run: d.runId, documents: documents.length, jobs, queue: env.audits.name });
      await wait();
    }
    await save({ ...d, step: 'finishing' });
  }
  if (d.step === 'finishing') {
    const summary = await finish(job, env, d);
    await env.catalogue.end(crawlId, summary, d.runId);
    await save({ ...d, step: 'done', summary });
    env.log.log('info', 'crawl done', summary);
  }
  await env.state.unlock(d.key, id);
  await env.state.drop(crawlId);
  return { summary: d.summary! };
}

/** The holder of a crawl lock is gone when its job is finished or no longer there (its crawl, if running, was interrupted). */
async function gone(env: CrawlJobEnv, holder: string): Promise<boolean> {
  const job = (await env.queue.getJob(holder)) as Job<CrawlJobData> | undefined;
  const state = job ? await job.getState() : 'unknown';
  if (state !== 'completed' && state !== 'failed' && state !== 'unknown') return false;
  if (job?.data.crawlId !== undefined && job.data.step !== 'done') await env.catalogue.interrupt?.(job.data.crawlId);
  return true;
}

/**
 * Audit jobs that failed every attempt without their dead letter (BullMQ failed them itself: every
 * worker that took them died): their documents get their failed lines now. Returns the URL jobs
 * that failed the same way.
 */
async function settleFailedAudits(job: Job<CrawlJobData>, env: CrawlJobEnv): Promise<number> {
  const failures = await job.getIgnoredChildrenFailures();
  const audits = `${env.audits.qualifiedName}:`;
  let urls = 0;
  for (const [key, reason] of Object.entries(failures)) {
    if (!key.startsWith(audits)) {
      urls++;
      continue;
    }
    const id = key.slice(audits.length);
    if (await env.dead.getJob(id)) continue;
    const audit = (await env.audits.getJob(id)) as Job<AuditJob> | undefined;
    if (audit) await deadLetter(env.store, env.dead, audit, failureOf(new Error(reason)), audit.attemptsMade);
  }
  return urls;
}

/** The crawl's documents into its run (by URL order): reused at once, or one audit job per content; documents that have their line already are left as they are. */
async function enqueueAudit(env: CrawlJobEnv, parent: { id: string; queue: string }, runId: number, documents: CrawledDocument[]): Promise<number> {
  const { store } = env;
  const have = new Set<number>();
  if (((await store.run(runId))?.documents ?? 0) > 0) for await (const doc of store.runDocuments(runId)) have.add(doc.seq);
  const groups = new Map<string, { size: number; charset?: string; docs: JobDocument[] }>();
  for (const [seq, doc] of documents.entries()) {
    if (have.has(seq)) continue;
    if (await store.hasReport(doc.sha256)) {
      await store.reuse(runId, seq, doc.url, doc.sha256);
      continue;
    }
    const group = groups.get(doc.sha256) ?? groups.set(doc.sha256, { size: doc.size ?? 0, charset: doc.charset, docs: [] }).get(doc.sha256)!;
    group.docs.push({ seq, name: doc.url });
  }
  const jobs = [...groups].map(([sha256, g]) => {
    // httpCharset: the charset the first document's HTTP response named, for a worker that reads it.
    const data: AuditJob & { httpCharset?: string } = { runId, sha256, size: g.size, docs: g.docs, total: documents.length, detached: false, pipeline: store.pipeline, ...(g.charset ? { httpCharset: g.charset } : {}) };
    return {
      name: 'audit',
      data,
      opts: { jobId: auditJobId(runId, sha256), attempts: env.auditAttempts, backoff: { type: 'exponential', delay: env.auditBackoffMs }, parent, ignoreDependencyOnFailure: true },
    };
  });
  for (let i = 0; i < jobs.length; i += 200) await env.audits.addBulk(jobs.slice(i, i + 200));
  return jobs.length;
}

/** Dead letters for what failed, the run's cross-year checks and end, and the summary (as a local crawl's). */
async function finish(job: Job<CrawlJobData>, env: CrawlJobEnv, d: CrawlJobData): Promise<CrawlJobSummary> {
  const crawlId = d.crawlId!;
  const lostUrls = await settleFailedAudits(job, env);
  const { tally, documents } = await env.state.results(crawlId);
  if (lostUrls) tally.failed['crawl-error'] = (tally.failed['crawl-error'] ?? 0) + lostUrls;
  const summary: CrawlJobSummary & Record<string, unknown> = {
    crawl: crawlId,
    job: job.id!,
    ...tally,
    audited: 0,
    reused: 0,
    findings: { error: 0, warning: 0, info: 0 },
    unreadable: {} as Record<string, number>,
  };
  if (d.runId === undefined) return summary;
  const total = d.total ?? documents.length;
  const run = await env.store.run(d.runId);
  // Tried again later (the job's backoff): a line written by a worker that has not finished yet.
  if ((run?.documents ?? 0) < total) throw new Error(`audit run ${d.runId}: ${run?.documents ?? 0} of ${total} documents have their line`);
  await finishRun(env.store, d.runId, total);
  const findings = summary.findings as Record<'error' | 'warning' | 'info', number>;
  const unreadable = summary.unreadable as Record<string, number>;
  let reused = 0;
  for await (const doc of env.store.runDocuments(d.runId)) {
    if (doc.outcome === 'reused') reused++;
    if (documents[doc.seq]?.outcome === 'unchanged') continue;
    for (const f of doc.report.findings) findings[f.severity]++;
    for (const e of doc.report.errors) unreadable[e.code] = (unreadable[e.code] ?? 0) + 1;
  }
  summary.auditRun = d.runId;
  summary.reused = reused;
  summary.audited = total - reused;
  return summary;
}
