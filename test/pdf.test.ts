import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readPdf } from '../src/extract/pdf.ts';
import { isDocumentError } from '../src/errors.ts';
import type { Cell, DocumentModel, ParagraphBlock, TableBlock } from '../src/extract/model.ts';
import { handMadePdf } from './helpers/hand-made-pdf.ts';

const CORPUS = fileURLToPath(new URL('../../shared/corpus/', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../fixtures/pdf/', import.meta.url));
const HUAIAN = `${CORPUS}huaian-2024.pdf`;
const HUAIAN_TRUTH = `${CORPUS}huaian-2024.truth.json`;
const haveCorpus = existsSync(HUAIAN) && existsSync(HUAIAN_TRUTH);

/** How the tests compare text: NFKC, no whitespace at all. */
const squash = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');

const tables = (m: DocumentModel) => m.blocks.filter((b): b is TableBlock => b.kind === 'table');
const paragraphs = (m: DocumentModel) => m.blocks.filter((b): b is ParagraphBlock => b.kind === 'paragraph');
const cells = (t: TableBlock) => t.grid.flat();
const findTable = (m: DocumentModel, text: string) => tables(m).filter((t) => cells(t).some((c) => squash(c.text).includes(text)));

let huaianModel: Promise<DocumentModel> | undefined;
function huaian(): Promise<DocumentModel> {
  huaianModel ??= readPdf(new Uint8Array(readFileSync(HUAIAN)), { name: 'huaian-2024.pdf' });
  return huaianModel;
}

type Counts = Record<string, number>;
const COLUMNS = ['naturalPerson', 'commercial', 'research', 'nonprofit', 'legalService', 'otherOrg', 'total'];

/** The truth's 25 rows of 表三 in table order, each with the labels its row must show. */
function requestRows(truth: { requests: Record<string, Counts | Record<string, Counts>> }): { labels: string[]; values: number[] }[] {
  const r = truth.requests as Record<string, any>;
  const row = (counts: Counts, ...labels: string[]) => ({ labels, values: COLUMNS.map((k) => counts[k]) });
  const group = (key: string, groupLabel: string, items: [string, string][]) =>
    items.map(([k, label]) => row(r[key][k], '本年度办理结果', groupLabel, label));
  return [
    row(r.received, '一、本年新收政府信息公开申请数量'),
    row(r.carriedOver, '二、上年结转政府信息公开申请数量'),
    row(r.granted, '本年度办理结果', '（一）予以公开'),
    row(r.partiallyGranted, '本年度办理结果', '（二）部分公开'),
    ...group('withheld', '（三）不予公开', [
      ['stateSecret', '1.属于国家秘密'],
      ['lawProhibited', '2.其他法律行政法规禁止公开'],
      ['securityStability', '3.危及“三安全一稳定”'],
      ['thirdPartyRights', '4.保护第三方合法权益'],
      ['internalAffairs', '5.属于三类内部事务信息'],
      ['processInfo', '6.属于四类过程性信息'],
      ['enforcementFile', '7.属于行政执法案卷'],
      ['queryMatter', '8.属于行政查询事项'],
    ]),
    ...group('unavailable', '（四）无法提供', [
      ['notHeld', '1.本机关不掌握相关政府信息'],
      ['needsCreation', '2.没有现成信息需要另行制作'],
      ['unclear', '3.补正后申请内容仍不明确'],
    ]),
    ...group('rejected', '（五）不予处理', [
      ['complaint', '1.信访举报投诉类申请'],
      ['repeated', '2.重复申请'],
      ['publication', '3.要求提供公开出版物'],
      ['excessive', '4.无正当理由大量反复申请'],
      ['confirmation', '5.要求行政机关确认或重新出具已获取信息'],
    ]),
    ...group('otherHandling', '（六）其他处理', [
      ['overdueCorrection', '1、申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请'],
      ['overdueFee', '2、申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请'],
      ['other', '3、其他'],
    ]),
    row(r.resultsTotal, '本年度办理结果', '（七）总计'),
    row(r.carriedForward, '四、结转下年度继续办理'),
  ];
}

test('huaian-2024: 表三 is one table over pages 4-5 holding every requests.* number of the truth', async (t) => {
  if (!haveCorpus) return t.skip('../shared/corpus is absent');
  const model = await huaian();
  const truth = JSON.parse(readFileSync(HUAIAN_TRUTH, 'utf8'));
  const found = findTable(model, '本年新收');
  assert.equal(found.length, 1, 'exactly one table holds 本年新收');
  const table = found[0];
  assert.deepEqual(table.pages, [4, 5]);
  const width = table.grid[0].length;
  assert.equal(width, 10, '3 label columns + 7 number columns');

  const start = table.grid.findIndex((row) => row.some((c) => squash(c.text).includes('本年新收')));
  const dataRows = table.grid.slice(start);
  const expected = requestRows(truth);
  assert.equal(dataRows.length, expected.length, 'one grid row per truth row, nothing after 结转下年度');
  expected.forEach((exp, i) => {
    const row = dataRows[i];
    const numbers = row.slice(width - 7).map((c) => Number(c.text));
    assert.deepEqual(numbers, exp.values, `row ${i} (${exp.labels.at(-1)}) numbers`);
    const labelText = row.slice(0, width - 7).map((c: Cell) => squash(c.text)).join('|');
    for (const label of exp.labels) {
      assert.ok(labelText.includes(squash(label)), `row ${i}: label slots "${labelText}" lack ${label}`);
    }
  });
  // The wrapped group label is one merged cell across the page break, owned on page 4.
  const needsCreation = dataRows[13];
  const group = needsCreation.find((c) => squash(c.text).includes('无法提供'))!;
  assert.ok(group.merged, 'the （四） slot of 2.没有现成信息 is part of a merge');
  assert.equal(group.page, 4);
  assert.equal(group.raw.split('\n').length, 2, 'two lines: （四）无 / 法提供');
});

test('huaian-2024: 表二 is one table over pages 3-4 with its values on the right labels', async (t) => {
  if (!haveCorpus) return t.skip('../shared/corpus is absent');
  const model = await huaian();
  const found = findTable(model, '行政规范性文件');
  assert.equal(found.length, 1);
  const table = found[0];
  assert.deepEqual(table.pages, [3, 4]);
  const rowOf = (label: string) => {
    const rows = table.grid.filter((row) => squash(row[0].text) === label);
    assert.equal(rows.length, 1, `one row labelled ${label}`);
    return rows[0].slice(1).filter((c) => !c.merged).map((c) => c.text);
  };
  assert.deepEqual(rowOf('规章'), ['1', '0', '11']);
  assert.deepEqual(rowOf('行政规范性文件'), ['8', '26', '66']);
  assert.deepEqual(rowOf('行政许可'), ['447228']);
  assert.deepEqual(rowOf('行政处罚'), ['3985758']);
  assert.deepEqual(rowOf('行政强制'), ['88283']);
  assert.deepEqual(rowOf('行政事业性收费'), ['96171.6']);
  // Caption rows of the four blocks, the one before the break included, all in this table.
  const captions = table.grid.filter((row) => squash(row[0].text).startsWith('第二十条')).map((row) => squash(row[0].text));
  assert.deepEqual(captions, ['第二十条第(一)项', '第二十条第(五)项', '第二十条第(六)项', '第二十条第(八)项']);
});

test('huaian-2024: 表四 holds its 15 numbers in order', async (t) => {
  if (!haveCorpus) return t.skip('../shared/corpus is absent');
  const model = await huaian();
  const truth = JSON.parse(readFileSync(HUAIAN_TRUTH, 'utf8'));
  const found = findTable(model, '复议后起诉');
  assert.equal(found.length, 1);
  const table = found[0];
  assert.equal(table.grid[0].length, 15);
  const rl = truth.reviewLitigation;
  const expected = ['review', 'suitDirect', 'suitAfterReview'].flatMap((k) =>
    ['upheld', 'corrected', 'other', 'pending', 'total'].map((f) => rl[k][f]),
  );
  assert.deepEqual(table.grid.at(-1)!.map((c) => Number(c.text)), expected);
  assert.deepEqual(table.pages, [5]);
});

test('huaian-2024: paragraphs, page furniture, order, pages and metadata', async (t) => {
  if (!haveCorpus) return t.skip('../shared/corpus is absent');
  const model = await huaian();
  assert.equal(model.format, 'pdf');
  assert.equal(model.pageCount, 6);
  assert.equal(model.title, '政府信息公开工作年度报告');
  assert.equal(model.metadata.Author, '王守强');
  assert.match(model.metadata.Creator ?? '', /WPS/);
  assert.match(model.metadata.CreationDate ?? '', /^D:2025/);

  const paras = paragraphs(model);
  const allText = [...paras.map((p) => p.text), ...tables(model).flatMap((t) => cells(t).map((c) => c.text))];
  for (const text of allText) {
    assert.ok(!/[-—–]\s*\d+\s*[-—–]/.test(text), `page number left in ${JSON.stringify(text.slice(0, 40))}`);
  }
  for (const p of paras) assert.ok(!/^\d{1,3}$/.test(squash(p.text)), `bare page number paragraph ${p.text}`);

  assert.ok(
    paras.some((p) => squash(p.text).includes('全市共受理政府信息公开申请3119件')),
    'the wrapped narrative count is one contiguous string',
  );
  // The paragraph that continues from page 1 to page 2 is one block.
  assert.ok(paras.some((p) => squash(p.text).includes('“建设‘四最’一流营商环境高质量推进产业发展”')));

  const headingAt = model.blocks.findIndex((b) => b.kind === 'paragraph' && squash(b.text) === '三、收到和处理政府信息公开申请情况');
  const table3At = model.blocks.findIndex((b) => b.kind === 'table' && cells(b).some((c) => c.text.includes('本年新收')));
  assert.ok(headingAt >= 0 && table3At >= 0);
  assert.equal(headingAt + 1, table3At, 'the section heading comes right before 表三');

  for (const table of tables(model)) {
    for (const c of cells(table)) assert.ok(typeof c.page === 'number' && c.page >= 1 && c.page <= 6, 'every cell has a page');
    assert.ok(table.pages && table.pages.length > 0);
  }
  for (const p of paras) assert.ok(typeof p.page === 'number');
  for (const text of allText) assert.ok(!/[\u2e80-\u2fdf]/.test(text), `Kangxi radical left in ${text}`);
  assert.deepEqual(tables(model).map((t) => t.index), [0, 1, 2]);
});

test('huaian-2024: header words keep their inner spaces, CJK runs get none added', async (t) => {
  if (!haveCorpus) return t.skip('../shared/corpus is absent');
  const model = await huaian();
  const [table3] = findTable(model, '本年新收');
  const headers = cells(table3).map((c) => c.text);
  assert.ok(headers.includes('商 业 企\n业'), 'WPS spreads 商业企业 with spaces; they stay');
  assert.ok(paragraphs(model).some((p) => p.text.includes('2024年,市政府网站主动公开各类政府信息5500余条')));
});

test('LibreOffice table broken over pages with "- N -" footers: one table, vertical merge continued', async () => {
  const model = await readPdf(new Uint8Array(readFileSync(`${FIXTURES}ruled-break-footer.pdf`)));
  const [table, ...others] = tables(model);
  assert.equal(others.length, 0);
  assert.ok((table.pages ?? []).length >= 2, `table spans pages, got ${table.pages}`);
  assert.equal(table.grid.length, 41);
  for (let i = 1; i <= 40; i++) {
    const row = table.grid[i];
    assert.equal(squash(row[0].text), '办理结果', `row ${i} sits under the merged label`);
    assert.deepEqual(row.slice(1).map((c) => squash(c.text)), [`${i}.事项${i}`, String(i), String(2 * i), String(3 * i)]);
  }
  assert.equal(table.grid[1][0].rowSpan, 40, 'the label merge is continued across the page break');
  const paras = paragraphs(model);
  for (const p of paras) assert.ok(!/^-\d+-$/.test(squash(p.text)), `footer ${p.text} kept`);
  const prose = paras.filter((p) => p.text.startsWith('本机关'));
  assert.equal(prose.length, 9, 'eight long paragraphs and one closing one, none split by a page break');
  // Each long paragraph is the script's 85-character sentence twice.
  for (const p of prose.slice(0, 8)) assert.equal(squash(p.text).length, 2 * 85);
});

test('landscape page table and a table without ruling lines', async () => {
  // A Node Buffer straight from fs, which pdf.js alone would refuse, and which must stay usable.
  const bytes = readFileSync(`${FIXTURES}landscape-borderless.pdf`);
  const model = await readPdf(bytes);
  assert.equal(bytes[0], 0x25, 'the caller\'s bytes are not detached');
  const [wide, bare, ...others] = tables(model);
  assert.equal(others.length, 0);
  assert.deepEqual(wide.pages, [2]);
  assert.equal(wide.grid.length, 5);
  assert.equal(wide.grid[0].length, 12);
  assert.deepEqual(wide.grid[3].map((c) => c.text), ['单位3', ...Array.from({ length: 11 }, (_, k) => String(300 + k))]);

  assert.deepEqual(bare.pages, [3]);
  assert.deepEqual(
    bare.grid.map((row) => row.map((c) => c.text)),
    [
      ['信息内容', '本年新增', '本年废止', '现行有效'],
      ['规章', '10', '20', '300'],
      ['行政规范性文件', '11', '21', '301'],
      ['行政许可', '12', '22', '302'],
      ['行政处罚', '13', '23', '303'],
      ['行政强制', '14', '24', '304'],
    ],
  );
  for (const c of [...cells(wide), ...cells(bare)]) assert.ok(c.page === 2 || c.page === 3);
  const order = model.blocks.map((b) => (b.kind === 'table' ? 'T' : squash(b.text).slice(0, 4)));
  assert.deepEqual(order.slice(order.indexOf('三、无框') ), ['三、无框', '本机关坚', 'T', '以上数据']);
});

test('double-line borders (LibreOffice via DOCX): 表二-like blocks are one table; a table over the page edge keeps its visible columns', async () => {
  const model = await readPdf(new Uint8Array(readFileSync(`${FIXTURES}double-frame-overflow.pdf`)));
  const [blocks, wide, ...others] = tables(model);
  assert.equal(others.length, 0);
  // Inner borders stop ~1.2pt short of the middle of the doubled frame: they still meet it.
  assert.deepEqual(
    blocks.grid.map((row) => row.map((c) => c.text)),
    [
      ['第二十条第(一)项', '第二十条第(一)项', '第二十条第(一)项', '第二十条第(一)项'],
      ['信息内容', '本年制发件数', '本年废止件数', '现行有效件数'],
      ['规章', '3', '1', '27'],
      ['行政规范性文件', '15', '4', '112'],
      ['第二十条第(五)项', '第二十条第(五)项', '第二十条第(五)项', '第二十条第(五)项'],
      ['信息内容', '本年处理决定数量', '本年处理决定数量', '本年处理决定数量'],
      ['行政许可', '2051', '2051', '2051'],
      ['第二十条第(八)项', '第二十条第(八)项', '第二十条第(八)项', '第二十条第(八)项'],
      ['信息内容', '上年金额', '本年收费金额(万元)', '本年收费金额(万元)'],
      ['行政事业性收费', '7.5', '6.25', '6.25'],
    ],
  );
  assert.equal(blocks.grid[0][0].colSpan, 4);
  assert.equal(blocks.grid[8][2].colSpan, 2);
  // The wide table: columns up to 列8 are on the page, the cut-off last one is empty.
  assert.equal(wide.grid.length, 2);
  assert.deepEqual(wide.grid[0].slice(0, 9).map((c) => c.text), ['复议结果', ...Array.from({ length: 8 }, (_, k) => `列${k + 1}`)]);
  assert.deepEqual(wide.grid[1].slice(0, 9).map((c) => c.text), ['本年数量', ...Array.from({ length: 8 }, (_, k) => String(11 * (k + 1)))]);
  for (const c of cells(wide).slice(9)) assert.ok(!/列9|99/.test(c.text), `off-page text ${c.text} read`);
  assert.ok(!paragraphs(model).some((p) => /列9|99/.test(p.text)), 'nothing off the page comes out as a paragraph');
});

// ---- hand-made PDFs ----

const text = (x: number, y: number, s: string, size = 11) => `BT /F1 ${size} Tf ${x} ${y} Td (${s}) Tj ET`;

async function rejects(bytes: Uint8Array, codes: string[]): Promise<string> {
  let caught: unknown;
  try {
    await readPdf(bytes);
  } catch (e) {
    caught = e;
  }
  assert.ok(isDocumentError(caught), `expected a DocumentError, got ${caught}`);
  assert.ok(codes.includes(caught.code), `code ${caught.code} not in ${codes}`);
  return caught.code;
}

test('hand-made PDF: a page that only paints a rectangle is scanned-pdf', async () => {
  const bytes = handMadePdf(['0.5 g 50 50 495 742 re f', '0 g 100 100 200 300 re f']);
  await rejects(bytes, ['scanned-pdf']);
});

test('hand-made PDF: pages that only paint an image (a scan) are scanned-pdf', async () => {
  const side = 64;
  const pixels = Array.from({ length: side * side }, (_, i) => String.fromCharCode((i * 7) & 0xff)).join('');
  const image = `<< /Type /XObject /Subtype /Image /Width ${side} /Height ${side} /ColorSpace /DeviceGray /BitsPerComponent 8 /Length ${pixels.length} >>\nstream\n${pixels}\nendstream`;
  const scan = 'q 595 0 0 842 0 0 cm /Im1 Do Q';
  await rejects(handMadePdf([scan, scan], { objects: [image], xobjects: '/XObject << /Im1 8 0 R >>' }), ['scanned-pdf']);
});

test('hand-made PDF: pages with only page numbers are scanned-pdf', async () => {
  const bytes = handMadePdf([text(290, 30, '- 1 -'), text(290, 30, '- 2 -'), text(290, 30, '3')]);
  await rejects(bytes, ['scanned-pdf']);
});

test('hand-made PDF: a text cover page over image-only pages is scanned-pdf', async () => {
  const cover = text(72, 700, 'Government information disclosure annual report 2024', 18);
  await rejects(handMadePdf([cover, '0.5 g 50 50 495 742 re f', '0.5 g 50 50 495 742 re f']), ['scanned-pdf']);
});

test('hand-made PDF: Info title is used unless it is a file name; Info fields are metadata', async () => {
  const utf16 = (s: string) => `<FEFF${Buffer.from(s, 'utf16le').swap16().toString('hex')}>`;
  const page = text(72, 700, 'Annual report on government information disclosure');
  const read = (title: string) =>
    readPdf(
      handMadePdf([page], {
        objects: [`<< /Title ${title} /Author (Office) /Producer (hand) /CreationDate (D:20250101000000+08'00') >>`],
        trailer: '/Info 6 0 R',
      }),
    );
  const named = await read(utf16('淮安市2024年政府信息公开工作年度报告'));
  assert.equal(named.title, '淮安市2024年政府信息公开工作年度报告');
  assert.equal(named.metadata.Author, 'Office');
  assert.equal(named.metadata.CreationDate, "D:20250101000000+08'00'");
  const fileName = await read('(Microsoft Word - 2024 report.docx)');
  assert.equal(fileName.title, undefined);
  assert.equal(fileName.metadata.Title, 'Microsoft Word - 2024 report.docx');
});

test('hand-made PDF: the same page with text is read (the scanned check is not a blanket)', async () => {
  const bytes = handMadePdf([`0.5 g 50 50 495 742 re f 0 g ${text(72, 700, 'Annual report on government information disclosure')}`]);
  const model = await readPdf(bytes);
  assert.deepEqual(paragraphs(model).map((p) => p.text), ['Annual report on government information disclosure']);
  assert.equal(model.title, undefined);
});

test('hand-made PDF: a framed paragraph is not a table; a ruled grid beside it is, without text around it', async () => {
  const frame = '0 G 0.8 w 60 560 475 220 re S';
  const prose = [740, 724, 708, 692].map((y, i) => text(72, y, `Line ${i + 1} of a boxed note that runs across the whole frame width, as prose does.`, 10)).join(' ');
  // A 3x2 ruled grid with no contact with the frame, and a paragraph under it with its own underline.
  const grid = [
    '72 400 m 372 400 l S', '72 380 m 372 380 l S', '72 360 m 372 360 l S', '72 340 m 372 340 l S',
    '72 340 m 72 400 l S', '222 340 m 222 400 l S', '372 340 m 372 400 l S',
  ].join(' ');
  const gridText = [text(80, 386, 'Item'), text(230, 386, 'Count'), text(80, 366, 'Received'), text(230, 366, '3119'), text(80, 346, 'Answered'), text(230, 346, '3050')].join(' ');
  const after = `${text(72, 300, 'Closing remark below the table.')} 72 296 m 240 296 l S`;
  // A diagonal watermark across the grid belongs to no cell.
  const watermark = 'BT /F1 20 Tf 0.7071 0.7071 -0.7071 0.7071 180 345 Tm (DRAFT COPY) Tj ET';
  const model = await readPdf(handMadePdf([`${frame} ${prose} ${grid} ${gridText} ${after} ${watermark}`]));
  const found = tables(model);
  assert.equal(found.length, 1, 'only the grid is a table');
  assert.deepEqual(found[0].grid.map((row) => row.map((c) => c.text)), [['Item', 'Count'], ['Received', '3119'], ['Answered', '3050']]);
  const texts = paragraphs(model).map((p) => p.text);
  assert.ok(texts.some((t) => t.startsWith('Line 1 of a boxed note')), 'boxed prose comes out as paragraphs');
  assert.ok(texts.includes('Closing remark below the table.'));
  assert.deepEqual(model.blocks.map((b) => b.kind), ['paragraph', 'table', 'paragraph']);
});

test('hand-made PDF: borders drawn as thin filled rectangles (Chromium/Skia style) make a table', async () => {
  const bar = (x: number, y: number, w: number, h: number) => `${x} ${y} ${w} ${h} re f`;
  const borders = [
    bar(72, 400, 300, 0.75), bar(72, 380, 300, 0.75), bar(72, 360, 300, 0.75),
    bar(72, 360, 0.75, 40.75), bar(222, 380, 0.75, 20.75), bar(371.25, 360, 0.75, 40.75),
  ].join(' ');
  // Row 2 has no middle border: its cell spans both columns.
  const body = [text(80, 386, 'Received'), text(230, 386, '12'), text(80, 366, 'A note spanning both columns')].join(' ');
  const model = await readPdf(handMadePdf([`0 g ${borders} ${body}`]));
  const [table] = tables(model);
  assert.ok(table, 'a table is found');
  assert.deepEqual(table.grid.map((row) => row.map((c) => c.text)), [['Received', '12'], ['A note spanning both columns', 'A note spanning both columns']]);
  assert.equal(table.grid[1][0].colSpan, 2);
  assert.equal(table.grid[1][1].merged, true);
});

const hline = (y: number, x0: number, x1: number) => `${x0} ${y} m ${x1} ${y} l S`;
const vline = (x: number, y0: number, y1: number) => `${x} ${y0} m ${x} ${y1} l S`;

test('hand-made PDF: ruling lines inside a form XObject, moved by its matrix and a cm, make a table', async () => {
  // The form draws its grid 100pt too high and 10pt too far left; /Matrix and cm bring it home.
  const form = [hline(500, 62, 362), hline(480, 62, 362), hline(460, 62, 362), vline(62, 460, 500), vline(212, 460, 500), vline(362, 460, 500)].join(' ');
  const formObject = `<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Matrix [1 0 0 1 0 -100] /Length ${form.length} >>\nstream\n${form}\nendstream`;
  const page = ['q 1 0 0 1 10 0 cm /Fm1 Do Q', text(80, 386, 'Received'), text(230, 386, '3119'), text(80, 366, 'Answered'), text(230, 366, '3050')].join(' ');
  const model = await readPdf(handMadePdf([page], { objects: [formObject], xobjects: '/XObject << /Fm1 6 0 R >>' }));
  const [table] = tables(model);
  assert.ok(table, 'a table is found');
  assert.deepEqual(table.grid.map((row) => row.map((c) => c.text)), [['Received', '3119'], ['Answered', '3050']]);
});

test('hand-made PDF: a page turned by /Rotate 90 reads in display orientation', async () => {
  // /Rotate 90 shows user-space (x, y) at display (X = y, Y = x): draw in display terms.
  const h = (Y: number, X0: number, X1: number) => `${Y} ${X0} m ${Y} ${X1} l S`;
  const v = (X: number, Y0: number, Y1: number) => `${Y0} ${X} m ${Y1} ${X} l S`;
  const t = (X: number, Y: number, s: string) => `BT /F1 10 Tf 0 1 -1 0 ${Y} ${X} Tm (${s}) Tj ET`;
  const content = [
    t(72, 60, 'Wide table on a turned page'),
    h(100, 72, 700), h(120, 72, 700), h(140, 72, 700),
    v(72, 100, 140), v(400, 100, 140), v(700, 100, 140),
    t(76, 114, 'Received'), t(404, 114, '3119'),
    t(76, 134, 'Answered'), t(404, 134, '3050'),
  ].join(' ');
  const model = await readPdf(handMadePdf([content], { rotate: 90 }));
  assert.deepEqual(model.blocks.map((b) => b.kind), ['paragraph', 'table']);
  assert.equal((model.blocks[0] as ParagraphBlock).text, 'Wide table on a turned page');
  assert.deepEqual((model.blocks[1] as TableBlock).grid.map((row) => row.map((c) => c.text)), [['Received', '3119'], ['Answered', '3050']]);
});

test('hand-made PDF: a table over three pages joins; a wrapped group label and a label-only last row come along', async () => {
  const page1 = [
    text(72, 760, 'Table 3 Requests by outcome'),
    hline(160, 72, 400), hline(140, 72, 400), hline(120, 150, 400), hline(100, 72, 400), hline(80, 72, 400),
    ...[72, 150, 300, 400].map((x) => vline(x, 80, 160)),
    text(76, 146, 'Group'), text(154, 146, 'Item'), text(304, 146, 'Count'),
    text(76, 126, '(1) Refused'), text(154, 126, 'a'), text(304, 126, '5'),
    text(154, 106, 'b'), text(304, 106, '6'),
    text(76, 86, '(2) Not'), text(154, 86, 'c'), text(304, 86, '7'),
    text(280, 30, '- 1 -'),
  ];
  const page2 = [
    text(280, 812, 'Annual report'), // a running header, on every page
    hline(800, 72, 400), hline(780, 150, 400), hline(760, 72, 400), hline(740, 72, 400),
    vline(72, 740, 800), vline(150, 760, 800), vline(300, 740, 800), vline(400, 740, 800),
    text(76, 786, 'held'), text(154, 786, 'd'), text(304, 786, '8'),
    text(154, 766, 'e'), text(304, 766, '9'),
    text(76, 746, 'Total'), text(304, 746, '35'),
    text(280, 30, '- 2 -'),
  ];
  const page3 = [
    text(280, 812, 'Annual report'),
    hline(800, 72, 400), hline(780, 72, 400),
    ...[72, 150, 300, 400].map((x) => vline(x, 780, 800)),
    text(76, 786, 'Carried forward'),
    text(72, 700, 'End of report.'),
    text(280, 30, '- 3 -'),
  ];
  page1.unshift(text(280, 812, 'Annual report'));
  const model = await readPdf(handMadePdf([page1.join(' '), page2.join(' '), page3.join(' ')]));
  const found = tables(model);
  assert.equal(found.length, 1, 'one table');
  assert.deepEqual(found[0].pages, [1, 2, 3]);
  assert.deepEqual(
    found[0].grid.map((row) => row.map((c) => c.text)),
    [
      ['Group', 'Item', 'Count'],
      ['(1) Refused', 'a', '5'],
      ['(1) Refused', 'b', '6'],
      ['(2) Not\nheld', 'c', '7'],
      ['(2) Not\nheld', 'd', '8'],
      ['(2) Not\nheld', 'e', '9'],
      ['Total', 'Total', '35'],
      ['Carried forward', '', ''],
    ],
  );
  assert.equal(found[0].grid[3][0].rowSpan, 3);
  assert.equal(found[0].grid[5][0].page, 1, 'the merged label is owned where it starts');
  assert.deepEqual(paragraphs(model).map((p) => p.text), ['Table 3 Requests by outcome', 'End of report.']);
});

test('hand-made PDF: a row cut by the page break becomes one row again', async () => {
  const cols = [72, 250, 320, 400];
  const page1 = [
    hline(200, 72, 400), hline(180, 72, 400), hline(140, 72, 400),
    ...cols.map((x) => vline(x, 140, 200)),
    text(76, 186, 'Received'), text(254, 186, '12'), text(324, 186, '12'),
    text(76, 146, 'Refused because the request'),
    text(280, 30, '- 1 -'),
  ];
  const page2 = [
    hline(800, 72, 400), hline(780, 72, 400), hline(760, 72, 400),
    ...cols.map((x) => vline(x, 760, 800)),
    text(76, 786, 'repeats an earlier one'), text(254, 786, '3'), text(324, 786, '3'),
    text(76, 766, 'Total'), text(254, 766, '15'), text(324, 766, '15'),
    text(280, 30, '- 2 -'),
  ];
  const model = await readPdf(handMadePdf([page1.join(' '), page2.join(' ')]));
  const [table] = tables(model);
  assert.deepEqual(
    table.grid.map((row) => row.map((c) => c.text)),
    [
      ['Received', '12', '12'],
      ['Refused because the request\nrepeats an earlier one', '3', '3'],
      ['Total', '15', '15'],
    ],
  );
});

test('errors: truncated huaian copy is truncated (or corrupt), never a hang or an empty model', async (t) => {
  if (!haveCorpus) return t.skip('../shared/corpus is absent');
  const full = new Uint8Array(readFileSync(HUAIAN));
  const started = Date.now();
  await rejects(full.slice(0, Math.floor(full.length * 0.4)), ['truncated', 'corrupt']);
  assert.ok(Date.now() - started < 10_000, 'fails fast');
});

test('errors: a hand-made PDF cut short is truncated', async () => {
  const bytes = handMadePdf([text(72, 700, 'Some text that would be read if the file were whole.')]);
  await rejects(bytes.slice(0, Math.floor(bytes.length * 0.6)), ['truncated']);
});

test('errors: random bytes are unsupported-format, zero bytes are empty', async () => {
  let seed = 42;
  const random = new Uint8Array(4096).map(() => (seed = (seed * 1103515245 + 12345) % 2 ** 31) & 0xff);
  await rejects(random, ['unsupported-format']);
  await rejects(new Uint8Array(0), ['empty']);
  await rejects(new TextEncoder().encode('PK\u0003\u0004 a zip, not a PDF'), ['unsupported-format']);
});

test('errors: a PDF with a broken body is corrupt', async () => {
  await rejects(new TextEncoder().encode(`%PDF-1.4\n${'garbage '.repeat(200)}\n%%EOF\n`), ['corrupt']);
});

test('errors: a password-protected PDF is encrypted', async () => {
  // A standard security handler whose /U does not match the empty user password: pdf.js asks for one.
  const hex = (seed: number) => Array.from({ length: 32 }, (_, i) => ((seed * (i + 7) * 31) & 0xff).toString(16).padStart(2, '0')).join('');
  const pages = [text(72, 700, 'Secret')];
  const encryptId = 4 + 2 * pages.length;
  const bytes = handMadePdf(pages, {
    objects: [`<< /Filter /Standard /V 1 /R 2 /O <${hex(3)}> /U <${hex(5)}> /P -44 >>`],
    trailer: `/Encrypt ${encryptId} 0 R /ID [<${hex(9).slice(0, 32)}> <${hex(9).slice(0, 32)}>]`,
  });
  await rejects(bytes, ['encrypted']);
});

test('hand-made PDF: double-line borders whose inner rules stop short of the frame\'s middle make one table', async () => {
  // Frame: two 0.25pt lines 0.5pt apart on every side; inner rules are doubled too and stop 1.2pt
  // in from the outer frame line (0.7pt past its inner line), as LibreOffice draws doubled borders.
  const frame = [
    '0.25 w', hline(500, 72, 372), hline(499.5, 72.5, 371.5), hline(440, 72, 372), hline(440.5, 72.5, 371.5),
    vline(72, 440, 500), vline(72.5, 440.5, 499.5), vline(372, 440, 500), vline(371.5, 440.5, 499.5),
  ];
  const inner = [
    hline(480.25, 73.2, 221.3), hline(479.75, 73.2, 221.3), hline(480.25, 222.7, 370.8), hline(479.75, 222.7, 370.8),
    hline(460.25, 73.2, 221.3), hline(459.75, 73.2, 221.3), hline(460.25, 222.7, 370.8), hline(459.75, 222.7, 370.8),
    vline(221.75, 441.2, 479.05), vline(222.25, 441.2, 479.05),
  ];
  const body = [text(150, 486, 'Caption'), text(80, 466, 'Received'), text(230, 466, '3119'), text(80, 446, 'Answered'), text(230, 446, '3050')].join(' ');
  const model = await readPdf(handMadePdf([`0 G ${[...frame, ...inner].join(' ')} ${body}`]));
  const [table, ...others] = tables(model);
  assert.equal(others.length, 0);
  assert.deepEqual(table.grid.map((row) => row.map((c) => c.text)), [['Caption', 'Caption'], ['Received', '3119'], ['Answered', '3050']]);
});

test('hand-made PDF: an underline inset in its cell still does not split the cell', async () => {
  const grid = [hline(500, 72, 372), hline(480, 72, 372), hline(460, 72, 372), vline(72, 460, 500), vline(222, 460, 500), vline(372, 460, 500)];
  // An underline under the text of cell (1,0), 1.5pt in from both cell sides.
  const underline = hline(470, 73.5, 220.5);
  const body = [text(80, 486, 'Item'), text(230, 486, 'Count'), text(80, 472, 'Underlined'), text(80, 462, 'label'), text(230, 466, '7')].join(' ');
  const model = await readPdf(handMadePdf([`0 G 0.5 w ${grid.join(' ')} ${underline} ${body}`]));
  const [table] = tables(model);
  assert.deepEqual(table.grid.map((row) => row.map((c) => c.text)), [['Item', 'Count'], ['Underlined\nlabel', '7']]);
});

test('hand-made PDF: text beyond the page edge is not read; a run cut by the edge keeps its visible characters', async () => {
  // A 3-column grid whose last column lies wholly past the right edge (x > 595), as a table that
  // overflows the page; the middle cell's text runs over the edge.
  const grid = [hline(500, 400, 700), hline(480, 400, 700), hline(460, 400, 700), vline(400, 460, 500), vline(500, 460, 500), vline(600, 460, 500), vline(700, 460, 500)];
  // Courier-free core font at 10pt: each digit is ~5.6pt wide; 'ABCDEFGHIJ' from 560 crosses 595.
  const body = [
    text(405, 486, 'Item'), text(505, 486, 'Count'), text(605, 486, 'Hidden'),
    text(405, 466, 'Received'), text(560, 466, 'ABCDEFGHIJ', 10), text(605, 466, '999'),
    text(620, 700, 'Off the page entirely.'),
  ].join(' ');
  const model = await readPdf(handMadePdf([`0 G 0.5 w ${grid.join(' ')} ${body} ${text(72, 760, 'A heading on the page.')}`]));
  const all = [...paragraphs(model).map((p) => p.text), ...tables(model).flatMap((t) => cells(t).map((c) => c.text))].join('|');
  assert.ok(!all.includes('Hidden') && !all.includes('999') && !all.includes('Off the page'), `hidden text read: ${all}`);
  assert.ok(all.includes('Received') && all.includes('Count') && all.includes('A heading on the page.'));
  const cut = all.match(/ABC[A-J]*/)?.[0] ?? '';
  assert.ok(cut.length >= 3 && cut.length < 10, `the run is cut at the edge, got ${cut}`);
  assert.ok(model.notes.some((n) => /off the page edge/.test(n)), 'a note says text was dropped');
});
