/** `ogi audit` as a user runs it: a batch with good and bad documents, outputs, exit codes. */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { AuditJson } from '../src/report/schema.ts';
import { imageOnlyPdf } from './helpers/hand-made-pdf.ts';
import { FIXTURES } from './helpers/truth.ts';
import { ogi } from './helpers/ogi.ts';

const SEED = join(FIXTURES, 'seed');

/** A folder of two good reports and every kind of bad input. */
function batch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ogi-batch-'));
  copyFileSync(join(SEED, 'seed.html'), join(dir, 'a-good.html'));
  copyFileSync(join(SEED, 'seed-changed.docx'), join(dir, 'b-changed.docx'));
  const pdf = readFileSync(join(SEED, 'seed.pdf'));
  writeFileSync(join(dir, 'c-truncated.pdf'), pdf.subarray(0, Math.floor(pdf.length * 0.4)));
  writeFileSync(join(dir, 'd-not-a-zip.docx'), 'this is not a zip archive at all\n');
  writeFileSync(join(dir, 'e-random.pdf'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)));
  writeFileSync(join(dir, 'f-empty.html'), '');
  writeFileSync(join(dir, 'g-scanned.pdf'), imageOnlyPdf());
  writeFileSync(join(dir, 'ignored.txt'), 'not a report file: folders pick up .pdf, .docx and .html only');
  return dir;
}

test('a batch: every document appears, bad ones with a clear error, good ones unaffected', async () => {
  const dir = batch();
  const { code, stdout } = await ogi(['audit', dir, '--json']);
  assert.equal(code, 1, 'error findings and unreadable documents give exit 1');
  const doc = AuditJson.parse(JSON.parse(stdout));
  const byName = new Map(doc.reports.map((r) => [r.source.path.split('/').pop(), r]));
  assert.deepEqual([...byName.keys()].sort(), ['a-good.html', 'b-changed.docx', 'c-truncated.pdf', 'd-not-a-zip.docx', 'e-random.pdf', 'f-empty.html', 'g-scanned.pdf']);
  const good = byName.get('a-good.html')!;
  assert.deepEqual(good.errors, []);
  assert.equal((good.requests.received as Record<string, number>).total, 30);
  assert.equal(good.meta.agency, '杭州市公安局拱墅区分局');
  assert.equal(good.findings.filter((f) => f.severity !== 'info').length, 0);
  const changed = byName.get('b-changed.docx')!;
  assert.ok(changed.findings.some((f) => f.severity === 'error' && f.paths.includes('requests.granted.naturalPerson')));
  const codes = (name: string) => byName.get(name)!.errors.map((e) => e.code);
  assert.ok(['truncated', 'corrupt'].includes(codes('c-truncated.pdf')[0]), `truncated PDF: ${codes('c-truncated.pdf')}`);
  assert.ok(['unsupported-format', 'corrupt'].includes(codes('d-not-a-zip.docx')[0]), `not a zip: ${codes('d-not-a-zip.docx')}`);
  assert.deepEqual(codes('e-random.pdf'), ['unsupported-format']);
  assert.deepEqual(codes('f-empty.html'), ['empty']);
  assert.deepEqual(codes('g-scanned.pdf'), ['scanned-pdf']);
  for (const r of doc.reports) for (const e of r.errors) assert.ok(e.message.length > 10, `a clear message: ${e.message}`);
});

test('--out writes one JSON per document and the CSVs with BOM and CRLF', async () => {
  const dir = batch();
  const out = mkdtempSync(join(tmpdir(), 'ogi-out-'));
  const { code, stdout } = await ogi(['audit', dir, '--out', out, '--fail-on', 'never']);
  assert.equal(code, 0, '--fail-on never');
  assert.match(stdout, /杭州市公安局拱墅区分局 2023年度/);
  assert.match(stdout, /无法读取/);
  assert.equal(readdirSync(join(out, 'reports')).filter((f) => f.endsWith('.json')).length, 7);
  assert.equal(readdirSync(join(out, 'reports')).filter((f) => f.endsWith('.tmp')).length, 0, 'no half-written files');
  const values = readFileSync(join(out, 'values.csv'), 'utf8');
  assert.ok(values.startsWith('\ufeffdocument,sha256,agency,year,template,path,table,row_label,column_label,value,raw,kind,note,page\r\n'));
  assert.match(values, /a-good\.html,[0-9a-f]{64},杭州市公安局拱墅区分局,2023,2021,requests\.received\.total,表三,一、本年新收政府信息公开申请数量,总计,30,30,number,,\r\n/);
  const findings = readFileSync(join(out, 'findings.csv'), 'utf8');
  assert.ok(findings.startsWith('\ufeffdocument,sha256,agency,year,seq,rule,severity,message,paths,expected,actual,pages,related\r\n'));
  assert.match(findings, /g-scanned\.pdf,[0-9a-f]{64},,,1,document\.scanned-pdf,error/);
  assert.match(findings, /b-changed\.docx,.*requests\.rowTotal,error/);
});

test('exit codes: 0 for a clean report, 2 when the command cannot run', async () => {
  assert.equal((await ogi(['audit', join(SEED, 'seed.html')])).code, 0);
  assert.equal((await ogi(['audit', join(SEED, 'seed-changed.html'), '--fail-on', 'warning'])).code, 1);
  const missing = await ogi(['audit', join(SEED, 'no-such-file.pdf')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no such file/);
  assert.equal((await ogi(['frobnicate'])).code, 2);
  assert.equal((await ogi(['audit', SEED, '--fail-on', 'sometimes'])).code, 2);
});

test('ogi rules prints the catalogue, H1–H5 among it', async () => {
  const { code, stdout } = await ogi(['rules', '--json']);
  assert.equal(code, 0);
  const rules = JSON.parse(stdout) as { id: string; relation?: string; severity: string }[];
  assert.deepEqual(rules.filter((r) => r.relation).map((r) => r.relation).sort(), ['H1', 'H2', 'H3', 'H4', 'H5']);
  assert.ok(rules.every((r) => ['error', 'warning', 'info'].includes(r.severity)));
});
