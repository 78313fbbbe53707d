import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import JSZip from 'jszip';
import { SUPPORTED_EXTENSIONS, extract, sniffFormat } from '../src/extract/index.ts';
import { isDocumentError } from '../src/errors.ts';

const CORPUS = new URL('../../shared/corpus/', import.meta.url);
const haveCorpus = existsSync(new URL('README.md', CORPUS));

async function code(bytes: Uint8Array): Promise<string> {
  try {
    await extract(bytes, { name: 'x.bin' });
    return 'ok';
  } catch (e) {
    assert.ok(isDocumentError(e), String(e));
    return e.code;
  }
}

const cfb = (encrypted: boolean) => {
  const b = new Uint8Array(2048);
  b.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
  if (encrypted) b.set(Buffer.from('EncryptedPackage', 'utf16le'), 1100);
  return b;
};

test('sniffFormat looks at the content', () => {
  assert.equal(sniffFormat(Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj')), 'pdf');
  assert.equal(sniffFormat(Buffer.concat([Buffer.from('garbage before the header\r\n'), Buffer.from('%PDF-1.4')])), 'pdf');
  assert.equal(sniffFormat(Buffer.from('PK\x03\x04rest', 'latin1')), 'docx');
  assert.equal(sniffFormat(cfb(false)), 'cfb');
  assert.equal(sniffFormat(Buffer.from('\n\n<!DOCTYPE html><html><body>x</body></html>')), 'html');
  assert.equal(sniffFormat(Buffer.from('<table><tr><td>1</td></tr></table>')), 'html');
  assert.equal(sniffFormat(iconv.encode('<p>总体情况</p>', 'gbk')), 'html');
  assert.equal(sniffFormat(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<html><p>年报</p></html>', 'utf16le')])), 'html');
  assert.equal(sniffFormat(Buffer.from('just some words, no markup')), null);
  assert.equal(sniffFormat(new Uint8Array(0)), null);
  assert.deepEqual(SUPPORTED_EXTENSIONS, ['.pdf', '.docx', '.htm', '.html', '.shtml', '.xhtml']);
});

test('extract dispatches HTML and DOCX whatever the name says', async () => {
  const m = await extract(Buffer.from('<html><body><p>2023年政府信息公开工作年度报告</p><table><tr><td>本年新收</td><td>3</td></tr></table></body></html>'), { name: 'report.pdf' });
  assert.equal(m.format, 'html');
  assert.equal(m.blocks.length, 2);

  const zip = new JSZip();
  zip.file('[Content_Types].xml', '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>');
  zip.file('word/document.xml', '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>年度报告</w:t></w:r></w:p></w:body></w:document>');
  const d = await extract(await zip.generateAsync({ type: 'uint8array' }), { name: 'report.html' });
  assert.equal(d.format, 'docx');
  assert.deepEqual(d.blocks.map((b) => (b.kind === 'paragraph' ? b.text : '')), ['年度报告']);
});

test('extract errors', async () => {
  assert.equal(await code(new Uint8Array(0)), 'empty');
  assert.equal(await code(Buffer.from('  \r\n\t ')), 'empty');
  assert.equal(await code(cfb(false)), 'unsupported-format');
  assert.equal(await code(cfb(true)), 'encrypted');
  let seed = 3;
  const random = Uint8Array.from({ length: 10000 }, () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff);
  assert.equal(await code(random), 'unsupported-format');
  assert.equal(await code(Buffer.from('\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR', 'latin1')), 'unsupported-format');
  const zip = new JSZip();
  zip.file('xl/workbook.xml', '<workbook/>');
  assert.equal(await code(await zip.generateAsync({ type: 'uint8array' })), 'unsupported-format');
});

test('extract reads every real HTML and DOCX document', async (t) => {
  if (!haveCorpus) return t.skip('../shared/corpus is absent');
  for (const [file, format] of [
    ['shanghai-office-2019.html', 'html'],
    ['shuyang-ndrc-2023.html', 'html'],
    ['pingtan-2022.html', 'html'],
    ['pingtan-list-index.html', 'html'],
    ['template-2021-wps.docx', 'docx'],
  ]) {
    const m = await extract(readFileSync(new URL(file, CORPUS)), { name: file });
    assert.equal(m.format, format, file);
    assert.ok(m.blocks.length > 0, file);
  }
});

// ---- the rendered seed fixtures (fixtures/seed: one report in several encodings and cell styles) ----

const SEED = new URL('../fixtures/seed/', import.meta.url);
const REQUEST_ROWS = [
  'received', 'carriedOver', 'granted', 'partiallyGranted',
  ...['stateSecret', 'lawProhibited', 'securityStability', 'thirdPartyRights', 'internalAffairs', 'processInfo', 'enforcementFile', 'queryMatter'].map((k) => `withheld.${k}`),
  ...['notHeld', 'needsCreation', 'unclear'].map((k) => `unavailable.${k}`),
  ...['complaint', 'repeated', 'publication', 'excessive', 'confirmation'].map((k) => `rejected.${k}`),
  'otherHandling.overdueCorrection', 'otherHandling.overdueFee', 'otherHandling.other', 'resultsTotal', 'carriedForward',
];
const APPLICANTS = ['naturalPerson', 'commercial', 'research', 'nonprofit', 'legalService', 'otherOrg', 'total'];
const dig = (o: any, path: string) => path.split('.').reduce((x, k) => x?.[k], o);
/** Blank, dash and slash cells stand for 0 in these fixtures. */
const asNumber = (s: string) => (s === '' || /^[-—/]$/.test(s) ? '0' : s);

for (const file of ['seed.html', 'seed-blank.html', 'seed-changed.html', 'seed-dash.html', 'seed-gbk.html', 'seed.docx', 'seed-blank.docx', 'seed-changed.docx']) {
  test(`seed fixture ${file}: 表三 and 表四 hold the truth's values`, async (t) => {
    if (!existsSync(new URL(file, SEED))) return t.skip('fixtures/seed is absent');
    const truth = JSON.parse(readFileSync(new URL(file.replace(/\.\w+$/, '.truth.json'), SEED), 'utf8'));
    const m = await extract(readFileSync(new URL(file, SEED)), { name: file });
    const tabs = m.blocks.filter((b) => b.kind === 'table');
    const t3 = tabs.find((b) => b.grid.some((r) => r.some((c) => c.text.includes('本年新收'))));
    assert.ok(t3, '表三');
    const first = t3.grid.findIndex((r) => r.slice(0, 3).some((c) => c.text.includes('本年新收')));
    assert.equal(t3.grid.length - first, 25);
    REQUEST_ROWS.forEach((path, i) => {
      const got = t3.grid[first + i].slice(3).map((c) => asNumber(c.text));
      assert.deepEqual(got, APPLICANTS.map((k) => String(dig(truth.requests, `${path}.${k}`))), path);
    });
    const t4 = tabs.find((b) => b.grid.some((r) => r.some((c) => c.text.includes('复议后起诉'))));
    assert.ok(t4, '表四');
    const rl = ['review', 'suitDirect', 'suitAfterReview'].flatMap((g) => ['upheld', 'corrected', 'other', 'pending', 'total'].map((k) => String(truth.reviewLitigation[g][k])));
    assert.deepEqual(t4.grid[t4.grid.length - 1].map((c) => asNumber(c.text)), rl);
  });
}
