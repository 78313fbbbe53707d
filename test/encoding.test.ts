import { test } from 'node:test';
import assert from 'node:assert/strict';
import iconv from 'iconv-lite';
import { decodeHtml, normalizeCharset, sniffMetaCharset } from '../src/extract/encoding.ts';
import { readHtml } from '../src/extract/html.ts';

const REPORT = '本年度报告根据《中华人民共和国政府信息公开条例》编制，全年共收到政府信息公开申请八百五十九件。';

function page(head: string, body: string): string {
  return `<!DOCTYPE html><html><head>${head}<title>年度报告</title></head><body>${body}</body></html>`;
}

const longScript = `<script>${'var x = "abcdefghij";\n'.repeat(160)}</script>`; // ≈ 3.5 KB before the meta

test('GBK page declaring its charset after 3 KB of script is decoded as GB18030', async () => {
  const html = page(`${longScript}<meta charset="gbk">`, `<p>${REPORT}</p>`);
  assert.ok(html.indexOf('charset="gbk"') > 3000);
  const bytes = iconv.encode(html, 'gbk');
  const d = decodeHtml(bytes);
  assert.equal(d.encoding, 'gb18030');
  assert.equal(d.how, 'meta');
  assert.ok(d.text.includes(REPORT));
  const m = await readHtml(bytes);
  assert.ok(m.blocks.some((b) => b.kind === 'paragraph' && b.raw.includes(REPORT)));
});

test('http-equiv Content-Type declaration is found too', () => {
  const html = page(`${longScript}<meta http-equiv="Content-Type" content="text/html; charset=gb2312">`, `<p>${REPORT}</p>`);
  const d = decodeHtml(iconv.encode(html, 'gbk'));
  assert.equal(d.how, 'meta');
  assert.equal(d.encoding, 'gb18030');
  assert.ok(d.text.includes(REPORT));
});

test('GBK page with no declaration at all: detection on long input', () => {
  const html = page('', `<p>${REPORT.repeat(6)}</p>`);
  const bytes = iconv.encode(html, 'gbk');
  assert.equal(sniffMetaCharset(bytes), undefined);
  const d = decodeHtml(bytes);
  assert.equal(d.how, 'detected');
  assert.equal(d.encoding, 'gb18030');
  assert.ok(d.text.includes(REPORT));
});

test('short undeclared non-UTF-8 input falls back to GB18030, not a detector guess', () => {
  const bytes = iconv.encode('<p>总体情况</p>', 'gbk'); // 8 non-ASCII bytes: chardet would guess anything
  const d = decodeHtml(bytes);
  assert.equal(d.encoding, 'gb18030');
  assert.equal(d.text, '<p>总体情况</p>');
});

test('undeclared UTF-8 is read as UTF-8', () => {
  const d = decodeHtml(Buffer.from(page('', `<p>${REPORT}</p>`), 'utf8'));
  assert.equal(d.encoding, 'utf-8');
  assert.equal(d.how, 'utf-8');
  assert.ok(d.text.includes(REPORT));
});

test('BOMs win over declarations', () => {
  const html = page('<meta charset="gbk">', `<p>${REPORT}</p>`);
  const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(html, 'utf8')]);
  const d8 = decodeHtml(utf8);
  assert.deepEqual([d8.how, d8.encoding], ['bom', 'utf-8']);
  assert.ok(d8.text.startsWith('<!DOCTYPE'));
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(html, 'utf16le')]);
  const d16 = decodeHtml(utf16);
  assert.deepEqual([d16.how, d16.encoding], ['bom', 'utf-16le']);
  assert.ok(d16.text.includes(REPORT));
});

test('the HTTP charset is used before the meta', () => {
  const html = page('<meta charset="utf-8">', `<p>${REPORT}</p>`);
  const d = decodeHtml(iconv.encode(html, 'gbk'), 'GBK');
  assert.deepEqual([d.how, d.encoding], ['http', 'gb18030']);
  assert.ok(d.text.includes(REPORT));
});

test('a declared utf-8 contradicted by GBK bytes is decoded as GB18030 and says so', () => {
  const d = decodeHtml(iconv.encode(page('<meta charset="utf-8">', `<p>${REPORT}</p>`), 'gbk'));
  assert.equal(d.encoding, 'gb18030');
  assert.match(d.note ?? '', /contradicts/);
  assert.ok(d.text.includes(REPORT));
});

test('a declared gbk contradicted by valid UTF-8 bytes is decoded as UTF-8', () => {
  const d = decodeHtml(Buffer.from(page('<meta charset="gb2312">', `<p>${REPORT}</p>`), 'utf8'));
  assert.equal(d.encoding, 'utf-8');
  assert.ok(d.text.includes(REPORT));
});

test('charset labels', () => {
  for (const l of ['gb2312', 'GBK', 'x-gbk', 'gb_2312-80', 'cp936', '"gb2312"']) assert.equal(normalizeCharset(l), 'gb18030');
  assert.equal(normalizeCharset('UTF8'), 'utf-8');
  assert.equal(normalizeCharset('no-such-charset'), undefined);
});
