/**
 * Scheduled crawls and the site config: the lock that keeps runs from overlapping, croner firing
 * on a schedule without overlap, `ogi crawl --every` logging JSON lines and stopping on SIGTERM,
 * and sites.yaml read, checked and applied. Traffic goes to loopback only.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readConfig, startSpecs } from '../src/crawl/config.ts';
import { createLogger } from '../src/crawl/log.ts';
import { schedule, tryLock, withLock } from '../src/crawl/schedule.ts';
import { OGI, ogi } from './helpers/ogi.ts';
import { FixtureSite } from './helpers/site.ts';

const work = mkdtempSync(join(tmpdir(), 'ogi-schedule-'));
const site = new FixtureSite();
before(() => site.start());
after(() => site.stop());

test('the lock: held by a live process it refuses, left by a dead one it is taken over', async () => {
  const lock = join(work, 'a.lock');
  const release = tryLock(lock)!;
  assert.ok(release);
  assert.equal(tryLock(lock), undefined, 'a second taker is refused while the first holds it');
  assert.equal(await withLock(lock, async () => assert.fail('must not run')), false);
  release();
  // A pid that cannot be alive (above the kernel's pid_max) on this host: stale.
  writeFileSync(lock, JSON.stringify({ pid: 2 ** 30, host: hostname() }));
  let ran = false;
  assert.equal(await withLock(lock, async () => void (ran = true)), true);
  assert.ok(ran);
  assert.ok(tryLock(lock), 'released after the run');
});

test('a schedule fires again and again but never runs two crawls at once', async () => {
  let running = 0;
  let most = 0;
  let runs = 0;
  const lines: string[] = [];
  const cron = schedule('* * * * * *', join(work, 'b.lock'), async () => {
    running++;
    most = Math.max(most, running);
    runs++;
    await new Promise((d) => setTimeout(d, 1_500));
    running--;
  }, createLogger({ json: true, write: (l) => lines.push(l) }));
  await new Promise((d) => setTimeout(d, 4_200));
  cron.stop();
  while (cron.isBusy()) await new Promise((d) => setTimeout(d, 50));
  assert.equal(most, 1);
  assert.ok(runs >= 2 && runs <= 3, `${runs} runs of 1.5 s in 4.2 s, each firing every second`);
  const events = lines.map((l) => JSON.parse(l) as { event: string; time: string });
  assert.equal(events[0].event, 'crawl scheduled');
  assert.ok(events.every((e) => !Number.isNaN(Date.parse(e.time))));
});

test('sites.yaml: read, checked, and applied to start URLs of the same site', () => {
  const file = join(work, 'sites.yaml');
  writeFileSync(
    file,
    `defaults:\n  delay: 2\n  maxPages: 5\nallowHosts: ["127.0.0.1:${site.port}"]\nsites:\n  - name: 某市\n    start: ["${site.origin}/col/nb/index.html"]\n    include: ["t2022\\\\d+_\\\\d+\\\\.htm"]\n    exclude: ["决算"]\n    maxPages: 2\n`,
  );
  const config = readConfig(file);
  assert.deepEqual(config.allowHosts, [`127.0.0.1:${site.port}`]);
  const [fromConfig, fromCli] = startSpecs([`${site.origin}/other/index.html`], config);
  assert.equal(fromConfig.url, `${site.origin}/col/nb/index.html`);
  assert.equal(fromConfig.maxPages, 2, 'the site over the defaults');
  assert.equal(fromConfig.delayMs, 2000, 'the defaults where the site says nothing');
  assert.ok(fromConfig.rules.include![0].test('./202203/t20220301_3.htm'));
  assert.equal(fromCli.name, '某市', 'a start URL on the same site takes its rules');
  writeFileSync(join(work, 'bad.yaml'), 'sites:\n  - start: ["not a url"]\n    include: ["(unclosed"]\n    colour: blue\n');
  assert.throws(() => readConfig(join(work, 'bad.yaml')), /sites\.0\.start\.0.*sites\.0\.include\.0: not a regular expression.*colour/s);
});

test('ogi crawl --config: a bad file is a usage error naming what is wrong', async () => {
  writeFileSync(join(work, 'bad2.yaml'), 'sites: [{ start: [] }]\n');
  const r = await ogi(['crawl', '--config', join(work, 'bad2.yaml')], { cwd: work });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /bad2\.yaml: sites\.0\.start/);
});

test('ogi crawl --every runs on its schedule, logs JSON lines, and stops on SIGTERM', async () => {
  const child = spawn(process.execPath, [OGI, 'crawl', `${site.origin}/hanweb/col/col123/index.html?uid=1&pageNum=1`, '--store', join(work, 'store.sqlite'), '--allow-host', `127.0.0.1:${site.port}`, '--delay', '0', '--workers', '0', '--every', '* * * * * *'], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  let stopping = false;
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    // Whole lines only; one SIGTERM (a second one is "stop now", not "stop after this run").
    const lines = stderr.split('\n').slice(0, -1);
    if (!stopping && lines.filter((l) => l.includes('"crawl done"')).length >= 2) {
      stopping = true;
      child.kill('SIGTERM');
    }
  });
  const code = await exited;
  clearTimeout(killer);
  assert.equal(code, 0, stderr);
  const events = stderr.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { event: string; reports?: Record<string, number> });
  const runs = events.filter((e) => e.event === 'crawl done');
  assert.equal(runs.length, 2);
  assert.deepEqual(runs[0].reports, { new: 2, changed: 0, unchanged: 0 });
  assert.deepEqual(runs[1].reports, { new: 0, changed: 0, unchanged: 2 }, 'the second run finds nothing new');
  assert.ok(events.some((e) => e.event === 'schedule stopped'));
});
