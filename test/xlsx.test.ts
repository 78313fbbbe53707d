/**
 * audit.xlsx (src/output/xlsx.ts), written from a real mixed batch and read back with exceljs: sheets,
 * groups, counts, labels, links, panes and filters, text that stays text, byte-identical rewrites,
 * atomicity and the row limit.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { before, test } from 'node:test';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import type { Report } from '../src/report/schema.ts';
import { allFindings, documentLink, findingCounts } from '../src/output/writer.ts';
import { displayWidth, XlsxWriter } from '../src/output/xlsx.ts';
import { sampleReports } from './helpers/sample-reports.ts';

const TOOL = { name: 'ogi-audit', version: 'test' } as const;
let batch: Report[];

/**
 * The sample batch plus: a second document of the first body-year (one summary row of two files), a
 * second unreadable document (a row of its own), and a collapsed 2021 report whose body, finding and
 * extra withheld.unitemized value begin with '=' or have no labels.
 */
before(async () => {
  const sample = await sampleReports();
  const broken = sample.find((r) => r.errors.length > 0)!;
  const collapsed = sample.find((r) => r.meta.template === '2021' && r.meta.otherHandling === 'unitemized')!;
  const copy = structuredClone(sample[0]);
  copy.source.path = 'zz-copies/first-again.html';
  const broken2 = structuredClone(broken);
  broken2.source.path = 'broken/another.pdf';
  const odd = structuredClone(collapsed);
  odd.source.path = 'odd/formula.html';
  odd.meta.agency = '=1+2';
  odd.values['requests.withheld.unitemized.total'] = { value: 4, raw: '4', kind: 'number', page: 2 };
  odd.findings.push({ rule: 'test.formula', severity: 'warning', message: '=SUM(A1:A2)', paths: ['requests.withheld.unitemized.total', 'requests.resultsTotal.total'], expected: 3, actual: 4, cells: [{ path: 'requests.withheld.unitemized.total', page: 2 }, { path: 'requests.resultsTotal.total', page: 1 }] });
  batch = [...sample, copy, broken2, odd];
});

async function write(dir: string, reports: Report[], maxRows?: number): Promise<ExcelJS.Workbook> {
  const writer = new XlsxWriter({ dir, tool: TOOL }, maxRows);
  for (const r of reports) writer.add(r);
  await writer.finish();
  writer.commit();
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(join(dir, 'audit.xlsx'));
  return wb;
}

/** A sheet's data rows (below the header) as arrays of cell values, column A at index 0, null where empty. */
function rows(ws: ExcelJS.Worksheet): ExcelJS.CellValue[][] {
  const out: ExcelJS.CellValue[][] = [];
  ws.eachRow((row, n) => {
    if (n > 1) out.push(Array.from((row.values as ExcelJS.CellValue[]).slice(1), (v) => v ?? null));
  });
  return out;
}

