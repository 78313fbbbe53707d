import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import JSZip from 'jszip';
import { readDocx } from '../src/extract/docx.ts';
import { formatNumber } from '../src/extract/docx/numbering.ts';
import { openZip, readPart } from '../src/extract/docx/zip.ts';
import type { DocumentModel, TableBlock } from '../src/extract/model.ts';
import { isDocumentError } from '../src/errors.ts';

const CORPUS = new URL('../../shared/corpus/', import.meta.url);
const haveCorpus = existsSync(new URL('README.md', CORPUS));
const squeeze = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');
const tables = (m: DocumentModel) => m.blocks.filter((b): b is TableBlock => b.kind === 'table');
const paragraphs = (m: DocumentModel) => m.blocks.flatMap((b) => (b.kind === 'paragraph' ? [b.text] : []));

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    assert.ok(isDocumentError(e), String(e));
    return e.code;
  }
}

// ---- the real WPS template ----

test('template-2021-wps.docx: the official tables, every number cell empty', async (t) => {
  if (!haveCorpus) return t.skip('../shared/corpus is absent');
  const m = await readDocx(readFileSync(new URL('template-2021-wps.docx', CORPUS)));
  assert.equal(m.format, 'docx');
  assert.equal(m.title, '政府信息公开工作年度报告格式模板');
  assert.equal(m.metadata.creator, '张幸瑾');
  assert.equal(m.metadata.modified, '2025-12-08T22:17:24Z');
  for (const h of ['一、总体情况', '二、主动公开政府信息情况', '三、收到和处理政府信息公开申请情况', '六、其他需要报告的事项']) {
    assert.ok(paragraphs(m).includes(h), h);
  }
  assert.equal(tables(m).length, 3);

  const t3 = tables(m).find((tb) => tb.grid.some((r) => r.some((c) => c.text.includes('本年新收'))));
  assert.ok(t3);
  const g = t3.grid;
  assert.equal(g.length, 28);
  assert.ok(g.every((r) => r.length === 10));
  // 3-row header: 申请人情况 over the 7 number columns, 自然人 and 总计 over 2 rows, the note over 3 rows
  assert.equal(g[0][3].text, '申请人情况');
  assert.equal(g[0][3].colSpan, 7);
  assert.ok(g[0].slice(4).every((c) => c.merged && c.text === '申请人情况'));
  assert.equal(g[1][3].text, '自然人');
  assert.equal(g[1][3].rowSpan, 2);
  assert.ok(g[2][3].merged && g[2][3].text === '自然人');
  assert.equal(g[1][9].rowSpan, 2);
  assert.equal(g[0][0].rowSpan, 3);
  assert.equal(g[0][0].colSpan, 3);
  assert.equal(squeeze(g[2][4].text), '商业企业');
  const data = g.slice(3);
  assert.equal(data.length, 25);
  assert.ok(squeeze(data[0][0].text).startsWith('一、本年新收'));
  assert.equal(data[2][0].text, '三、本年度办理结果');
  assert.equal(data[2][0].rowSpan, 22);
  assert.ok(data.slice(2, 24).every((r) => r[0].text === '三、本年度办理结果'));
  assert.equal(data[4][1].text, '(三)不予公开');
  assert.equal(data[4][1].rowSpan, 8);
  assert.equal(data[4][2].text, '1.属于国家秘密');
  assert.ok(squeeze(data[24][0].text).startsWith('四、结转下年度'));
  for (const r of data) assert.deepEqual(r.slice(3).map((c) => c.text), ['', '', '', '', '', '', '']);

  const t4 = tables(m).find((tb) => tb.grid.some((r) => r.some((c) => c.text === '复议后起诉')));
  assert.ok(t4);
  assert.equal(t4.grid.length, 4);
  assert.equal(t4.grid[0][5].colSpan, 10);
  assert.deepEqual(t4.grid[3].map((c) => c.text), new Array(15).fill(''));
  assert.ok(t4.grid[2].slice(0, 5).every((c) => c.merged), '复议 headers merged over 2 rows');
});

