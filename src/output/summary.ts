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

/** One document's lines: its line, then each finding (info ones only when verbose) with its cells. */
export function documentBlock(r: Report, options: { verbose?: boolean } = {}): string {
  const lines = [documentLine(r)];
  for (const f of r.findings) {
    if (f.severity === 'info' && !options.verbose) continue;
    const numbers = f.expected !== undefined || f.actual !== undefined ? `（应为 ${f.expected ?? '—'}，实为 ${f.actual ?? '—'}）` : '';
    lines.push(`  [${SEVERITY_ZH[f.severity]}] ${f.rule}：${f.message}${numbers}`);
    const cells = f.cells ?? [];
    for (const c of cells.slice(0, 8)) lines.push(cellLine(c, r));
    if (cells.length > 8) lines.push(`      …另有 ${cells.length - 8} 个单元格`);
  }
  return lines.join('\n') + '\n';
}

/** The closing line's counts, gathered a document at a time. */
export class SummaryTotals {
  documents = 0;
  unreadable = 0;
  errors = 0;
  warnings = 0;

  add(r: Report): void {
    this.documents++;
    if (r.errors.length) this.unreadable++;
    for (const f of r.findings) {
      if (f.severity === 'error') this.errors++;
      else if (f.severity === 'warning') this.warnings++;
    }
  }

  text(): string {
    return `\n共 ${this.documents} 份文件：无法读取 ${this.unreadable} 份；错误 ${this.errors} 条，警告 ${this.warnings} 条。\n`;
  }
}