test('sheets, summary groups and counts, findings and values agree with the reports', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ogi-xlsx-'));
  const wb = await write(dir, batch);
  assert.deepEqual(wb.worksheets.map((ws) => ws.name), ['汇总', '问题', '数值']);
  const [summary, findings, values] = wb.worksheets;

  const header = (ws: ExcelJS.Worksheet) => (ws.getRow(1).values as string[]).slice(1);
  assert.deepEqual(header(summary), ['发布机关', '年度', '格式版本', '文件数', '错误', '警告', '提示', '最严重的规则', '文件']);
  for (const ws of wb.worksheets) {
    assert.equal(ws.getRow(1).font?.bold ?? ws.getCell('A1').font?.bold, true, `${ws.name} bold header`);
    assert.equal(ws.views[0]?.state, 'frozen', ws.name);
    assert.equal((ws.views[0] as ExcelJS.WorksheetViewFrozen).ySplit, 1, ws.name);
  }

  // One row per body-year, one per document of unknown body or year; sorted by body, unknowns last.
  const known = new Set(batch.filter((r) => r.meta.agency && r.meta.year).map((r) => `${r.meta.agency}|${r.meta.year}`));
  const unknown = batch.filter((r) => !r.meta.agency || !r.meta.year).length;
  assert.equal(unknown, 2);
  const srows = rows(summary);
  assert.equal(srows.length, known.size + unknown);
  assert.equal(srows.length, batch.length - 1, 'the copy joins its body-year');
  const agencies = srows.map((r) => r[0]).filter((a): a is string => typeof a === 'string' && a !== '');
  assert.deepEqual(agencies, [...agencies].sort(), 'string order of the body');
  assert.deepEqual(srows.slice(-2).map((r) => [r[0], (r[8] as ExcelJS.CellHyperlinkValue).text]), [[null, 'another.pdf'], [null, 'truncated.pdf']]);

  const total = { error: 0, warning: 0, info: 0 };
  for (const r of batch) for (const f of allFindings(r)) total[f.severity]++;
  const sum = (i: number) => srows.reduce((s, r) => s + (r[i] as number), 0);
  assert.deepEqual({ error: sum(4), warning: sum(5), info: sum(6) }, total);
  assert.equal(sum(3), batch.length, 'every document counted once');
  assert.ok(total.error > 0 && total.warning > 0, 'the batch has errors and warnings to count');

  // The first body-year holds two documents: counts doubled, linked to the first path.
  const first = batch[0];
  const pair = srows.find((r) => r[0] === first.meta.agency && r[1] === first.meta.year)!;
  const c = findingCounts(first);
  assert.deepEqual(pair.slice(2, 7), [first.meta.template, 2, 2 * c.error, 2 * c.warning, 2 * c.info]);
  const link = pair[8] as ExcelJS.CellHyperlinkValue;
  assert.equal(link.hyperlink, documentLink(dir, first.source.path));
  assert.equal(link.text, first.source.path.split('/').pop());
  // A single-document row's worst rule is findingCounts' own.
  for (const r of batch.slice(1)) {
    if (!r.meta.agency || !r.meta.year || findingCounts(r).worstRule === '') continue;
    const row = srows.find((x) => x[0] === r.meta.agency && x[1] === r.meta.year)!;
    assert.equal(row[7], findingCounts(r).worstRule, r.source.path);
  }

  // 问题: every finding, document errors first, in batch order, filter over the whole range.
  const frows = rows(findings);
  const all = batch.flatMap((r) => allFindings(r).map((f) => [r.source.path, f.rule]));
  assert.equal(frows.length, all.length);
  assert.deepEqual(frows.map((r) => [r[0], r[3]]), all);
  assert.equal(findings.autoFilter, `A1:J${all.length + 1}`);
  const injected = frows.find((r) => r[3] === 'test.formula')!;
  assert.deepEqual(injected, ['odd/formula.html', '=1+2', batch.at(-1)!.meta.year, 'test.formula', '警告', '=SUM(A1:A2)', 'requests.withheld.unitemized.total; requests.resultsTotal.total', 3, 4, '1;2']);
  assert.equal(frows.find((r) => r[0] === 'broken/another.pdf')![4], '错误');

  // 数值: every value; a cell checked by hand with its Chinese labels.
  const vrows = rows(values);
  assert.equal(vrows.length, batch.reduce((n, r) => n + Object.keys(r.values).length, 0));
  const r2021 = batch.find((r) => r.meta.template === '2021' && r.values['requests.received.total']?.value !== null)!;
  const received = vrows.find((r) => r[0] === r2021.source.path && r[7] === 'requests.received.total')!;
  const cell = r2021.values['requests.received.total'];
  assert.deepEqual(received.slice(1, 11), [r2021.meta.agency, r2021.meta.year, '2021', '表三', '一、本年新收政府信息公开申请数量', '总计', 'requests.received.total', cell.value, cell.raw, cell.kind]);
  assert.equal(typeof received[8], 'number');
  assert.equal(typeof received[9], 'string', 'raw text stays text even when it is a number');
  const r2019 = batch.find((r) => r.meta.template === '2019' && 'active.normativeDocs.made' in r.values)!;
  assert.deepEqual(vrows.find((r) => r[0] === r2019.source.path && r[7] === 'active.normativeDocs.made')!.slice(4, 7), ['表二', '规范性文件', '本年新制作数量']);
  const oddRows = vrows.filter((r) => r[0] === 'odd/formula.html');
  assert.deepEqual(oddRows.find((r) => r[7] === 'requests.otherHandling.unitemized.total')!.slice(4, 7), ['表三', '（六）其他处理', '总计']);
  assert.deepEqual(oddRows.find((r) => r[7] === 'requests.withheld.unitemized.total')!.slice(4, 9), ['表三', null, null, 'requests.withheld.unitemized.total', 4]);
  assert.equal(values.autoFilter, `A1:L${vrows.length + 1}`);

  // Widths fit the widest text written, CJK counted double.
  const widest = Math.max(...srows.map((r) => displayWidth(String(r[0] ?? ''))));
  assert.equal(summary.getColumn(1).width, Math.min(60, widest) + 2);

  // Text beginning with '=' is a string cell; nothing anywhere is a formula.
  const odd = summary.getCell(`A${srows.findIndex((r) => r[0] === '=1+2') + 2}`);
  assert.equal(odd.type, ExcelJS.ValueType.String);
  assert.equal(odd.value, '=1+2');
  const zip = await JSZip.loadAsync(readFileSync(join(dir, 'audit.xlsx')));
  for (const name of ['xl/worksheets/sheet1.xml', 'xl/worksheets/sheet2.xml', 'xl/worksheets/sheet3.xml']) {
    assert.doesNotMatch(await zip.file(name)!.async('string'), /<f[ >]/, name);
  }
  assert.match(await zip.file('docProps/core.xml')!.async('string'), /<dcterms:modified[^>]*>2000-01-01T00:00:00Z</);
  assert.deepEqual(readdirSync(dir), ['audit.xlsx'], 'no temporary file left');
});

