/** The readable summary in Chinese: a line per document, then each finding with its cells and numbers. */
import type { Finding, Report } from '../report/schema.ts';

const SEVERITY_ZH = { error: '错误', warning: '警告', info: '提示' } as const;

function cellLine(c: NonNullable<Finding['cells']>[number], report: Report): string {
  const v = report.values[c.path];
  const where = [c.page !== undefined ? `第${c.page}页` : '', c.table !== undefined ? `表格${c.table + 1}` : '', c.row !== undefined ? `第${c.row + 1}行第${(c.col ?? 0) + 1}列` : '']
    .filter(Boolean)
    .join(' ');
  const value = v ? (v.value === null ? '无法读取' : String(v.value)) : '';
  const raw = !v ? '' : v.kind === 'blank' ? '（空白）' : v.kind === 'missing' ? '（未找到）' : v.raw.trim() !== String(v.value) ? `（原文“${v.raw.trim()}”）` : '';
  return `      ${c.path} = ${value}${raw}${where ? `  @ ${where}` : ''}`;
}

export function documentLine(report: Report): string {
  const m = report.meta;
  const who = [m.agency ?? '（发布机关未识别）', m.year ? `${m.year}年度` : '', m.template ? `${m.template}版格式` : ''].filter(Boolean).join(' ');
  if (report.errors.length) return `✗ ${report.source.path}  无法读取：${report.errors.map((e) => `[${e.code}] ${e.message}`).join('；')}`;
  const count = (s: Finding['severity']) => report.findings.filter((f) => f.severity === s).length;
  const mark = count('error') ? '✗' : count('warning') ? '!' : '✓';
  return `${mark} ${report.source.path}  ${who}  错误 ${count('error')} · 警告 ${count('warning')} · 提示 ${count('info')}`;
}

export function summary(reports: Report[], options: { verbose?: boolean } = {}): string {
  const lines: string[] = [];
  for (const r of reports) {
    lines.push(documentLine(r));
    for (const f of r.findings) {
      if (f.severity === 'info' && !options.verbose) continue;
      const numbers = f.expected !== undefined || f.actual !== undefined ? `（应为 ${f.expected ?? '—'}，实为 ${f.actual ?? '—'}）` : '';
      lines.push(`  [${SEVERITY_ZH[f.severity]}] ${f.rule}：${f.message}${numbers}`);
      const cells = f.cells ?? [];
      for (const c of cells.slice(0, 8)) lines.push(cellLine(c, r));
      if (cells.length > 8) lines.push(`      …另有 ${cells.length - 8} 个单元格`);
    }
  }
  const bad = reports.filter((r) => r.errors.length).length;
  const errors = reports.reduce((s, r) => s + r.findings.filter((f) => f.severity === 'error').length, 0);
  const warnings = reports.reduce((s, r) => s + r.findings.filter((f) => f.severity === 'warning').length, 0);
  lines.push('', `共 ${reports.length} 份文件：无法读取 ${bad} 份；错误 ${errors} 条，警告 ${warnings} 条。`);
  return lines.join('\n') + '\n';
}