// ---- a DOCX built here ----

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml"';
const p = (text: string, pPr = '') => `<w:p>${pPr ? `<w:pPr>${pPr}</w:pPr>` : ''}<w:r><w:t xml:space="preserve">${text}</w:t></w:r></w:p>`;
const num = (id: number, lvl = 0) => `<w:numPr><w:ilvl w:val="${lvl}"/><w:numId w:val="${id}"/></w:numPr>`;
const tc = (inner: string, tcPr = '') => `<w:tc>${tcPr ? `<w:tcPr>${tcPr}</w:tcPr>` : ''}${inner || '<w:p/>'}</w:tc>`;

const DOCUMENT = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document ${W}><w:body>
${p('某某局2023年政府信息公开工作年度报告')}
${p('总体情况', num(1))}
${p('主动公开', num(1, 1))}
${p('依申请公开', num(1, 1))}
${p('收到和处理政府信息公开申请情况', num(1))}
${p('本年新收', num(1, 1))}
${p('行政复议情况', '<w:pStyle w:val="H1"/>')}
<w:p><w:r><w:t>甲</w:t></w:r><w:r><w:tab/><w:t>乙</w:t><w:br/><w:t>丙</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r><w:ins><w:r><w:t>插入</w:t></w:r></w:ins><w:del><w:r><w:delText>删除</w:delText></w:r></w:del><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>
<w:sdt><w:sdtPr/><w:sdtContent>${p('内容控件中的段落')}</w:sdtContent></w:sdt>
<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>${p('文本框')}</w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent>${p('文本框')}</w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>
<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>
<w:tr>${tc(p('项目'), '<w:gridSpan w:val="2"/><w:vMerge w:val="restart"/>')}${tc(p('申请人'), '<w:gridSpan w:val="2"/>')}</w:tr>
<w:tr>${tc('', '<w:gridSpan w:val="2"/><w:vMerge/>')}${tc(p('自然人'))}${tc(p('总计'))}</w:tr>
<w:tr>${tc(p('三、办理结果'), '<w:vMerge w:val="restart"/>')}${tc(p('属于国家秘密', num(2)))}${tc(p('1'))}${tc(p('1'))}</w:tr>
<w:tr>${tc('', '<w:vMerge w:val="continue"/>')}${tc(p('重复申请', num(2)))}${tc(p('2'))}${tc(p('2'))}</w:tr>
<w:tr><w:trPr><w:del w:id="9" w:author="审核人"/></w:trPr>${tc(p('已删除的行'))}${tc(p('9'))}${tc(p('9'))}${tc(p('9'))}</w:tr>
<w:tr><w:trPr><w:gridBefore w:val="1"/><w:gridAfter w:val="1"/></w:trPr>${tc(p('前空'))}${tc(p('3'))}</w:tr>
<w:tr>${tc(`${p('外层')}<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid><w:tr>${tc(p('内A'))}${tc(p('内B'))}</w:tr></w:tbl>`, '<w:gridSpan w:val="4"/>')}</w:tr>
</w:tbl>
${p('结束', num(1))}
${p('另起编号', num(3))}
<w:p><w:r><w:t xml:space="preserve">A&amp;B &lt;1&gt; </w:t></w:r><w:r><w:rPr><w:rFonts w:ascii="a>b"/></w:rPr><w:t>尾</w:t></w:r></w:p>
<w:sectPr/></w:body></w:document>`;

const NUMBERING = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering ${W}>
<w:abstractNum w:abstractNumId="0">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="1">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>
</w:numbering>`;

const STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles ${W}><w:style w:type="paragraph" w:styleId="H1"><w:name w:val="heading 1"/><w:pPr>${num(1)}</w:pPr></w:style></w:styles>`;

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`;
const RELS = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`;
const CORE = `<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"><dc:title>Microsoft Word - 某某局年报.doc</dc:title><dc:creator>办公室</dc:creator><dcterms:created>2024-01-10T08:00:00Z</dcterms:created></cp:coreProperties>`;

async function buildDocx(parts: Record<string, string | Uint8Array>): Promise<Uint8Array> {
  const zip = new JSZip();
  for (const [name, data] of Object.entries(parts)) zip.file(name, data);
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}
const WORD = { '[Content_Types].xml': CONTENT_TYPES, '_rels/.rels': RELS, 'word/document.xml': DOCUMENT, 'word/numbering.xml': NUMBERING, 'word/styles.xml': STYLES, 'docProps/core.xml': CORE };