test('the same batch gives the same bytes, seconds later', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ogi-xlsx-same-'));
  await write(dir, batch);
  const once = readFileSync(join(dir, 'audit.xlsx'));
  await sleep(2100); // past the zip's 2-second time resolution
  await write(dir, batch);
  assert.ok(once.equals(readFileSync(join(dir, 'audit.xlsx'))));
});

test('nothing appears before commit; abort leaves nothing, before or after finish', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ogi-xlsx-abort-'));
  const early = new XlsxWriter({ dir, tool: TOOL });
  early.add(batch[0]);
  early.abort();
  assert.deepEqual(readdirSync(dir), []);

  const writer = new XlsxWriter({ dir, tool: TOOL });
  for (const r of batch) writer.add(r);
  await writer.finish();
  assert.ok(!existsSync(join(dir, 'audit.xlsx')), 'not visible before commit');
  assert.equal(readdirSync(dir).length, 1, 'one temporary file');
  writer.abort();
  assert.deepEqual(readdirSync(dir), []);
});

test('rows past the sheet limit are left out and the summary says so', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ogi-xlsx-limit-'));
  const wb = await write(dir, batch, 50);
  const [summary, findings, values] = wb.worksheets;
  assert.equal(rows(values).length, 50);
  const nValues = batch.reduce((n, r) => n + Object.keys(r.values).length, 0);
  const nFindings = batch.reduce((n, r) => n + allFindings(r).length, 0);
  assert.equal(rows(findings).length, Math.min(50, nFindings));
  const notes = rows(summary).map((r) => r[0]).filter((t): t is string => typeof t === 'string' && t.includes('values.csv'));
  assert.deepEqual(notes, [`数值表超过 Excel 的行数上限：只列出前 50 行（共 ${nValues} 行），全部见 values.csv。`]);
  assert.equal(summary.autoFilter, `A1:I${batch.length}`, 'the filter stops above the note');
});
