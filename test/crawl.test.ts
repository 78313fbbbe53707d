/**
 * `ogi crawl` against a fixture site on 127.0.0.1 (test/helpers/site.ts): what it finds, what it
 * must not touch, its politeness, a second crawl fetching only what changed, and everything found
 * audited into the store. Traffic goes to loopback only.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { ogi, type OgiResult } from './helpers/ogi.ts';
import { CORPUS_DIR } from './helpers/sample-reports.ts';
import { CRAWL_DELAY_S, FixtureSite } from './helpers/site.ts';

const site = new FixtureSite();
const work = mkdtempSync(join(tmpdir(), 'ogi-crawl-'));
const store = join(work, 'store.sqlite');
const corpus = existsSync(join(CORPUS_DIR, 'pingtan-list-index.html'));
let first: OgiResult;
let firstHits = 0;
let second: OgiResult;

const crawl = () =>
  ogi(['crawl', ...site.starts, '--store', store, '--allow-host', `127.0.0.1:${site.port}`, '--delay', '0', '--timeout', '1.5', '--retries', '1', '--max-file-bytes', '1M', '--workers', '1', '--json-logs'], {
    cwd: work,
    timeoutMs: 120_000,
  });

interface Event {
  event: string;
  [k: string]: unknown;
}
const events = (r: OgiResult): Event[] =>
  r.stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Event);

before(async () => {
  await site.start();
  first = await crawl();
  firstHits = site.hits.length;
  // Between crawls one report is republished with a change; nothing else changes.
  site.changing = Buffer.concat([site.changing, Buffer.from('\n<!-- 更正 -->\n')]);
  second = await crawl();
});

after(() => site.stop());

const path = (p: string) => `${site.origin}${p}`;

test('the first crawl finds every report and attachment, and nothing else', () => {
  assert.equal(first.code, 0, first.stderr);
  const fetched = new Set(site.requested(0).slice(0, firstHits).map((h) => h.path));
  const expected = [
    '/robots.txt',
    '/col/nb/index.html',
    '/col/nb/index_1.html',
    '/col/nb/202403/t20240308_1.htm',
    '/col/nb/202303/t20230301_2.htm',
    '/col/nb/202203/t20220301_3.htm',
    '/att/2022-qzb.pdf',
    '/att/2022-wzb.docx',
    '/go/2020.htm',
    '/col/nb/201903/t20190301_5.htm',
    '/col/nb/201803/t20180301_6.htm',
    '/col/nb/201703/t20170301_7.htm',
    '/att/big.pdf',
    '/hanweb/col/col123/index.html?uid=1&pageNum=1',
    '/hanweb/col/col123/index.html?uid=1&pageNum=2',
    '/hanweb/art/2025/3/1/art_123_1.html',
    '/hanweb/art/2021/3/1/art_123_2.html',
  ];
  for (const p of expected) assert.ok(fetched.has(p), `fetched ${p}`);
  if (corpus) {
    assert.ok(fetched.has('/pingtan/zfxxgknb/index.htm'));
    // The ten reports of the real list page (2016–2025), one served, nine not found.
    assert.equal([...fetched].filter((p) => /^\/pingtan\/zfxxgknb\/20\d{4}\/t\d{8}_\d+\.htm$/.test(p)).length, 10);
  }
  const unexpected = [...fetched].filter((p) => !expected.includes(p) && !p.startsWith('/pingtan/'));
  assert.deepEqual(unexpected, [], 'near misses (法治政府建设年度报告, 决算, 指南) and chrome are not fetched');
});

test('robots.txt: the disallowed path is never requested, and requests keep the crawl delay', () => {
  const hits = site.requested(0).slice(0, firstHits);
  assert.ok(!hits.some((h) => h.path.startsWith('/private/')));
  const gaps = hits.slice(1).map((h, i) => h.at - hits[i].at);
  // Gaps are between responses as the server logs them: a request starts at least the delay after the last one started.
  const tooClose = gaps.map((g, i) => [g, hits[i].path, hits[i + 1].path]).filter(([g]) => (g as number) < CRAWL_DELAY_S * 1000 - 50);
  assert.deepEqual(tooClose, [], 'no two requests closer than the crawl delay');
});

test('the redirect to a loopback address that is not allowed is refused without a connection', () => {
  assert.equal(site.forbiddenConnections, 0);
  const db = new Database(store, { readonly: true });
  try {
    const row = db.prepare('SELECT outcome, reason FROM crawl_urls WHERE url = ?').get(path('/go/2020.htm')) as { outcome: string; reason: string };
    assert.deepEqual(row, { outcome: 'failed', reason: 'refused-address' });
    const reasons = Object.fromEntries((db.prepare("SELECT url, reason FROM crawl_urls WHERE outcome IN ('failed', 'skipped')").all() as { url: string; reason: string }[]).map((r) => [r.url.replace(site.origin, ''), r.reason]));
    assert.equal(reasons['/private/2021.htm'], 'robots');
    assert.equal(reasons['/col/nb/201903/t20190301_5.htm'], 'http-4xx');
    assert.equal(reasons['/col/nb/201703/t20170301_7.htm'], 'timeout');
    assert.equal(reasons['/att/big.pdf'], 'too-large');
    assert.equal(reasons['/col/nb/201803/t20180301_6.htm'], undefined, '500 then 200: retried and fetched');
  } finally {
    db.close();
  }
});

test('everything found is audited into the store, GBK page and attachments included', () => {
  const done = events(first).find((e) => e.event === 'crawl done')!;
  assert.ok(done, first.stderr);
  const db = new Database(store, { readonly: true });
  try {
    const run = done.auditRun as number;
    const docs = db.prepare('SELECT d.path, r.report FROM run_documents d JOIN reports r ON r.sha256 = d.sha256 WHERE d.run_id = ?').all(run) as { path: string; report: string }[];
    const byUrl = new Map(docs.map((d) => [d.path.replace(site.origin, ''), JSON.parse(d.report) as { meta: { agency?: string; year?: number }; values: Record<string, { value: number | null }>; errors: { code: string }[] }]));
    // Hand-read truth of the served documents (bench/sample/*.truth.json).
    const truth: [string, string, string, number][] = [
      ['/col/nb/202403/t20240308_1.htm', '00007-html-word-cms-fee-decimals-narrative', '淮安市数据局', 17708],
      ['/col/nb/202303/t20230301_2.htm', '00012-html-plain-gbk-late', '福州市公安局', 3365],
      ['/att/2022-qzb.pdf', '00005-pdf-chromium-zero-rows-cell', '苏州市住房和城乡建设局', 10],
      ['/att/2022-wzb.docx', '00002-docx-docx-js-other-unitemized', '宿迁市农业农村局', 27],
      ['/col/nb/201803/t20180301_6.htm', '00000-html-plain-base', '泗阳县人力资源和社会保障局', 1591],
      ['/hanweb/art/2025/3/1/art_123_1.html', '00021-html-plain-other-unitemized-cell', '淮阴区交通运输局', 4951],
      ['/hanweb/art/2021/3/1/art_123_2.html', '00001-html-word-cms-template-2019-cell', '淮安市金湖县数据局', 103],
    ];
    for (const [url, , agency, received] of truth) {
      const r = byUrl.get(url);
      assert.ok(r, `${url} audited`);
      assert.equal(r.meta.agency, agency, url);
      assert.equal(r.values['requests.received.total']?.value, received, url);
    }
    assert.deepEqual(byUrl.get('/col/nb/202203/t20220301_3.htm')?.errors.map((e) => e.code), ['no-report-tables'], 'the article that only links its attachments');
    if (corpus) assert.equal(byUrl.get('/pingtan/zfxxgknb/202302/t20230220_80629.htm')?.values['requests.received.total']?.value, 74);
    const catalogued = db.prepare('SELECT body, year, referrer FROM crawl_urls WHERE url = ?').get(path('/att/2022-wzb.docx')) as { body: string; year: number; referrer: string };
    assert.deepEqual(catalogued, { body: '宿迁市农业农村局', year: 2022, referrer: path('/col/nb/202203/t20220301_3.htm') });
  } finally {
    db.close();
  }
});

test('a second crawl fetches only what changed, and audits only that', () => {
  assert.equal(second.code, 0, second.stderr);
  const hits = site.requested(firstHits);
  const full = hits.filter((h) => h.status === 200).map((h) => h.path);
  // big.pdf is answered 200 and cut off as too large each time: never kept, it has no validators to send.
  assert.deepEqual(full.filter((p) => p !== '/robots.txt' && p !== '/att/big.pdf'), ['/col/nb/202403/t20240308_1.htm'], 'everything else answered 304 or failed as before');
  assert.ok(hits.filter((h) => h.status === 304).length >= 10);
  const done = events(second).find((e) => e.event === 'crawl done')!;
  assert.deepEqual(done.reports, { new: 0, changed: 1, unchanged: corpus ? 6 : 5 });
  assert.equal(done.audited, 1);
  const failed = done.failed as Record<string, number>;
  assert.equal(failed['refused-address'], 1);
  assert.equal(failed.robots, 1);
});

test('no request left loopback: every URL the crawl fetched is on the test site', () => {
  const db = new Database(store, { readonly: true });
  try {
    const urls = (db.prepare('SELECT DISTINCT url FROM crawl_fetches').all() as { url: string }[]).map((r) => r.url);
    assert.ok(urls.length >= (corpus ? 25 : 15), `${urls.length} URLs fetched`);
    assert.deepEqual(urls.filter((u) => !u.startsWith(`${site.origin}/`)), [], 'the 平潭 page links the real site; none of it is fetched');
  } finally {
    db.close();
  }
});

test('a start page that moved to another origin of the same host is followed there; a redirect to a loopback name is refused', async () => {
  const other = join(work, 'moved.sqlite');
  const r = await ogi(['crawl', `${site.origin}/moved/index.html`, `${site.origin}/misc/index.html`, '--store', other, '--allow-host', `127.0.0.1:${site.port}`, '--allow-host', `127.0.0.1:${site.mirrorPort}`, '--delay', '0', '--timeout', '1.5', '--retries', '0', '--max-file-bytes', '1M', '--workers', '1', '--json-logs'], { cwd: work, timeoutMs: 90_000 });
  assert.equal(r.code, 0, r.stderr);
  const done = events(r).find((e) => e.event === 'crawl done')!;
  assert.equal(done.lists, 3, 'the moved index, its index_1 on the new origin, and the misc list');
  assert.ok((done.reports as { new: number }).new >= 3, 'reports found on the new origin');
  assert.equal((done.failed as Record<string, number>)['refused-address'], 2, '127.0.0.2 and localhost');
  assert.ok(!site.hits.some((h) => h.path === '/local-target'), 'nothing connected to localhost');
});

test('a crawl that finds the lock of a live crawl does not start', async () => {
  writeFileSync(`${store}.crawl.lock`, JSON.stringify({ pid: process.pid, host: (await import('node:os')).hostname() }));
  const r = await ogi(['crawl', `${site.origin}/col/nb/index.html`, '--store', store, '--allow-host', `127.0.0.1:${site.port}`], { cwd: work });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /another crawl/);
});
