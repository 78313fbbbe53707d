/**
 * The shapes of the official tables 表二/表三/表四 as grids for the page: label cells (with row and
 * column spans, as in the published template) and value cells named by canonical path. Built here in
 * TypeScript from paths.ts so the page script only draws what it is given.
 */
import {
  activeRows,
  REQUEST_COLUMNS,
  REQUEST_GROUPS,
  REQUEST_ROWS,
  REVIEW_COLUMNS,
  REVIEW_GROUPS,
  unitemizedRow,
  type RequestGroup,
  type RequestRowDef,
  type Template,
} from '../../report/paths.ts';

/** A label cell: `h` is its role (c column header, r row label, s block caption); `x` a style hint. */
export interface LabelCell {
  h: 'c' | 'r' | 's';
  t: string;
  rs?: number;
  cs?: number;
  x?: 'corner' | 'narrow';
}
/** A value cell: its canonical path and, for tooltips, its row × column in words. */
export interface ValueSlot {
  p: string;
  z: string;
  cs?: number;
}
export type GridCell = LabelCell | ValueSlot;

export type TableId = 't2' | 't3' | 't4';

export interface GridLayout {
  table: TableId;
  title: string;
  rows: GridCell[][];
}

export const TABLE_TITLES: Record<TableId, string> = {
  t2: '表二 主动公开政府信息情况',
  t3: '表三 收到和处理政府信息公开申请情况',
  t4: '表四 政府信息公开行政复议、行政诉讼情况',
};

/** The table a canonical path belongs to, or undefined for meta.*, narrative.* and the like. */
export function tableOf(path: string): TableId | undefined {
  if (path.startsWith('active.')) return 't2';
  if (path.startsWith('requests.')) return 't3';
  if (path.startsWith('reviewLitigation.')) return 't4';
  return undefined;
}

/** The value paths of a grid in drawing order: the order of a document's value array. */
export function gridPaths(layout: GridLayout): string[] {
  return layout.rows.flatMap((row) => row.flatMap((c) => ('p' in c ? [c.p] : [])));
}

const label = (h: LabelCell['h'], t: string, span: { rs?: number; cs?: number; x?: LabelCell['x'] } = {}): LabelCell => ({ h, t, ...span });

/** 表二: one block per article (第二十条第（X）项) with its own column header, as published. */
export function activeGrid(template: Template): GridLayout {
  const rows: GridCell[][] = [];
  const defs = activeRows(template);
  const width = Math.max(...defs.map((d) => d.columns.length));
  // A block's last column spans what is left, so blocks of 1, 2 or 3 columns fill the same width.
  const span = (i: number, n: number) => (i === n - 1 && n < width ? { cs: width - n + 1 } : {});
  let i = 0;
  while (i < defs.length) {
    const first = defs[i];
    const sameBlock = (d: (typeof defs)[number]) => d.article === first.article && d.columns.map((c) => c.key).join() === first.columns.map((c) => c.key).join();
    let j = i;
    while (j < defs.length && sameBlock(defs[j])) j++;
    rows.push([label('s', `第二十条第${first.article}项`, { cs: width + 1 })]);
    rows.push([label('c', '信息内容'), ...first.columns.map((c, k) => label('c', c.zh, span(k, first.columns.length)))]);
    for (const d of defs.slice(i, j)) {
      rows.push([label('r', d.zh), ...d.columns.map((c, k): ValueSlot => ({ p: `active.${d.key}.${c.key}`, z: `${d.zh} · ${c.zh}`, ...span(k, d.columns.length) }))]);
    }
    i = j;
  }
  return { table: 't2', title: `${TABLE_TITLES.t2}（${template}年版）`, rows };
}

/** How each （三）–（六） group of a report's 表三 is laid out. */
export type GroupLayout = Record<RequestGroup, { itemized: boolean; unitemized: boolean }>;

/** A stable key of a 表三 layout, e.g. `t3:IIIU` (I itemized, U one row, B both). */
export function requestLayoutKey(groups: GroupLayout): string {
  return `t3:${REQUEST_GROUPS.map((g) => (groups[g.key].itemized ? (groups[g.key].unitemized ? 'B' : 'I') : 'U')).join('')}`;
}

