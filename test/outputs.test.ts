/**
 * The outputs of `--out DIR` and `ogi export` on a batch that mixes formats, templates and years:
 * every file produced, byte-identical across runs and from the store, the Data Package valid and
 * every CSV conforming to its Table Schema, the CSVs round-tripping through a BOM-aware reader.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { createRequire } from 'node:module';
import { before, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import AjvDraft04 from 'ajv-draft-04';
import datapackage from 'datapackage';
import { Table } from 'tableschema';
import { DatasetWriter } from '../src/output/dataset.ts';
import { removeStaleTemps } from '../src/output/files.ts';
import { findingCounts } from '../src/output/writer.ts';
import type { Report, ReportJson } from '../src/report/schema.ts';
import { ogi } from './helpers/ogi.ts';
import { CORPUS_DIR, SAMPLE_DIR, sampleReports } from './helpers/sample-reports.ts';

const work = mkdtempSync(join(tmpdir(), 'ogi-outputs-'));
const batch = join(work, 'batch');
const store = join(work, 'store.sqlite');
const out = { audit: join(work, 'out-audit'), export: join(work, 'out-export'), again: join(work, 'out-again') };
const withTruth: string[] = [];

/** Every file under a folder, relative path → bytes. */
function files(dir: string, base = dir): Map<string, Buffer> {
  const all = new Map<string, Buffer>();
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) for (const [k, v] of files(path, base)) all.set(k, v);
    else all.set(relative(base, path), readFileSync(path));
  }
  return all;
}

const csv = (dir: string, name: string): Record<string, string>[] => parse(readFileSync(join(dir, name)), { bom: true, columns: true });

before(async () => {
  // The committed sample (HTML, DOCX, PDF; templates 2021 and 2019; injected errors), the real
  // published reports where present, and a file that cannot be read.
  mkdirSync(batch);
  for (const name of readdirSync(SAMPLE_DIR)) {
    if (name.endsWith('.truth.json')) continue;
    copyFileSync(join(SAMPLE_DIR, name), join(batch, name));
    withTruth.push(name);
  }
  if (existsSync(CORPUS_DIR)) {
    for (const name of readdirSync(CORPUS_DIR).filter((n) => /\.(html|pdf|docx)$/.test(n))) {
      copyFileSync(join(CORPUS_DIR, name), join(batch, name));
      if (existsSync(join(CORPUS_DIR, name.replace(/\.\w+$/, '.truth.json')))) withTruth.push(name);
    }
  }
  writeFileSync(join(batch, 'zz-truncated.pdf'), '%PDF-1.7\n1 0 obj');
  // The same bytes under the same name in another folder: two documents, two JSON files.
  mkdirSync(join(batch, 'copy'));
  copyFileSync(join(SAMPLE_DIR, '00000-html-plain-base.html'), join(batch, 'copy', '00000-html-plain-base.html'));
  const first = await ogi(['audit', batch, '--store', store, '--out', out.audit, '--fail-on', 'never'], { timeoutMs: 300_000 });
  assert.equal(first.code, 0, first.stderr);
  const exported = await ogi(['export', '--store', store, '--out', out.export]);
  assert.equal(exported.code, 0, exported.stderr);
  const again = await ogi(['audit', batch, '--store', store, '--out', out.again, '--fail-on', 'never']);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /already in the store/);
});

test('--out writes every output; ogi export and a second run write the same bytes', () => {
  const a = files(out.audit);
  for (const name of ['values.csv', 'reports.csv', 'findings.csv', 'codebook.csv', 'reports.jsonl', 'datapackage.json', 'report.schema.json', 'index.html', 'audit.xlsx']) assert.ok(a.has(name), `${name} written`);
  assert.ok([...a.keys()].every((k) => !k.endsWith('.tmp')), 'no temporary file left');
  const documents = readdirSync(batch, { recursive: true }).filter((n) => /\.(html|pdf|docx)$/.test(String(n))).length;
  assert.equal([...a.keys()].filter((k) => k.startsWith('reports/')).length, documents);
  assert.ok(a.has('reports/00000-html-plain-base.de40d83a5f.json') && a.has('reports/00000-html-plain-base.de40d83a5f-2.json'));
  for (const other of [out.export, out.again]) {
    const b = files(other);
    assert.deepEqual([...b.keys()].sort(), [...a.keys()].sort(), `${other}: the same files`);
    for (const [name, bytes] of a) assert.ok(bytes.equals(b.get(name)!), `${other}/${name} byte-identical`);
  }
});