test('generated DOCX: numbering, runs, tracked changes, text boxes, merged cells', async () => {
  const m = await readDocx(await buildDocx(WORD));
  assert.equal(m.title, '某某局年报');
  assert.equal(m.metadata.creator, '办公室');
  assert.deepEqual(paragraphs(m), [
    '某某局2023年政府信息公开工作年度报告',
    '一、总体情况',
    '(一)主动公开',
    '(二)依申请公开',
    '二、收到和处理政府信息公开申请情况',
    '(一)本年新收', // level 1 restarts after a level-0 item
    '三、行政复议情况', // numbering given by the paragraph style
    '甲 乙\n丙插入7',
    '内容控件中的段落',
    '文本框', // once, though both alternate branches hold it
    '四、结束',
    '五、另起编号', // a num instance with w:startOverride counts on its own
    'A&B <1> 尾',
  ]);
  const [tb] = tables(m);
  assert.deepEqual(tb.grid.map((r) => r.map((c) => c.text)), [
    ['项目', '项目', '申请人', '申请人'],
    ['项目', '项目', '自然人', '总计'],
    ['三、办理结果', '1.属于国家秘密', '1', '1'],
    ['三、办理结果', '2.重复申请', '2', '2'],
    ['', '前空', '3', ''],
    ['外层\n内A 内B', '外层\n内A 内B', '外层\n内A 内B', '外层\n内A 内B'],
  ]);
  assert.equal(tb.grid[0][0].rowSpan, 2);
  assert.equal(tb.grid[0][0].colSpan, 2);
  assert.equal(tb.grid[2][0].rowSpan, 2);
  assert.ok(tb.grid[3][0].merged);
  assert.equal(tb.grid[4][0].merged, false);
});

test('number formats', () => {
  assert.deepEqual([1, 2, 10, 11, 20, 21, 99, 105].map((n) => formatNumber(n, 'chineseCounting')), ['一', '二', '十', '十一', '二十', '二十一', '九十九', '一百零五']);
  assert.equal(formatNumber(3, 'ideographTraditional'), '丙');
  assert.equal(formatNumber(3, 'decimalEnclosedCircle'), '③');
  assert.equal(formatNumber(12, 'decimal'), '12');
  assert.equal(formatNumber(4, 'upperRoman'), 'IV');
});

test('errors: not a Word zip, cut in half, zip bomb, legacy and encrypted CFB, random, empty', async () => {
  const notWord = await buildDocx({ 'hello.txt': 'hello' });
  const e1 = await readDocx(notWord).catch((e) => e);
  assert.equal(e1.code, 'unsupported-format');
  assert.match(e1.message, /not a Word document/);

  const full = await buildDocx({ ...WORD, 'word/media/filler.bin': Uint8Array.from({ length: 50000 }, (_, i) => (i * 7919) & 0xff) });
  const started = Date.now();
  assert.ok(['truncated', 'corrupt'].includes(await code(readDocx(full.subarray(0, full.length >> 1)))));
  assert.ok(Date.now() - started < 5000, 'no hang');

  const bomb = await buildDocx({ ...WORD, 'word/document.xml': ' '.repeat(3 << 20) });
  const zip = await openZip(bomb, '');
  const e2 = await readPart(zip, 'word/document.xml', '', 1 << 20).catch((e) => e);
  assert.equal(e2.code, 'corrupt');
  assert.match(e2.message, /zip bomb/);

  const cfb = new Uint8Array(1024);
  cfb.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
  const e3 = await readDocx(cfb).catch((e) => e);
  assert.equal(e3.code, 'unsupported-format');
  assert.match(e3.message, /soffice --headless --convert-to docx/);
  cfb.set(Buffer.from('EncryptedPackage', 'utf16le'), 600);
  assert.equal(await code(readDocx(cfb)), 'encrypted');

  let seed = 11;
  const random = Uint8Array.from({ length: 2048 }, () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff);
  assert.equal(await code(readDocx(random)), 'unsupported-format');
  assert.equal(await code(readDocx(new Uint8Array(0))), 'empty');
});
