/** H5 and readability: every value a number of the right kind, every table and row present. */
import { templatePaths } from '../../report/paths.ts';
import type { Finding } from '../../report/schema.ts';
import { finding, where, type Rule } from '../rule.ts';

export const nonNegativeInteger: Rule = {
  id: 'values.nonNegativeInteger',
  relation: 'H5',
  zh: '件数为非负整数（2019 年“本年增/减”可为负），金额非负',
  en: 'counts are non-negative integers (2019 本年增/减 may be negative); amounts are non-negative',
  severity: 'error',
  category: 'value',
  check(report) {
    const out: Finding[] = [];
    const types = new Map(templatePaths(report.meta.template ?? '2021').map((p) => [p.path, p.type]));
    for (const [path, v] of Object.entries(report.values)) {
      if (v.value === null) continue;
      const type = types.get(path) ?? 'count';
      const bad =
        type === 'amount' ? v.value < 0 : type === 'signedCount' ? !Number.isInteger(v.value) : v.value < 0 || !Number.isInteger(v.value);
      if (!bad) continue;
      const want = type === 'amount' ? '非负金额' : type === 'signedCount' ? '整数' : '非负整数';
      out.push(finding(report, nonNegativeInteger, { message: `${path} 应为${want}，实际为 ${v.raw.trim()}（${where(report, path)}）`, paths: [path], actual: v.value }));
    }
    return out;
  },
};

export const illegible: Rule = {
  id: 'values.illegible',
  zh: '单元格内容无法读作数字',
  en: 'a cell that cannot be read as a number (null, never a silent 0)',
  severity: 'error',
  category: 'value',
  check(report) {
    return Object.entries(report.values)
      .filter(([, v]) => v.kind === 'illegible')
      .map(([path, v]) => finding(report, illegible, { message: `${path} 的内容“${v.raw.trim()}”无法读作数字（${where(report, path)}）`, paths: [path], actual: null }));
  },
};

const TABLES: [string, string][] = [
  ['active.', '表二（主动公开政府信息情况）'],
  ['requests.', '表三（收到和处理政府信息公开申请情况）'],
  ['reviewLitigation.', '表四（行政复议、行政诉讼情况）'],
];

export const missingTable: Rule = {
  id: 'tables.missing',
  zh: '报告缺少表格或表格中的行',
  en: 'a report table, or rows of one, not found in the document',
  severity: 'warning',
  category: 'completeness',
  check(report) {
    const out: Finding[] = [];
    for (const [prefix, zh] of TABLES) {
      const paths = Object.keys(report.values).filter((p) => p.startsWith(prefix));
      const gone = paths.filter((p) => report.values[p].kind === 'missing');
      if (gone.length === 0) continue;
      const message = gone.length === paths.length ? `未找到${zh}` : `${zh} 中未找到 ${gone.length} 个单元格（如 ${gone[0]}）`;
      out.push(finding(report, missingTable, { message, paths: gone }));
    }
    return out;
  },
};