test('datapackage.json is a valid Data Package and every CSV conforms to its Table Schema', async () => {
  const descriptor = JSON.parse(readFileSync(join(out.audit, 'datapackage.json'), 'utf8')) as { resources: { name: string; path: string; profile: string; bytes: number; hash: string; schema: { fields: { name: string }[] } }[] };
  // The published JSON Schemas (Data Package v1 profiles, as Frictionless ships them), checked with ajv.
  const profiles = join(dirname(createRequire(import.meta.url).resolve('datapackage/package.json')), 'lib', 'profiles');
  const ajv = new AjvDraft04.default({ allErrors: true, strict: false });
  const validate = (profile: string, data: unknown) => {
    const check = ajv.compile(JSON.parse(readFileSync(join(profiles, `${profile}.json`), 'utf8')));
    return check(data) ? [] : (check.errors ?? []).map((e: { instancePath: string; message?: string }) => `${profile}${e.instancePath} ${e.message}`);
  };
  assert.deepEqual(validate('data-package', descriptor), []);
  for (const r of descriptor.resources) assert.deepEqual(validate(r.profile, r), [], r.name);
  assert.notDeepEqual(validate('tabular-data-resource', { ...descriptor.resources[0], schema: { fields: [{ name: 'x', type: 'integr' }] } }), [], 'ajv rejects a bad field type');
  // And Frictionless' own JS library, which also checks the paths.
  const pkg = await datapackage.Package.load(descriptor, out.audit);
  assert.deepEqual(pkg.errors.map(String), []);
  assert.ok(pkg.valid);
  const broken = await datapackage.Package.load({ ...descriptor, name: 'Not A Valid Name' }, out.audit);
  assert.equal(broken.valid, false, 'the validator does reject an invalid descriptor');

  const tabular = descriptor.resources.filter((r) => r.profile === 'tabular-data-resource');
  assert.deepEqual(tabular.map((r) => r.name).sort(), ['codebook', 'findings', 'reports', 'values']);
  for (const r of descriptor.resources) {
    const bytes = readFileSync(join(out.audit, r.path));
    assert.equal(r.bytes, bytes.length, `${r.name}: bytes`);
    assert.match(r.hash, /^sha256:[0-9a-f]{64}$/);
  }
  for (const r of tabular) {
    const rows = parse(readFileSync(join(out.audit, r.path)), { bom: true }) as string[][];
    assert.deepEqual(rows[0], r.schema.fields.map((f) => f.name), `${r.name}: header = schema fields`);
    // tableschema casts every cell to its field's type and checks constraints and the primary key.
    const table = await Table.load(rows, { schema: r.schema });
    const read = (await (table.read({ cast: true }) as unknown as Promise<unknown[][]>));
    assert.equal(read.length, rows.length - 1, `${r.name}: every row read`);
  }
  const invalid = await Table.load([['kind'], ['numbr']], { schema: { fields: [{ name: 'kind', type: 'string', constraints: { enum: ['number'] } }] } });
  await assert.rejects(invalid.read({ cast: true }) as unknown as Promise<unknown>, 'tableschema does reject a row against its schema');
  const duplicate = await Table.load([['path'], ['a'], ['a']], { schema: { fields: [{ name: 'path', type: 'string' }], primaryKey: ['path'] } });
  await assert.rejects(duplicate.read({ cast: true }) as unknown as Promise<unknown>, 'and a repeated primary key');
});

test('foreign keys hold: values and findings name reports, values name codebook paths', () => {
  const reports = new Set(csv(out.audit, 'reports.csv').map((r) => r.document));
  const paths = new Set(csv(out.audit, 'codebook.csv').map((r) => r.path));
  for (const v of csv(out.audit, 'values.csv')) {
    assert.ok(reports.has(v.document), v.document);
    assert.ok(paths.has(v.path), `${v.path} is in the codebook`);
  }
  for (const f of csv(out.audit, 'findings.csv')) assert.ok(reports.has(f.document), f.document);
});