/** 表三 with the report's own rows: itemised （三）–（六） rows, or the one row of a collapsed group. */
export function requestGrid(groups: GroupLayout): GridLayout {
  const rowDefs: RequestRowDef[] = [];
  for (const r of REQUEST_ROWS) {
    const g = r.group;
    if (!g) rowDefs.push(r);
    else if (groups[g].itemized) rowDefs.push(r);
    // The collapsed row sits where the group's rows would start (after them when both are present).
    const last = g && REQUEST_ROWS.filter((x) => x.group === g).at(-1) === r;
    if (g && last && groups[g].unitemized) rowDefs.push(unitemizedRow(g));
  }
  const values = (r: RequestRowDef, zh: string): ValueSlot[] => REQUEST_COLUMNS.map((c) => ({ p: `requests.${r.key}.${c.key}`, z: `${zh} · ${c.zh}` }));
  const rows: GridCell[][] = [
    [label('c', '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', { rs: 3, cs: 3, x: 'corner' }), label('c', '申请人情况', { cs: 7 })],
    [label('c', '自然人', { rs: 2 }), label('c', '法人或其他组织', { cs: 5 }), label('c', '总计', { rs: 2 })],
    REQUEST_COLUMNS.slice(1, 6).map((c) => label('c', c.zh)),
  ];
  const results = rowDefs.filter((r) => r.leaf || r.key === 'resultsTotal');
  for (const r of rowDefs) {
    const cells: GridCell[] = [];
    const inResults = results.includes(r);
    if (!inResults) cells.push(label('r', r.zh, { cs: 3 }));
    else {
      if (r === results[0]) cells.push(label('r', '三、本年度办理结果', { rs: results.length, x: 'narrow' }));
      const itemized = r.group && r.layout !== 'unitemized';
      if (!itemized) cells.push(label('r', r.zh, { cs: 2 }));
      else {
        const [groupZh, itemZh] = splitLabel(r.zh);
        const members = rowDefs.filter((x) => x.group === r.group && x.layout !== 'unitemized');
        if (r === members[0]) cells.push(label('r', groupZh, { rs: members.length }));
        cells.push(label('r', itemZh));
      }
    }
    rows.push([...cells, ...values(r, r.zh)]);
  }
  return { table: 't3', title: TABLE_TITLES.t3, rows };
}

/** `（三）不予公开 1.属于国家秘密` → group and item labels. */
function splitLabel(zh: string): [string, string] {
  const at = zh.indexOf(' ');
  return at < 0 ? [zh, ''] : [zh.slice(0, at), zh.slice(at + 1)];
}

/** 表四 as published: 行政复议 beside 行政诉讼 (未经复议直接起诉 / 复议后起诉), one row of 15 values. */
export function reviewGrid(): GridLayout {
  const cols = REVIEW_COLUMNS;
  const rows: GridCell[][] = [
    [label('c', '行政复议', { cs: cols.length }), label('c', '行政诉讼', { cs: cols.length * 2 })],
    [...cols.map((c) => label('c', c.zh, { rs: 2 })), label('c', '未经复议直接起诉', { cs: cols.length }), label('c', '复议后起诉', { cs: cols.length })],
    [...cols.map((c) => label('c', c.zh)), ...cols.map((c) => label('c', c.zh))],
    REVIEW_GROUPS.flatMap((g) => cols.map((c): ValueSlot => ({ p: `reviewLitigation.${g.key}.${c.key}`, z: `${g.zh} · ${c.zh}` }))),
  ];
  return { table: 't4', title: TABLE_TITLES.t4, rows };
}

/** Which 表三 layout a report has, from the paths it actually holds (values and finding cells). */
export function groupLayout(has: (path: string) => boolean, otherHandling: 'itemized' | 'unitemized' | undefined): GroupLayout {
  const out = {} as GroupLayout;
  for (const g of REQUEST_GROUPS) {
    const items = REQUEST_ROWS.filter((r) => r.group === g.key);
    const itemized = items.some((r) => REQUEST_COLUMNS.some((c) => has(`requests.${r.key}.${c.key}`)));
    const unitemized = REQUEST_COLUMNS.some((c) => has(`requests.${g.key}.unitemized.${c.key}`));
    // A group with no cell at all (a missing table) is drawn as the template has it.
    const neither = !itemized && !unitemized;
    const collapsedByDefault = g.key === 'otherHandling' && otherHandling === 'unitemized';
    out[g.key] = { itemized: itemized || (neither && !collapsedByDefault), unitemized: unitemized || (neither && collapsedByDefault) };
  }
  return out;
}
