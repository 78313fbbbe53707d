import assert from 'node:assert/strict';
import { test } from 'node:test';
import { paragraph, type DocumentModel } from '../src/extract/model.ts';
import { readMeta } from '../src/normalize/meta.ts';

function meta(lines: string[], title?: string) {
  const model: DocumentModel = { format: 'pdf', metadata: {}, notes: [], blocks: [...lines, '一、总体情况'].map((l) => paragraph(l)) };
  if (title) model.title = title;
  const m = readMeta(model);
  return [m.agency, m.year];
}

test('agency and year from titles as real reports set them', () => {
  assert.deepEqual(meta(['淮安市人民政府', '2024 年政府信息公开工作年度报告']), ['淮安市人民政府', 2024]);
  assert.deepEqual(meta(['杭州市公安局拱墅区分局政府信息', '公开工作报告', '（2023年度）']), ['杭州市公安局拱墅区分局', 2023]);
  assert.deepEqual(meta([], '2019年上海市人民政府办公厅政府信息公开工作年度报告'), ['上海市人民政府办公厅', 2019]);
  assert.deepEqual(meta([], '平潭综合实验区2022年度政府信息公开工作年度报告'), ['平潭综合实验区', 2022]);
  assert.deepEqual(meta([], '沭阳县发展和改革局2023年政府信息公开年度报告'), ['沭阳县发展和改革局', 2023]);
});

test('lines above the title and wrappers around it are not the agency', () => {
  assert.deepEqual(meta(['附件1', '沭阳县人民政府2023年政府信息公开工作年度报告']), ['沭阳县人民政府', 2023]);
  assert.deepEqual(meta(['XX市人民政府关于印发XX市2023年度政府信息公开工作年度报告的通知']), ['XX市人民政府', 2023]);
  assert.deepEqual(meta(['2024年政务公开工作要点落实情况暨', 'XX局2023年政府信息公开工作年度报告']), ['XX局', 2023]);
  assert.deepEqual(meta(['标题：沭阳县发展和改革局2023年政府信息公开年度报告-沭阳县发改局']), ['沭阳县发展和改革局', 2023]);
  assert.deepEqual(meta(['2024-01-31', 'XX区司法局2023年度政府信息公开工作年度报告']), ['XX区司法局', 2023]);
});

test('the year falls back to the statistics period when the title has none', () => {
  const model: DocumentModel = {
    format: 'html',
    metadata: {},
    notes: [],
    blocks: ['XX县财政局政府信息公开工作年度报告', '本报告中所列数据的统计期限自2021年1月1日起至2021年12月31日止。'].map((l) => paragraph(l)),
  };
  assert.equal(readMeta(model).year, 2021);
  assert.equal(readMeta(model).agency, 'XX县财政局');
});
