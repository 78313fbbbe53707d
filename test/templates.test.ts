/** Reports outside the two national templates, and documents that hold no report, are document errors. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auditBytes } from '../src/pipeline.ts';

const html = (body: string) => new TextEncoder().encode(`<!doctype html><html><head><meta charset="utf-8"><title>t</title></head><body>${body}</body></html>`);

test('a pre-2019 report with a local 统计表 is unsupported-template, not an empty report', async () => {
  const r = await auditBytes(
    html(`<h1>平潭综合实验区2015年度政府信息公开工作年度报告</h1>
      <p>一、概述</p><p>2015年，全区共受理政府信息公开申请20件。</p>
      <table><tr><td>指标名称</td><td>计量单位</td><td>本年</td><td>历年累计</td></tr>
      <tr><td>一、主动公开情况</td><td></td><td></td><td></td></tr>
      <tr><td>（一）主动公开政府信息数</td><td>条</td><td>1500</td><td>9000</td></tr>
      <tr><td>二、依申请公开情况</td><td></td><td></td><td></td></tr>
      <tr><td>（一）收到申请数</td><td>件</td><td>20</td><td>150</td></tr></table>`),
    'pingtan-2015.html',
  );
  assert.deepEqual(r.errors.map((e) => e.code), ['unsupported-template']);
  assert.match(r.errors[0].message, /2015/);
  assert.deepEqual(r.findings, []);
});

test('a page with tables that are not the report tables is no-report-tables', async () => {
  const r = await auditBytes(html('<p>通知公告</p><table><tr><td>序号</td><td>标题</td></tr><tr><td>1</td><td>关于…的通知</td></tr></table>'), 'list.html');
  assert.deepEqual(r.errors.map((e) => e.code), ['no-report-tables']);
});

test('a 2023 report that keeps the single （六）其他处理 row stays 2021, its group unitemized', async () => {
  const { readFileSync } = await import('node:fs');
  const seed = readFileSync(new URL('../fixtures/seed/seed.html', import.meta.url), 'utf8');
  // Collapse the three （六）其他处理 rows into one, as some 2021+ reports do (the renderer writes a row a line).
  const lines = seed.split('\n');
  const first = lines.findIndex((l) => l.includes('（六）其他处理'));
  const numbers = lines.slice(first, first + 3).map((l) => [...l.matchAll(/<td class="num">(\d+)<\/td>/g)].map((m) => Number(m[1])));
  const sums = numbers[0].map((_, k) => numbers[0][k] + numbers[1][k] + numbers[2][k]);
  lines.splice(first, 3, `<tr><td colspan="2">（六）其他处理</td>${sums.map((n) => `<td class="num">${n}</td>`).join('')}</tr>`);
  const collapsed = lines.join('\n').replace('<td rowspan="22">三、本年度办理结果', '<td rowspan="20">三、本年度办理结果');
  assert.notEqual(collapsed, seed, 'the fixture has the three 其他处理 rows to collapse');
  const r = await auditBytes(new TextEncoder().encode(collapsed), 'collapsed.html');
  assert.deepEqual(r.errors, []);
  assert.equal(r.meta.template, '2021');
  assert.equal(r.meta.otherHandling, 'unitemized');
  assert.equal(r.values['requests.otherHandling.unitemized.total'].value, 13);
  assert.equal(r.values['requests.otherHandling.other.total'], undefined, 'itemised rows are absent, not zero');
  assert.deepEqual(r.findings.filter((f) => f.severity !== 'info'), []);
});
