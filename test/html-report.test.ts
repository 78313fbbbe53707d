/**
 * index.html (src/output/html): the written bytes (escaping, determinism, atomic writes, compact
 * data), then the page itself in headless Chromium over file:// (totals, filters, document pages,
 * highlighted cells, history) and the README screenshot.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { HtmlReportWriter } from '../src/output/html/writer.ts';
import { allFindings } from '../src/output/writer.ts';
import { DERIVED_PATHS } from '../src/report/paths.ts';
import type { Finding, Report, Severity } from '../src/report/schema.ts';
import { sampleReports } from './helpers/sample-reports.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = '/usr/bin/chromium';
const TOOL = { name: 'ogi-audit' as const, version: String(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version) };
const NO_AGENCY = '（发布机关未识别）';
const EVIL = '</script><img src=x onerror=alert(1)>';
const TARGET_DOC = 'bench/sample/00001-html-word-cms-template-2019-cell.html';

const tmp = mkdtempSync(join(tmpdir(), 'ogi-html-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
let dirs = 0;

async function write(reports: Report[], dir = join(tmp, `out${dirs++}`)): Promise<string> {
  const w = new HtmlReportWriter({ dir, tool: TOOL });
  for (const r of reports) w.add(r);
  await w.finish();
  w.commit();
  return join(dir, 'index.html');
}

function pageData(html: string): { docs: { a?: string; p: string; f: { r: string; c?: string[] }[]; g: Record<string, { l: string; v: unknown[] }> }[] } {
  const m = /<script type="application\/json" id="ogi-data">([\s\S]*?)<\/script>/.exec(html);
  assert.ok(m, 'the data block is in the page');
  return JSON.parse(m[1]);
}

const TABLE_PREFIX: Record<string, string> = { active: 't2', requests: 't3', reviewLitigation: 't4' };

/** The grid cells a finding names: its paths, derived sums expanded to the cells they add. */
function cellPaths(r: Report, f: Finding): string[] {
  const has = (p: string) => Object.hasOwn(r.values, p);
  return [...new Set(f.paths.flatMap((p) => DERIVED_PATHS[p]?.of(has) ?? [p]).filter((p) => TABLE_PREFIX[p.split('.')[0]]))].sort();
}

function severityCounts(reports: Report[]): Record<Severity, number> {
  const c = { error: 0, warning: 0, info: 0 };
  for (const r of reports) for (const f of allFindings(r)) c[f.severity]++;
  return c;
}

/** A real report whose every string a document controls is hostile. */
async function evilReport(): Promise<Report> {
  const base = (await sampleReports()).find((r) => r.source.path === TARGET_DOC)!;
  const r: Report = structuredClone(base);
  r.meta.agency = EVIL;
  r.meta.title = '<!-- <script>alert(4)</script>';
  r.source.path = 'evil/</script><b>x.html';
  r.findings[0].message = '</script><script>alert(2)</script>\u2028\u2029&amp;';
  const at = r.findings[0].paths[0];
  r.values[at] = { ...r.values[at], raw: '<img src=x onerror=alert(3)>', kind: 'illegible', value: null };
  return r;
}