test('the CSVs round-trip: every value, finding and report of reports.jsonl, and the hand-read truth', () => {
  const jsonl = readFileSync(join(out.audit, 'reports.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as ReportJson);
  assert.equal(jsonl.length, readdirSync(batch, { recursive: true }).filter((n) => /\.(html|pdf|docx)$/.test(String(n))).length);
  const values = csv(out.audit, 'values.csv');
  const findings = csv(out.audit, 'findings.csv');
  const reports = csv(out.audit, 'reports.csv');
  assert.equal(values.length, jsonl.reduce((n, r) => n + Object.keys(r.cells).length, 0));
  assert.equal(findings.length, jsonl.reduce((n, r) => n + r.findings.length + r.errors.length, 0));
  assert.deepEqual(reports.map((r) => r.document), jsonl.map((r) => r.source.path));
  assert.ok(new Set(jsonl.map((r) => r.meta.template)).size >= 2 && new Set(jsonl.map((r) => r.source.format).filter(Boolean)).size === 3, 'formats and templates mixed');
  assert.ok(findings.some((f) => f.rule.startsWith('crossYear.')), 'cross-year findings are exported');

  const byDoc = new Map<string, Record<string, string>>();
  for (const v of values) byDoc.set(`${v.document}\0${v.path}`, v);
  for (const r of jsonl) {
    for (const [path, cell] of Object.entries(r.cells)) {
      const row = byDoc.get(`${r.source.path}\0${path}`)!;
      assert.equal(row.raw.replace(/^'(?=[=@+-])/, ''), cell.raw, `${r.source.path} ${path} raw`);
      assert.equal(row.kind, cell.kind);
    }
  }
  // Against truth read by hand, not against the pipeline: every value of every document with truth.
  let checked = 0;
  for (const name of withTruth) {
    const truthPath = existsSync(join(SAMPLE_DIR, name)) ? join(SAMPLE_DIR, name.replace(/\.\w+$/, '.truth.json')) : join(CORPUS_DIR, name.replace(/\.\w+$/, '.truth.json'));
    if (!existsSync(truthPath)) continue;
    const truth = JSON.parse(readFileSync(truthPath, 'utf8')) as Record<string, unknown>;
    const doc = join(batch, name);
    const report = reports.find((r) => r.document === doc)!;
    assert.ok(report, doc);
    for (const table of ['active', 'requests', 'reviewLitigation']) {
      const walk = (node: unknown, path: string): void => {
        if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, `${path}.${k}`);
        else if (typeof node === 'number') {
          assert.equal(Number(byDoc.get(`${doc}\0${path}`)?.value), node, `${name} ${path} in values.csv`);
          assert.equal(Number(report[path]), node, `${name} ${path} in reports.csv`);
          checked++;
        }
      };
      walk(truth[table], table);
    }
  }
  assert.ok(checked > 5_000, `${checked} values checked against truth`);
  const chinese = values.find((v) => v.path === 'requests.withheld.thirdPartyRights.total')!;
  assert.equal(chinese.row_label, '（三）不予公开 4.保护第三方合法权益');
  assert.equal(chinese.column_label, '总计');
});

test('text that Excel would run as a formula is guarded; codes stay text', async () => {
  const [sample] = await sampleReports();
  const report: Report = structuredClone(sample);
  report.meta.agency = '=HYPERLINK("http://example.invalid","点击")';
  report.values['requests.received.total'] = { ...report.values['requests.received.total'], raw: '@SUM(A1)', value: null, kind: 'illegible' };
  report.findings.push({ rule: 'values.illegible', severity: 'error', message: '-1+1 无法读作数字', paths: ['requests.received.total'] });
  // A <br> inside a cell: a lone line feed, and a lone carriage return.
  report.values['requests.received.naturalPerson'] = { ...report.values['requests.received.naturalPerson'], raw: '5\n（含转办）' };
  report.values['requests.received.commercial'] = { ...report.values['requests.received.commercial'], raw: '0\r' };
  const dir = mkdtempSync(join(tmpdir(), 'ogi-guard-'));
  const writer = new DatasetWriter({ dir, tool: { name: 'ogi-audit', version: 'test' } });
  writer.add(report);
  await writer.finish();
  writer.commit();
  const values = csv(dir, 'values.csv');
  assert.ok(values.every((v) => v.agency === `'${report.meta.agency}`));
  assert.equal(values.find((v) => v.path === 'requests.received.total')!.raw, "'@SUM(A1)");
  assert.equal(csv(dir, 'findings.csv').at(-1)!.message, "'-1+1 无法读作数字");
  assert.match(readFileSync(join(dir, 'values.csv'), 'utf8'), new RegExp(`,${report.source.sha256},`), 'the hash written as it is');
  assert.equal(values.length, Object.keys(report.values).length, 'line breaks inside cells do not split rows');
  // Quoted, so readers that end a record at any line break (Python's csv, Excel) keep the row whole.
  const text = readFileSync(join(dir, 'values.csv'), 'utf8');
  assert.ok(text.includes(',"5\n（含转办）",') && text.includes(',"0\r",'), 'cells with a line break are quoted');
  assert.equal(values.find((v) => v.path === 'requests.received.naturalPerson')!.raw, '5\n（含转办）');
  assert.equal(values.find((v) => v.path === 'requests.received.commercial')!.raw, '0\r');
});

test('a writer aborted before commit leaves the folder as it was', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ogi-abort-'));
  writeFileSync(join(dir, 'values.csv'), 'earlier');
  const writer = new DatasetWriter({ dir, tool: { name: 'ogi-audit', version: 'test' } });
  for (const r of await sampleReports()) writer.add(r);
  await writer.finish();
  writer.abort();
  assert.deepEqual(readdirSync(dir).sort(), ['reports', 'values.csv']);
  assert.deepEqual(readdirSync(join(dir, 'reports')), []);
  assert.equal(readFileSync(join(dir, 'values.csv'), 'utf8'), 'earlier');
});

test('the worst rule: most findings at the worst severity present, ties by name; document errors first', async () => {
  const [sample] = await sampleReports();
  const r: Report = { ...structuredClone(sample), errors: [], findings: [] };
  const f = (rule: string, severity: 'error' | 'warning' | 'info') => ({ rule, severity, message: '', paths: [] });
  r.findings = [f('z.warn', 'warning'), f('b.err', 'error'), f('a.err', 'error'), f('b.err', 'error'), f('c.info', 'info'), f('a.err', 'warning')];
  assert.deepEqual(findingCounts(r), { error: 3, warning: 2, info: 1, worstRule: 'b.err' }, 'a.err has one error (its warning does not count), b.err two');
  r.findings = [f('b.err', 'error'), f('a.err', 'error')];
  assert.equal(findingCounts(r).worstRule, 'a.err', 'a tie goes to the first name');
  r.errors = [{ code: 'corrupt', message: 'x' }];
  assert.deepEqual(findingCounts(r), { error: 3, warning: 0, info: 0, worstRule: 'a.err' });
  r.findings = [f('c.info', 'info')];
  assert.equal(findingCounts(r).worstRule, 'document.corrupt');
  r.errors = [];
  r.findings = [];
  assert.equal(findingCounts(r).worstRule, '');
});

test('temporary files a killed run left are removed; a live run keeps its own', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ogi-stale-'));
  const dead = 2 ** 30; // above any pid_max: no such process
  for (const name of [`.values.csv.${dead}.deadbeef.tmp`, `.audit.xlsx.${dead}.0badf00d.values.tmp`, `.index.html.${process.pid}.12345678.tmp`, 'values.csv', '.hidden']) writeFileSync(join(dir, name), 'x');
  removeStaleTemps(dir);
  assert.deepEqual(readdirSync(dir).sort(), [`.hidden`, `.index.html.${process.pid}.12345678.tmp`, 'values.csv'].sort());
});

test('ogi export: a clear error without a store or run, and --run picks a run', async () => {
  const none = await ogi(['export', '--store', join(work, 'nothing.sqlite'), '--out', join(work, 'x')]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no run in the store/);
  assert.equal(existsSync(join(work, 'x')), false);
  const missingRun = await ogi(['export', '--store', store, '--run', '99', '--out', join(work, 'x')]);
  assert.equal(missingRun.code, 2);
  assert.match(missingRun.stderr, /no run 99/);
  const first = join(work, 'out-run1');
  const run1 = await ogi(['export', '--store', store, '--run', '1', '--out', first]);
  assert.equal(run1.code, 0, run1.stderr);
  assert.ok(readFileSync(join(first, 'values.csv')).equals(readFileSync(join(out.audit, 'values.csv'))));
});
