// Layout switches on the format-neutral document: a 表三 broken into two tables that repeat the
// header and the merged row labels, wrapped labels, header words split over lines, label typos.
import type { Cell, DocModel, Layout, TableModel } from '../../scripts/render/model.ts';
import type { Rng } from './rng.ts';

/**
 * Cuts a table before data row `at` (counted from the first row after the header). The second part
 * repeats the header rows, and every label merged over the cut is printed again above its remaining
 * rows, as CMS pages and Word documents broken by hand do.
 */
export function splitTable(t: TableModel, at: number): [TableModel, TableModel] {
  const head = t.rows.slice(0, t.headRows);
  const data = t.rows.slice(t.headRows);
  // Grid column of every cell, to know which merged cells cross the cut.
  const width = t.widths.length;
  const busy: number[] = Array(width).fill(0);
  const placed: { row: number; col: number; cell: Cell }[] = [];
  data.forEach((row, i) => {
    let col = 0;
    for (const c of row) {
      while (busy[col] > 0) col++;
      placed.push({ row: i, col, cell: c });
      for (let k = 0; k < (c.colSpan ?? 1); k++) busy[col + k] = c.rowSpan ?? 1;
      col += c.colSpan ?? 1;
    }
    for (let k = 0; k < width; k++) busy[k] = Math.max(0, busy[k] - 1);
  });
  const first: Cell[][] = data.slice(0, at).map(() => []);
  const second: Cell[][] = data.slice(at).map(() => []);
  const byRow = (rows: Cell[][], i: number, col: number, c: Cell) => ((rows[i] as (Cell & { col?: number })[]).push({ ...c, col } as Cell));
  for (const p of placed) {
    const span = p.cell.rowSpan ?? 1;
    if (p.row < at && p.row + span > at) {
      byRow(first, p.row, p.col, { ...p.cell, rowSpan: at - p.row });
      byRow(second, 0, p.col, { ...p.cell, rowSpan: p.row + span - at });
    } else if (p.row < at) byRow(first, p.row, p.col, p.cell);
    else byRow(second, p.row - at, p.col, p.cell);
  }
  const order = (rows: Cell[][]) => rows.map((r) => (r as (Cell & { col?: number })[]).sort((a, b) => (a.col ?? 0) - (b.col ?? 0)).map(({ col: _c, ...c }) => c as Cell));
  return [
    { ...t, rows: [...head, ...order(first)] },
    { ...t, rows: [...head, ...order(second)] },
  ];
}

/** The document with 表三 printed as two tables, cut at a random result row. */
export function withSplitRequests(r: Rng, doc: DocModel): DocModel {
  const blocks = doc.blocks.flatMap((b) => {
    if (b.kind !== 'table' || b.table.id !== 'requests') return [b];
    const dataRows = b.table.rows.length - b.table.headRows;
    const [a, c] = splitTable(b.table, r.int(4, dataRows - 3));
    return [{ kind: 'table' as const, table: a }, { kind: 'table' as const, table: { ...c, id: 'requests-2' } }];
  });
  return { ...doc, blocks };
}

/** Label typos seen in real reports (or of the same kind): the pipeline must still place the rows. */
const TYPOS: Record<string, string[]> = {
  'withheld.lawProhibited': ['2.其他法律行政止公开', '2.其它法律行政法规禁止公开'],
  received: ['一、本年新收政府信息公开申请数', '一、本年新收政府信息公开申请数量：'],
  carriedForward: ['四、结转下一年度继续办理', '四、结转下年度继续办理的'],
  resultsTotal: ['（七）合计', '(七)总计'],
  partiallyGranted: ['（二）部分公开'],
  'withheld.securityStability': ['3.危及"三安全一稳定"', '3.危及三安全一稳定'],
  'rejected.confirmation': ['5.要求行政机关确认或重新出具已获取的信息'],
  'unavailable.notHeld': ['1.本机关不掌握相关政府信息的'],
  'active.normativeDocs': ['规范性文件'],
};

export function typoLabels(r: Rng): Layout['label'] {
  const chosen = new Map<string, string>();
  const keys = Object.keys(TYPOS);
  for (let i = 0; i < 3; i++) {
    const k = r.pick(keys);
    chosen.set(k, r.pick(TYPOS[k]));
  }
  return (label, path) => (chosen.has(path) && !label.startsWith('（三）') && !label.startsWith('（四）') ? chosen.get(path)! : label);
}

/** Labels wrapped inside narrow cells, mid-word: （四）无 / 法提供. */
export function wrappedLabels(r: Rng): Layout['label'] {
  const width = r.int(5, 9);
  return (label) => {
    if (/^（[三四五六]）/u.test(label) && label.length <= 7) return `${label.slice(0, 4)}\n${label.slice(4)}`;
    const lines: string[] = [];
    for (let i = 0; i < label.length; i += width) lines.push(label.slice(i, i + width));
    return lines.join('\n');
  };
}

/** Header words split over lines: 商业企 / 业, 结果 / 维持. */
export function splitHeaders(r: Rng): Layout['header'] {
  const cut = r.chance(0.5);
  return (text) => {
    if (text.length < 4 || text.startsWith('第二十条')) return text;
    const at = cut ? Math.ceil(text.length / 2) : text.length - 1;
    return `${text.slice(0, at)}\n${text.slice(at)}`;
  };
}
