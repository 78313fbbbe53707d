/** Finding 表二/表三/表四 rows in grids built in the test: layouts real reports use that our fixtures do not. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildGrid, type SourceCell, type TableBlock } from '../src/extract/model.ts';
import { findActive, readActive } from '../src/normalize/active.ts';
import { classifyRequestRow, readRequests } from '../src/normalize/requests.ts';
import { readReview } from '../src/normalize/review.ts';

/** Rows of [label cells…, 7 numbers]; labels padded to 3 columns. */
function requestTable(index: number, rows: (string | number)[][]): TableBlock {
  const cells: SourceCell[] = [];
  rows.forEach((row, r) => {
    const labels = row.filter((x) => typeof x === 'string') as string[];
    const numbers = row.filter((x) => typeof x === 'number') as number[];
    labels.forEach((l, c) => cells.push({ row: r, col: c, rowSpan: 1, colSpan: c === labels.length - 1 ? 3 - c : 1, raw: l }));
    numbers.forEach((n, k) => cells.push({ row: r, col: 3 + k, rowSpan: 1, colSpan: 1, raw: String(n) }));
  });
  return buildGrid(cells, index);
}

const seven = (n: number) => [n, 0, 0, 0, 0, 0, n];

test('a leaf whose group label was lost at a page break still finds its group', () => {
  assert.deepEqual(classifyRequestRow(['1.本机关不掌握相关政府信息'], 'withheld'), { key: 'unavailable.notHeld', group: 'unavailable' });
  assert.deepEqual(classifyRequestRow(['2.重复申请'], 'rejected'), { key: 'rejected.repeated', group: 'rejected' });
  assert.deepEqual(classifyRequestRow(['3.其他'], 'otherHandling'), { key: 'otherHandling.other', group: 'otherHandling' });
  assert.equal(classifyRequestRow(['3.其他'], undefined), undefined);
});

test('label variants: 结转下一年度, 上一年结转, （七）合计, typos', () => {
  assert.equal(classifyRequestRow(['四、结转下一年度继续办理'], undefined)?.key, 'carriedForward');
  assert.equal(classifyRequestRow(['二、上一年结转政府信息公开申请数量'], undefined)?.key, 'carriedOver');
  assert.equal(classifyRequestRow(['三、本年度办理结果', '(七)合计'], undefined)?.key, 'resultsTotal');
  assert.equal(classifyRequestRow(['(三)不予公开', '2.其他法律行政止公开'], undefined)?.key, 'withheld.lawProhibited');
  assert.equal(classifyRequestRow(['(六)其他处理'], undefined)?.key, 'otherHandling.unitemized');
});

test('表三 over two tables, the second without header or group labels; a subtotal row is not a leaf', () => {
  const first = requestTable(0, [
    ['一、本年新收政府信息公开申请数量', ...seven(5)],
    ['二、上年结转政府信息公开申请数量', ...seven(0)],
    ['三、本年度办理结果', '(一)予以公开', ...seven(2)],
    ['三、本年度办理结果', '(二)部分公开', ...seven(0)],
    ['三、本年度办理结果', '(三)不予公开', ...seven(1)],
    ['三、本年度办理结果', '(三)不予公开', '1.属于国家秘密', ...seven(1)],
  ]);
  const second = requestTable(1, [
    ['', '', '1.本机关不掌握相关政府信息', ...seven(2)],
    ['', '', '2.没有现成信息需要另行制作', ...seven(0)],
  ]);
  const reading = readRequests([first, second]);
  assert.deepEqual(reading.tables, [0, 1]);
  assert.equal(reading.values['requests.unavailable.notHeld.naturalPerson'].value, 2);
  assert.equal(reading.values['requests.withheld.stateSecret.total'].value, 1);
  assert.equal(reading.values['requests.withheld.unitemized.total'], undefined, 'the 小计 row of 不予公开 is not a collapsed group');
  assert.equal(reading.values['requests.granted.total'].table, 0);
  assert.equal(reading.values['requests.unavailable.notHeld.total'].table, 1);
});

test('表二 with the caption in a merged first column, numbered labels and units', () => {
  const cells: SourceCell[] = [
    { row: 0, col: 0, rowSpan: 3, colSpan: 1, raw: '第二十条第（一）项' },
    { row: 0, col: 1, rowSpan: 1, colSpan: 1, raw: '信息内容' },
    { row: 0, col: 2, rowSpan: 1, colSpan: 1, raw: '本年制发件数' },
    { row: 0, col: 3, rowSpan: 1, colSpan: 1, raw: '本年废止件数' },
    { row: 0, col: 4, rowSpan: 1, colSpan: 1, raw: '现行有效件数' },
    { row: 1, col: 1, rowSpan: 1, colSpan: 1, raw: '1.规章（件）' },
    { row: 1, col: 2, rowSpan: 1, colSpan: 1, raw: '2' },
    { row: 1, col: 3, rowSpan: 1, colSpan: 1, raw: '0' },
    { row: 1, col: 4, rowSpan: 1, colSpan: 1, raw: '11' },
    { row: 2, col: 1, rowSpan: 1, colSpan: 1, raw: '行政规范性文件' },
    { row: 2, col: 2, rowSpan: 1, colSpan: 1, raw: '8' },
    { row: 2, col: 3, rowSpan: 1, colSpan: 1, raw: '' },
    { row: 2, col: 4, rowSpan: 1, colSpan: 1, raw: '66' },
  ];
  const reading = findActive([buildGrid(cells, 0)]);
  assert.ok(reading.votes['2021'] >= 3);
  const values = readActive(reading, '2021');
  assert.deepEqual(
    ['rules.issued', 'rules.repealed', 'rules.inForce', 'normativeDocs.issued', 'normativeDocs.repealed', 'normativeDocs.inForce'].map((p) => values[`active.${p}`].value),
    [2, 0, 11, 8, 0, 66],
  );
  assert.equal(values['active.normativeDocs.repealed'].kind, 'blank');
});

