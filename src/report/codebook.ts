/**
 * The codebook: every canonical path with its table, Chinese labels and the template years it
 * occurs in — what a researcher reads to know what a column of the datasets means.
 */
import { ACTIVE_2019, ACTIVE_2021, DERIVED_PATHS, REQUEST_COLUMNS, REQUEST_ROWS, REVIEW_COLUMNS, REVIEW_GROUPS, type RequestRowDef, type Template, type ValueType, unitemizedRow } from './paths.ts';

export interface CodebookEntry {
  path: string;
  /** cell: a table cell (a column of reports.csv); derived: a sum narratives speak of; narrative: a count with no cell; meta: about the report. */
  kind: 'cell' | 'derived' | 'narrative' | 'meta';
  table: '表二' | '表三' | '表四' | '';
  rowLabel: string;
  columnLabel: string;
  type: ValueType | 'text' | 'integer';
  templates: Template[];
}

/** Counts stated only in the text (schema.md, narrative). */
export const NARRATIVE_PATHS: Record<string, string> = {
  'narrative.activeItems.total': '主动公开政府信息条数（正文）',
};

const META: [string, string, CodebookEntry['type']][] = [
  ['meta.agency', '发布机关', 'text'],
  ['meta.year', '报告年度', 'integer'],
  ['meta.template', '表格格式版本（2021 或 2019）', 'text'],
  ['meta.title', '标题', 'text'],
  ['meta.region', '地区', 'text'],
  ['meta.publishedAt', '发布日期', 'text'],
];

const BOTH: Template[] = ['2019', '2021'];

/** 表三 rows in table order, each group followed by its collapsed form (`<group>.unitemized`). */
function requestRowsAllLayouts(): RequestRowDef[] {
  const rows: RequestRowDef[] = [];
  REQUEST_ROWS.forEach((row, i) => {
    rows.push(row);
    if (row.group && REQUEST_ROWS[i + 1]?.group !== row.group) rows.push(unitemizedRow(row.group));
  });
  return rows;
}

let built: CodebookEntry[] | undefined;

/** Every canonical path, in table order: meta, 表二 (2021 then 2019-only), 表三, 表四, derived sums, narrative. */
export function codebook(): CodebookEntry[] {
  if (built) return built;
  const byPath = new Map<string, CodebookEntry>();
  for (const [path, label, type] of META) byPath.set(path, { path, kind: 'meta', table: '', rowLabel: label, columnLabel: '', type, templates: BOTH });
  for (const [template, rows] of [['2021', ACTIVE_2021], ['2019', ACTIVE_2019]] as const) {
    for (const row of rows) {
      for (const c of row.columns) {
        const path = `active.${row.key}.${c.key}`;
        const seen = byPath.get(path);
        if (seen) seen.templates = BOTH;
        else byPath.set(path, { path, kind: 'cell', table: '表二', rowLabel: `第二十条第${row.article}项 ${row.zh}`, columnLabel: c.zh, type: c.type, templates: [template] });
      }
    }
  }
  for (const row of requestRowsAllLayouts()) {
    // The itemised （六） rows are the 2021 template's; the 2019 template has the one collapsed row.
    const templates: Template[] = row.layout === 'itemized' ? ['2021'] : BOTH;
    for (const c of REQUEST_COLUMNS) {
      const path = `requests.${row.key}.${c.key}`;
      byPath.set(path, { path, kind: 'cell', table: '表三', rowLabel: row.zh, columnLabel: c.zh, type: 'count', templates });
    }
  }
  for (const g of REVIEW_GROUPS) {
    for (const c of REVIEW_COLUMNS) {
      const path = `reviewLitigation.${g.key}.${c.key}`;
      byPath.set(path, { path, kind: 'cell', table: '表四', rowLabel: g.zh, columnLabel: c.zh, type: 'count', templates: BOTH });
    }
  }
  for (const [path, d] of Object.entries(DERIVED_PATHS)) {
    byPath.set(path, { path, kind: 'derived', table: path.startsWith('requests.') ? '表三' : '表四', rowLabel: d.zh, columnLabel: '', type: 'count', templates: BOTH });
  }
  for (const [path, label] of Object.entries(NARRATIVE_PATHS)) {
    byPath.set(path, { path, kind: 'narrative', table: '', rowLabel: label, columnLabel: '', type: 'count', templates: BOTH });
  }
  built = [...byPath.values()];
  return built;
}

/** The codebook entry of a path, or undefined for a path the codebook does not know. */
export function codebookEntry(path: string): CodebookEntry | undefined {
  index ??= new Map(codebook().map((e) => [e.path, e]));
  return index.get(path);
}
let index: Map<string, CodebookEntry> | undefined;

/** The table cells, in the order reports.csv gives them as columns. */
export function cellPaths(): string[] {
  return codebook()
    .filter((e) => e.kind === 'cell')
    .map((e) => e.path);
}
