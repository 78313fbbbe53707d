// The report as a format-neutral document: blocks of text and tables whose cells carry HTML-style
// spans. html.ts and docx.ts both render this, so the three formats cannot drift apart.

export type Columns = Record<string, number>;
export interface Truth {
  meta: { agency: string; year: number; template: string; title: string };
  active: Record<string, Record<string, number>>;
  requests: Record<string, Columns | Record<string, Columns>>;
  reviewLitigation: Record<string, Columns>;
  narrative: { path: string; value: number | number[]; text: string }[];
  notes: string[];
  expect: { errors_at: string[]; warnings_at: string[]; may_warn_at: string[] };
}

export interface TextBlockDef { type: 'paragraph' | 'subheading'; text: string }
export interface SeedText {
  title: string[];
  preface: string[];
  sections: { key: string; heading: string; blocks?: TextBlockDef[] }[];
}

export interface Cell {
  text: string;
  rowSpan?: number;
  colSpan?: number;
  /** header or label cell (bold in DOCX, <th> in HTML) */
  head?: boolean;
  /** a value cell: centred, and the HTML marks it for readers */
  value?: boolean;
}
export interface TableModel {
  id: string;
  /** relative column widths, summed to the text width by the renderers */
  widths: number[];
  headRows: number;
  rows: Cell[][];
}
export type Block =
  | { kind: 'title'; lines: string[] }
  | { kind: 'paragraph'; text: string }
  | { kind: 'heading'; text: string }
  | { kind: 'subheading'; text: string }
  | { kind: 'table'; table: TableModel };
export interface DocModel { title: string; blocks: Block[] }

/** Turns a value into the text a variant prints; `path` lets a variant change one cell. */
export type Display = (value: number, path: string) => string;

/**
 * How the tables are laid out, beyond the official 2021 layout the seed uses (every field optional,
 * the defaults print the seed exactly). The template and the （六）其他处理 layout come from the truth.
 */
export interface Layout {
  /** a row label as printed (typos, line breaks inside the cell with "\n"); `path` is the row's */
  label?: (label: string, path: string) => string;
  /** a header cell as printed (header words split over lines with "\n") */
  header?: (text: string) => string;
  /** 三、本年度办理结果 printed one character a line */
  verticalResults?: boolean;
}

export const APPLICANT_COLUMNS = [
  'naturalPerson', 'commercial', 'research', 'nonprofit', 'legalService', 'otherOrg', 'total',
] as const;

/** The 25 rows of 表三 in document order, with their labels exactly as the seed prints them. */
export interface RequestRow { path: string; group?: string; label: string }
export const REQUEST_ROWS: RequestRow[] = [
  { path: 'received', label: '一、本年新收政府信息公开申请数量' },
  { path: 'carriedOver', label: '二、上年结转政府信息公开申请数量' },
  { path: 'granted', label: '（一）予以公开' },
  { path: 'partiallyGranted', label: '（二）部分公开（区分处理的，只计这一情形，不计其他情形）' },
  ...[
    ['stateSecret', '1.属于国家秘密'],
    ['lawProhibited', '2.其他法律行政法规禁止公开'],
    ['securityStability', '3.危及“三安全一稳定”'],
    ['thirdPartyRights', '4.保护第三方合法权益'],
    ['internalAffairs', '5.属于三类内部事务信息'],
    ['processInfo', '6.属于四类过程性信息'],
    ['enforcementFile', '7.属于行政执法案卷'],
    ['queryMatter', '8.属于行政查询事项'],
  ].map(([k, label]) => ({ path: `withheld.${k}`, group: '（三）不予公开', label })),
  ...[
    ['notHeld', '1.本机关不掌握相关政府信息'],
    ['needsCreation', '2.没有现成信息需要另行制作'],
    ['unclear', '3.补正后申请内容仍不明确'],
  ].map(([k, label]) => ({ path: `unavailable.${k}`, group: '（四）无法提供', label })),
  ...[
    ['complaint', '1.信访举报投诉类申请'],
    ['repeated', '2.重复申请'],
    ['publication', '3.要求提供公开出版物'],
    ['excessive', '4.无正当理由大量反复申请'],
    ['confirmation', '5.要求行政机关确认或重新出具已获取信息'],
  ].map(([k, label]) => ({ path: `rejected.${k}`, group: '（五）不予处理', label })),
  ...[
    ['overdueCorrection', '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请'],
    ['overdueFee', '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请'],
    ['other', '3.其他'],
  ].map(([k, label]) => ({ path: `otherHandling.${k}`, group: '（六）其他处理', label })),
  { path: 'resultsTotal', label: '（七）总计' },
  { path: 'carriedForward', label: '四、结转下年度继续办理' },
];