test('html report: document text is embedded as inert data', async () => {
  const html = readFileSync(await write([await evilReport()]), 'utf8');
  assert.equal(html.match(/<\/script/gi)?.length, 2, 'only the data block and the page script close a script');
  assert.equal(html.match(/<script/gi)?.length, 2);
  assert.doesNotMatch(html, /<img|<b>|<!--|alert\(\d\)<\/script>/);
  assert.doesNotMatch(html, /[\u2028\u2029]/);
  const data = pageData(html);
  assert.equal(data.docs[0].a, EVIL, 'the agency round-trips through the escaped JSON');
  assert.equal(data.docs[0].f[0].r, 'requests.resultsSum');
  assert.match(html, /Content-Security-Policy" content="default-src 'none'; script-src 'sha256-/);
});

test('html report: identical input gives identical bytes', async () => {
  const reports = await sampleReports();
  const dir = join(tmp, 'same');
  const first = readFileSync(await write(reports, dir));
  const second = readFileSync(await write(reports, dir));
  assert.ok(first.equals(second));
});

test('html report: written whole or not at all', async () => {
  const reports = await sampleReports();
  const dir = join(tmp, 'atomic');
  const aborted = new HtmlReportWriter({ dir, tool: TOOL });
  for (const r of reports) aborted.add(r);
  await aborted.finish();
  assert.deepEqual(readdirSync(dir).filter((f) => f === 'index.html'), [], 'nothing visible before commit');
  aborted.abort();
  assert.deepEqual(readdirSync(dir), [], 'abort leaves nothing');

  writeFileSync(join(dir, 'index.html'), 'old');
  const again = new HtmlReportWriter({ dir, tool: TOOL });
  again.add(reports[0]);
  await again.finish();
  again.abort();
  assert.deepEqual(readdirSync(dir), ['index.html']);
  assert.equal(readFileSync(join(dir, 'index.html'), 'utf8'), 'old', 'abort keeps the previous page');
});

test('html report: keeps only the tables findings touch, derived sums as their cells', async () => {
  const reports = await sampleReports();
  const base = reports.find((r) => r.findings.length === 0 && r.errors.length === 0)!;
  const derived: Report = structuredClone(base);
  derived.findings = [{ rule: 'narrative.vsTable', severity: 'warning', message: '不予公开', paths: ['requests.withheld.total'] }];
  const batch = [...reports, derived];
  const data = pageData(readFileSync(await write(batch), 'utf8'));
  batch.forEach((r, i) => {
    const touched = new Set(allFindings(r).flatMap((f) => cellPaths(r, f)).map((p) => TABLE_PREFIX[p.split('.')[0]]));
    assert.deepEqual(Object.keys(data.docs[i].g).sort(), [...touched].sort(), r.source.path);
    allFindings(r).forEach((f, j) => assert.deepEqual([...(data.docs[i].f[j].c ?? [])].sort(), cellPaths(r, f), `${r.source.path} finding ${j}`));
  });
  assert.deepEqual(data.docs.at(-1)!.f[0].c, [
    'requests.withheld.stateSecret.total',
    'requests.withheld.lawProhibited.total',
    'requests.withheld.securityStability.total',
    'requests.withheld.thirdPartyRights.total',
    'requests.withheld.internalAffairs.total',
    'requests.withheld.processInfo.total',
    'requests.withheld.enforcementFile.total',
    'requests.withheld.queryMatter.total',
  ]);
});

test('html report in Chromium (file://, no network)', { timeout: 240_000 }, async (t) => {
  if (!existsSync(CHROMIUM)) {
    if (process.env.OGI_REQUIRE_BROWSER === '1') assert.fail(`${CHROMIUM} is missing and OGI_REQUIRE_BROWSER=1`);
    t.skip(`${CHROMIUM} not installed: browser test skipped (apt-get install chromium fonts-noto-cjk)`);
    return;
  }
  const { chromium } = await import('playwright-core');
  const reports = await sampleReports();
  const url = pathToFileURL(await write(reports)).href;
  const evilUrl = pathToFileURL(await write([await evilReport()])).href;

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    timeout: 60_000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const problems: string[] = [];
    // Anything but file:// is a failure, and is stopped before it leaves.
    await context.route((u) => u.protocol !== 'file:', (route) => {
      problems.push(`request ${route.request().url()}`);
      return route.abort();
    });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('request', (req) => void (req.url().startsWith('file://') || problems.push(`request ${req.url()}`)));
    page.on('console', (m) => void (m.type() === 'error' && problems.push(`console ${m.text()}`)));
    page.on('pageerror', (e) => problems.push(`pageerror ${e.message}`));
    page.on('dialog', (d) => {
      problems.push(`dialog ${d.message()}`);
      void d.dismiss();
    });

    await page.goto(url);
    await page.waitForSelector('html[data-ready]');
    const totals = async () => {
      const n = async (id: string) => Number(await page.textContent(`#tot-${id}`));
      return { docs: await n('docs'), error: await n('error'), warning: await n('warning'), info: await n('info') };
    };
    const expectTotals = (rs: Report[], only?: (f: Finding) => boolean) => {
      const kept = rs.map((r) => ({ ...r, errors: [], findings: allFindings(r).filter(only ?? (() => true)) }));
      return { docs: only ? kept.filter((r) => r.findings.length).length : rs.length, ...severityCounts(kept) };
    };

    // Overview: the totals of allFindings, every body listed.
    assert.deepEqual(await totals(), expectTotals(reports));
    const bodies = await page.$$eval('#by-body tr[data-body]', (trs) => trs.map((tr) => tr.getAttribute('data-body')));
    assert.deepEqual(bodies.sort(), [...new Set(reports.map((r) => r.meta.agency || NO_AGENCY))].sort());

    // Filters: severity, body, text; the counts follow.
    await page.selectOption('#f-sev', 'warning');
    assert.deepEqual(await totals(), expectTotals(reports, (f) => f.severity === 'warning'));
    await page.selectOption('#f-sev', 'error');
    assert.deepEqual(await totals(), expectTotals(reports, (f) => f.severity === 'error'));
    await page.click('#f-clear');
    const target = reports.findIndex((r) => r.source.path === TARGET_DOC);
    const agency = reports[target].meta.agency!;
    await page.selectOption('#f-body', agency);
    assert.deepEqual(await totals(), expectTotals(reports.filter((r) => r.meta.agency === agency)));
    await page.click('#f-clear');
    await page.fill('#f-q', '00001-html-word-cms');
    await page.waitForFunction(() => document.getElementById('tot-docs')?.textContent === '1');
    assert.deepEqual(await totals(), expectTotals([reports[target]]));
    await page.fill('#f-q', 'requests.rowTotal');
    const rowTotal = expectTotals(reports, (f) => f.rule === 'requests.rowTotal');
    await page.waitForFunction((n) => document.getElementById('tot-error')?.textContent === String(n), rowTotal.error);
    assert.deepEqual(await totals(), rowTotal);
    await page.click('#f-clear');

    // The document list leads to the document's page.
    await page.click('nav.tabs a[data-tab="docs"]');
    await page.waitForSelector('#view[data-view="docs"]');
    assert.equal(await page.locator('tr[data-doc]').count(), reports.length);
    await page.click(`tr[data-doc="${target}"] a`);
    await page.waitForSelector(`#view[data-view="doc/${target}"]`);
    assert.equal(await page.textContent('#doc-agency'), agency);
    const findings = allFindings(reports[target]);
    assert.ok(findings.length >= 2, 'the target document has findings to click');
    assert.equal(await page.locator('li.finding').count(), findings.length);

    // Clicking a finding highlights exactly its cells, which show the report's values.
    const lit = () => page.$$eval('td.hl', (tds) => tds.map((td) => [td.getAttribute('data-path')!, td.querySelector('.v')!.textContent!] as const));
    const checkSelected = async (j: number) => {
      await page.waitForSelector(`#view[data-view="doc/${target}/f/${j}"]`);
      assert.equal(await page.getAttribute('li.finding.sel', 'data-index'), String(j));
      const cells = await lit();
      const want = cellPaths(reports[target], findings[j]);
      assert.ok(want.length > 0);
      assert.deepEqual(cells.map(([p]) => p).sort(), want, `finding ${j} (${findings[j].rule})`);
      for (const [p, text] of cells) assert.equal(text, String(reports[target].values[p].value), p);
    };
    for (let j = 0; j < findings.length; j++) {
      await page.click(`li.finding[data-index="${j}"]`);
      await checkSelected(j);
    }

    // Back and forward walk the selections, then the pages.
    await page.goBack();
    await checkSelected(findings.length - 2);
    await page.goForward();
    await checkSelected(findings.length - 1);
    for (let j = 0; j < findings.length; j++) await page.goBack();
    await page.waitForSelector(`#view[data-view="doc/${target}"]`);
    assert.equal(await page.locator('td.hl').count(), 0);
    await page.goBack();
    await page.waitForSelector('#view[data-view="docs"]');
    assert.equal(await page.locator('tr[data-doc]').count(), reports.length);

    // The README's picture: the document page, its first finding highlighted.
    await page.goto(`${url}#doc/${target}/f/0`);
    await checkSelected(0);
    await page.evaluate(() => window.scrollTo(0, 0));
    const shot = process.env.OGI_UPDATE_SCREENSHOT === '1' ? join(ROOT, 'docs', 'images', 'audit-report.png') : join(tmp, 'audit-report.png');
    mkdirSync(dirname(shot), { recursive: true });
    await page.screenshot({ path: shot, fullPage: true });
    assert.ok(readFileSync(shot).length > 10_000);

    // Long lists are drawn a step at a time.
    // Copies enough for more than 400 findings and 200 documents, with or without ../shared/corpus.
    const perBatch = reports.reduce((n, r) => n + allFindings(r).length, 0);
    const many = Array.from({ length: Math.max(45, Math.ceil(450 / perBatch)) }, () => reports).flat();
    await page.goto(`${pathToFileURL(await write(many)).href}#findings`);
    await page.waitForSelector('#view[data-view="findings"]');
    const manyFindings = many.reduce((n, r) => n + allFindings(r).length, 0);
    assert.equal(await page.locator('tbody tr.go').count(), 200);
    await page.click('button.more');
    assert.equal(await page.locator('tbody tr.go').count(), 400);
    assert.equal(await page.textContent('button.more'), `显示更多（还有 ${manyFindings - 400} 条）`);
    await page.click('nav.tabs a[data-tab="docs"]');
    await page.waitForSelector('#view[data-view="docs"]');
    assert.equal(await page.locator('tr[data-doc]').count(), 200);
    assert.equal(await page.textContent('#tot-docs'), String(many.length));

    // Hostile text stays text.
    await page.goto(evilUrl);
    await page.waitForSelector('html[data-ready]');
    assert.deepEqual(await page.$$eval('#by-body tr[data-body]', (trs) => trs.map((tr) => tr.getAttribute('data-body'))), [EVIL]);
    await page.goto(`${evilUrl}#doc/0/f/0`);
    await page.waitForSelector('#view[data-view="doc/0/f/0"]');
    assert.equal(await page.textContent('#doc-agency'), EVIL);
    assert.equal(await page.locator('img').count(), 0);
    assert.equal(await page.locator('script').count(), 2);
    assert.match((await page.textContent('li.finding.sel .msg'))!, /^<\/script><script>alert\(2\)<\/script>/);
    assert.match((await page.textContent('td.hl-main'))!, /<img src=x/);

    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});