test('表四 whose data row went to the next table at a page break', () => {
  const header = buildGrid(
    [
      { row: 0, col: 0, rowSpan: 1, colSpan: 5, raw: '行政复议' },
      { row: 0, col: 5, rowSpan: 1, colSpan: 10, raw: '行政诉讼' },
    ],
    0,
  );
  const data = buildGrid(
    Array.from({ length: 15 }, (_, k) => ({ row: 0, col: k, rowSpan: 1, colSpan: 1, raw: String([1, 0, 0, 1, 2, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0][k]) })),
    1,
  );
  const r = readReview([header, data]);
  assert.equal(r.table, 1);
  assert.equal(r.values['reviewLitigation.review.total'].value, 2);
  assert.equal(r.values['reviewLitigation.suitDirect.total'].value, 1);
});

test('one grid holding 表三 twice over (a repeated header with other column positions) is read part by part', () => {
  // [first column, span] of the 7 value columns in each part, as Chromium's two tables came out.
  const partOne: [number, number][] = [[3, 2], [5, 2], [7, 1], [8, 1], [9, 1], [10, 1], [11, 1]];
  const partTwo: [number, number][] = [[4, 2], [6, 1], [7, 1], [8, 1], [9, 1], [10, 1], [11, 1]];
  const names = ['自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他', '总计'];
  const header = (row: number, cols: [number, number][]): SourceCell[] => [
    { row, col: 0, rowSpan: 2, colSpan: cols[0][0], raw: '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）' },
    ...cols.map(([col, colSpan], k) => ({ row, col, rowSpan: 2, colSpan, raw: names[k] })),
  ];
  const data = (row: number, label: string, cols: [number, number][], values: number[]): SourceCell[] => [
    { row, col: 0, rowSpan: 1, colSpan: cols[0][0], raw: label },
    ...cols.map(([col, colSpan], k) => ({ row, col, rowSpan: 1, colSpan, raw: String(values[k]) })),
  ];
  const cells: SourceCell[] = [
    ...header(0, partOne),
    ...data(2, '一、本年新收政府信息公开申请数量', partOne, [5, 1, 0, 0, 0, 0, 6]),
    ...data(3, '二、上年结转政府信息公开申请数量', partOne, [0, 0, 0, 0, 0, 0, 0]),
    ...data(4, '（一）予以公开', partOne, [5, 1, 0, 0, 0, 0, 6]),
    ...header(5, partTwo),
    ...data(7, '（七）总计', partTwo, [5, 1, 0, 0, 0, 0, 6]),
  ];
  const reading = readRequests([buildGrid(cells, 0)]);
  assert.equal(reading.values['requests.received.commercial'].value, 1);
  assert.equal(reading.values['requests.resultsTotal.naturalPerson'].value, 5);
  assert.equal(reading.values['requests.resultsTotal.commercial'].value, 1);
  assert.equal(reading.values['requests.resultsTotal.total'].value, 6);
});

test('a 表三 cut off at the page edge: the columns it shows are read, the others are missing, no label read as a number', () => {
  const names = ['自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构'];
  const cells: SourceCell[] = [
    { row: 0, col: 0, rowSpan: 1, colSpan: 3, raw: '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）' },
    ...names.map((raw, k) => ({ row: 0, col: 3 + k, rowSpan: 1, colSpan: 1, raw })),
    ...['一、本年新收政府信息公开申请数量', '二、上年结转政府信息公开申请数量', '（一）予以公开'].flatMap((label, i) => [
      { row: 1 + i, col: 0, rowSpan: 1, colSpan: 3, raw: label },
      ...names.map((_, k) => ({ row: 1 + i, col: 3 + k, rowSpan: 1, colSpan: 1, raw: k === 0 ? '26' : '' })),
    ]),
  ];
  const reading = readRequests([buildGrid(cells, 0)]);
  assert.equal(reading.values['requests.received.naturalPerson'].value, 26);
  assert.equal(reading.values['requests.received.total'].kind, 'missing');
  assert.equal(reading.values['requests.granted.otherOrg'].kind, 'missing');
});