/** 表三 rows as a report of this truth prints them: the single （六）其他处理 row where the truth has one. */
export function requestRowsOf(truth: Truth): RequestRow[] {
  const unitemized = 'unitemized' in ((truth.requests.otherHandling ?? {}) as object);
  if (!unitemized) return REQUEST_ROWS;
  const rows = REQUEST_ROWS.filter((r) => r.group !== '（六）其他处理');
  rows.splice(rows.findIndex((r) => r.path === 'resultsTotal'), 0, { path: 'otherHandling.unitemized', label: '（六）其他处理' });
  return rows;
}

export function requestCell(truth: Truth, row: string, column: string): number {
  const [a, b] = row.split('.');
  const node = b === undefined ? truth.requests[a] : (truth.requests[a] as Record<string, Columns>)[b];
  const v = (node as Columns | undefined)?.[column];
  if (typeof v !== 'number') throw new Error(`truth lacks requests.${row}.${column}`);
  return v;
}

const head = (text: string, span: Partial<Cell> = {}): Cell => ({ text, head: true, ...span });

function activeTable(t: Truth, show: Display, hd: (text: string) => string, lb: (label: string, path: string) => string): TableModel {
  // Counts of 规章/规范性文件 fill one column each; the single values of the other blocks span three.
  const n = (group: string, key: string, colSpan = 1): Cell => {
    const v = t.active[group]?.[key];
    if (typeof v !== 'number') throw new Error(`truth lacks active.${group}.${key}`);
    return { text: show(v, `active.${group}.${key}`), value: true, colSpan };
  };
  const caption = (text: string): Cell[] => [head(text, { colSpan: 4 })];
  const h = (text: string, span: Partial<Cell> = {}): Cell => head(hd(text), span);
  const label = (text: string, group: string): Cell => head(lb(text, `active.${group}`));
  if (t.meta.template === '2019') return active2019(t, n, caption, h, label);
  const counted = [h('信息内容'), h('本年处理决定数量', { colSpan: 3 })];
  return {
    id: 'active', widths: [3, 2, 2, 2], headRows: 0,
    rows: [
      caption('第二十条第（一）项'),
      [h('信息内容'), h('本年制发件数'), h('本年废止件数'), h('现行有效件数')],
      [label('规章', 'rules'), n('rules', 'issued'), n('rules', 'repealed'), n('rules', 'inForce')],
      [label('行政规范性文件', 'normativeDocs'), n('normativeDocs', 'issued'), n('normativeDocs', 'repealed'), n('normativeDocs', 'inForce')],
      caption('第二十条第（五）项'),
      counted,
      [label('行政许可', 'licensing'), n('licensing', 'decisions', 3)],
      caption('第二十条第（六）项'),
      counted,
      [label('行政处罚', 'penalty'), n('penalty', 'decisions', 3)],
      [label('行政强制', 'coercion'), n('coercion', 'decisions', 3)],
      caption('第二十条第（八）项'),
      [h('信息内容'), h('本年收费金额（单位：万元）', { colSpan: 3 })],
      [label('行政事业性收费', 'fees'), n('fees', 'amount', 3)],
    ],
  };
}

/** 表二 of the 2019 template (国办公开办函〔2019〕60号): five blocks, signed 本年增/减, a （九） block. */
function active2019(
  t: Truth, n: (group: string, key: string, colSpan?: number) => Cell, caption: (text: string) => Cell[],
  h: (text: string, span?: Partial<Cell>) => Cell, label: (text: string, group: string) => Cell,
): TableModel {
  const projects = [h('信息内容'), h('上一年项目数量'), h('本年增/减'), h('处理决定数量')];
  const row3 = (zh: string, g: string): Cell[] => [label(zh, g), n(g, 'previous'), n(g, 'change'), n(g, 'decisions')];
  return {
    id: 'active', widths: [3, 2, 2, 2], headRows: 0,
    rows: [
      caption('第二十条第（一）项'),
      [h('信息内容'), h('本年新制作数量'), h('本年新公开数量'), h('对外公开总数量')],
      [label('规章', 'rules'), n('rules', 'made'), n('rules', 'published'), n('rules', 'totalPublic')],
      [label('规范性文件', 'normativeDocs'), n('normativeDocs', 'made'), n('normativeDocs', 'published'), n('normativeDocs', 'totalPublic')],
      caption('第二十条第（五）项'),
      projects,
      row3('行政许可', 'licensing'),
      row3('其他对外管理服务事项', 'otherServices'),
      caption('第二十条第（六）项'),
      projects,
      row3('行政处罚', 'penalty'),
      row3('行政强制', 'coercion'),
      caption('第二十条第（八）项'),
      [h('信息内容'), h('上一年项目数量'), h('本年增/减', { colSpan: 2 })],
      [label('行政事业性收费', 'fees'), n('fees', 'previous'), n('fees', 'change', 2)],
      caption('第二十条第（九）项'),
      [h('信息内容'), h('采购项目数量'), h('采购总金额', { colSpan: 2 })],
      [label('政府集中采购', 'procurement'), n('procurement', 'projects'), n('procurement', 'amount', 2)],
    ],
  };
}

function requestsTable(t: Truth, show: Display, layout: Layout): TableModel {
  const hd = layout.header ?? ((x: string) => x);
  const lb = layout.label ?? ((x: string) => x);
  const h = (text: string, span: Partial<Cell> = {}): Cell => head(hd(text), span);
  const rows: Cell[][] = [
    [head('（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', { colSpan: 3, rowSpan: 3 }), h('申请人情况', { colSpan: 7 })],
    [h('自然人', { rowSpan: 2 }), h('法人或其他组织', { colSpan: 5 }), h('总计', { rowSpan: 2 })],
    ['商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他'].map((x) => h(x)),
  ];
  const all = requestRowsOf(t);
  const first = all.findIndex((r) => r.path === 'granted');
  const last = all.findIndex((r) => r.path === 'resultsTotal');
  const results = layout.verticalResults ? [...'三、本年度办理结果'].join('\n') : '三、本年度办理结果';
  let lastGroup: string | undefined;
  all.forEach((r, i) => {
    const labels: Cell[] = [];
    // 三、本年度办理结果 opens at the first result row and covers the result rows and （七）总计.
    if (i === first) labels.push(head(results, { rowSpan: last - first + 1 }));
    if (r.group) {
      if (r.group !== lastGroup) labels.push(head(lb(r.group, r.path.split('.')[0]), { rowSpan: all.filter((x) => x.group === r.group).length }));
      labels.push(head(lb(r.label, r.path)));
    } else {
      const inResults = i >= first && i <= last;
      labels.push(head(lb(r.label, r.path), { colSpan: inResults ? 2 : 3 }));
    }
    lastGroup = r.group;
    const values = APPLICANT_COLUMNS.map((c): Cell => ({ text: show(requestCell(t, r.path, c), `requests.${r.path}.${c}`), value: true }));
    rows.push([...labels, ...values]);
  });
  return { id: 'requests', widths: [1.7, 2, 5.4, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5], headRows: 3, rows };
}

const RESULT_HEADS = ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计'];
const RESULT_KEYS = ['upheld', 'corrected', 'other', 'pending', 'total'];

function reviewTable(t: Truth, show: Display, hd: (text: string) => string): TableModel {
  const values: Cell[] = [];
  for (const g of ['review', 'suitDirect', 'suitAfterReview']) {
    for (const k of RESULT_KEYS) {
      const v = t.reviewLitigation[g]?.[k];
      if (typeof v !== 'number') throw new Error(`truth lacks reviewLitigation.${g}.${k}`);
      values.push({ text: show(v, `reviewLitigation.${g}.${k}`), value: true });
    }
  }
  const h = (text: string, span: Partial<Cell> = {}): Cell => head(hd(text), span);
  return {
    id: 'reviewLitigation', widths: Array(15).fill(1), headRows: 3,
    rows: [
      [h('行政复议', { colSpan: 5 }), h('行政诉讼', { colSpan: 10 })],
      [...RESULT_HEADS.map((x) => h(x, { rowSpan: 2 })), h('未经复议直接起诉', { colSpan: 5 }), h('复议后起诉', { colSpan: 5 })],
      [...RESULT_HEADS, ...RESULT_HEADS].map((x) => h(x)),
      values,
    ],
  };
}

export function buildDocument(truth: Truth, text: SeedText, show: Display, layout: Layout = {}): DocModel {
  const blocks: Block[] = [{ kind: 'title', lines: text.title }];
  for (const p of text.preface) blocks.push({ kind: 'paragraph', text: p });
  const hd = layout.header ?? ((x: string) => x);
  const tables: Record<string, TableModel> = {
    active: activeTable(truth, show, hd, layout.label ?? ((x: string) => x)),
    requests: requestsTable(truth, show, layout),
    reviewLitigation: reviewTable(truth, show, hd),
  };
  for (const s of text.sections) {
    blocks.push({ kind: 'heading', text: s.heading });
    for (const b of s.blocks ?? []) blocks.push({ kind: b.type, text: b.text });
    const table = tables[s.key];
    if (table) blocks.push({ kind: 'table', table });
  }
  return { title: truth.meta.title, blocks };
}
