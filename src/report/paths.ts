/**
 * The canonical paths of every value (../shared/spec/schema.md): a contract shared by normalize,
 * audit and every output. Add to these tables; never rename a key.
 */

export type Template = '2021' | '2019';

export interface ColumnDef {
  key: string;
  zh: string;
}

/** 表三 columns (申请人情况), the same for every row. */
export const REQUEST_COLUMNS = [
  { key: 'naturalPerson', zh: '自然人' },
  { key: 'commercial', zh: '商业企业' },
  { key: 'research', zh: '科研机构' },
  { key: 'nonprofit', zh: '社会公益组织' },
  { key: 'legalService', zh: '法律服务机构' },
  { key: 'otherOrg', zh: '其他' },
  { key: 'total', zh: '总计' },
] as const satisfies readonly ColumnDef[];
export type RequestColumn = (typeof REQUEST_COLUMNS)[number]['key'];
export const APPLICANT_COLUMNS = REQUEST_COLUMNS.filter((c) => c.key !== 'total').map((c) => c.key);

export type RequestGroup = 'withheld' | 'unavailable' | 'rejected' | 'otherHandling';

export interface RequestRowDef {
  /** Path below `requests.`, e.g. `withheld.stateSecret`. */
  key: string;
  zh: string;
  group?: RequestGroup;
  /** A leaf result row: （七）总计 is the sum of these (H2). */
  leaf?: boolean;
  /** Only in some layouts: the 2021 itemised 其他处理 rows, or the collapsed group row. */
  layout?: 'itemized' | 'unitemized';
}

export const REQUEST_GROUPS: { key: RequestGroup; zh: string }[] = [
  { key: 'withheld', zh: '（三）不予公开' },
  { key: 'unavailable', zh: '（四）无法提供' },
  { key: 'rejected', zh: '（五）不予处理' },
  { key: 'otherHandling', zh: '（六）其他处理' },
];

/** 表三 rows in table order. */
export const REQUEST_ROWS: RequestRowDef[] = [
  { key: 'received', zh: '一、本年新收政府信息公开申请数量' },
  { key: 'carriedOver', zh: '二、上年结转政府信息公开申请数量' },
  { key: 'granted', zh: '（一）予以公开', leaf: true },
  { key: 'partiallyGranted', zh: '（二）部分公开', leaf: true },
  { key: 'withheld.stateSecret', zh: '（三）不予公开 1.属于国家秘密', group: 'withheld', leaf: true },
  { key: 'withheld.lawProhibited', zh: '（三）不予公开 2.其他法律行政法规禁止公开', group: 'withheld', leaf: true },
  { key: 'withheld.securityStability', zh: '（三）不予公开 3.危及“三安全一稳定”', group: 'withheld', leaf: true },
  { key: 'withheld.thirdPartyRights', zh: '（三）不予公开 4.保护第三方合法权益', group: 'withheld', leaf: true },
  { key: 'withheld.internalAffairs', zh: '（三）不予公开 5.属于三类内部事务信息', group: 'withheld', leaf: true },
  { key: 'withheld.processInfo', zh: '（三）不予公开 6.属于四类过程性信息', group: 'withheld', leaf: true },
  { key: 'withheld.enforcementFile', zh: '（三）不予公开 7.属于行政执法案卷', group: 'withheld', leaf: true },
  { key: 'withheld.queryMatter', zh: '（三）不予公开 8.属于行政查询事项', group: 'withheld', leaf: true },
  { key: 'unavailable.notHeld', zh: '（四）无法提供 1.本机关不掌握相关政府信息', group: 'unavailable', leaf: true },
  { key: 'unavailable.needsCreation', zh: '（四）无法提供 2.没有现成信息需要另行制作', group: 'unavailable', leaf: true },
  { key: 'unavailable.unclear', zh: '（四）无法提供 3.补正后申请内容仍不明确', group: 'unavailable', leaf: true },
  { key: 'rejected.complaint', zh: '（五）不予处理 1.信访举报投诉类申请', group: 'rejected', leaf: true },
  { key: 'rejected.repeated', zh: '（五）不予处理 2.重复申请', group: 'rejected', leaf: true },
  { key: 'rejected.publication', zh: '（五）不予处理 3.要求提供公开出版物', group: 'rejected', leaf: true },
  { key: 'rejected.excessive', zh: '（五）不予处理 4.无正当理由大量反复申请', group: 'rejected', leaf: true },
  { key: 'rejected.confirmation', zh: '（五）不予处理 5.要求行政机关确认或重新出具已获取信息', group: 'rejected', leaf: true },
  { key: 'otherHandling.overdueCorrection', zh: '（六）其他处理 1.申请人逾期不补正', group: 'otherHandling', leaf: true, layout: 'itemized' },
  { key: 'otherHandling.overdueFee', zh: '（六）其他处理 2.申请人逾期未缴纳费用', group: 'otherHandling', leaf: true, layout: 'itemized' },
  { key: 'otherHandling.other', zh: '（六）其他处理 3.其他', group: 'otherHandling', leaf: true, layout: 'itemized' },
  { key: 'resultsTotal', zh: '（七）总计' },
  { key: 'carriedForward', zh: '四、结转下年度继续办理' },
];

/** Where a report gives a whole group as one row, its values go to `<group>.unitemized`. */
export function unitemizedRow(group: RequestGroup): RequestRowDef {
  const g = REQUEST_GROUPS.find((x) => x.key === group)!;
  return { key: `${group}.unitemized`, zh: g.zh, group, leaf: true, layout: 'unitemized' };
}

/** 表四. */
export const REVIEW_GROUPS = [
  { key: 'review', zh: '行政复议' },
  { key: 'suitDirect', zh: '行政诉讼 未经复议直接起诉' },
  { key: 'suitAfterReview', zh: '行政诉讼 复议后起诉' },
] as const satisfies readonly ColumnDef[];
export const REVIEW_COLUMNS = [
  { key: 'upheld', zh: '结果维持' },
  { key: 'corrected', zh: '结果纠正' },
  { key: 'other', zh: '其他结果' },
  { key: 'pending', zh: '尚未审结' },
  { key: 'total', zh: '总计' },
] as const satisfies readonly ColumnDef[];

export type ValueType = 'count' | 'signedCount' | 'amount';

export interface ActiveRowDef {
  /** Path below `active.`, e.g. `rules`. */
  key: string;
  zh: string;
  /** Caption of its block: 第二十条第（一）项 … */
  article: string;
  columns: { key: string; zh: string; type: ValueType }[];
}

const count = (key: string, zh: string) => ({ key, zh, type: 'count' as const });

/** 表二, 2021 template. */
export const ACTIVE_2021: ActiveRowDef[] = [
  { key: 'rules', zh: '规章', article: '（一）', columns: [count('issued', '本年制发件数'), count('repealed', '本年废止件数'), count('inForce', '现行有效件数')] },
  { key: 'normativeDocs', zh: '行政规范性文件', article: '（一）', columns: [count('issued', '本年制发件数'), count('repealed', '本年废止件数'), count('inForce', '现行有效件数')] },
  { key: 'licensing', zh: '行政许可', article: '（五）', columns: [count('decisions', '本年处理决定数量')] },
  { key: 'penalty', zh: '行政处罚', article: '（六）', columns: [count('decisions', '本年处理决定数量')] },
  { key: 'coercion', zh: '行政强制', article: '（六）', columns: [count('decisions', '本年处理决定数量')] },
  { key: 'fees', zh: '行政事业性收费', article: '（八）', columns: [{ key: 'amount', zh: '本年收费金额（万元）', type: 'amount' }] },
];

const projects2019 = [count('previous', '上一年项目数量'), { key: 'change', zh: '本年增/减', type: 'signedCount' as const }, count('decisions', '处理决定数量')];

/** 表二, 2019 template. */
export const ACTIVE_2019: ActiveRowDef[] = [
  { key: 'rules', zh: '规章', article: '（一）', columns: [count('made', '本年新制作数量'), count('published', '本年新公开数量'), count('totalPublic', '对外公开总数量')] },
  { key: 'normativeDocs', zh: '规范性文件', article: '（一）', columns: [count('made', '本年新制作数量'), count('published', '本年新公开数量'), count('totalPublic', '对外公开总数量')] },
  { key: 'licensing', zh: '行政许可', article: '（五）', columns: projects2019 },
  { key: 'otherServices', zh: '其他对外管理服务事项', article: '（五）', columns: projects2019 },
  { key: 'penalty', zh: '行政处罚', article: '（六）', columns: projects2019 },
  { key: 'coercion', zh: '行政强制', article: '（六）', columns: projects2019 },
  { key: 'fees', zh: '行政事业性收费', article: '（八）', columns: projects2019.slice(0, 2) },
  { key: 'procurement', zh: '政府集中采购', article: '（九）', columns: [count('projects', '采购项目数量'), { key: 'amount', zh: '采购总金额（万元）', type: 'amount' }] },
];

export function activeRows(template: Template): ActiveRowDef[] {
  return template === '2019' ? ACTIVE_2019 : ACTIVE_2021;
}

export interface PathInfo {
  path: string;
  table: '表二' | '表三' | '表四';
  rowZh: string;
  columnZh: string;
  type: ValueType;
}

/** Every canonical cell path of a template, in table order, with its Chinese labels. */
export function templatePaths(template: Template, otherHandling: 'itemized' | 'unitemized' = template === '2019' ? 'unitemized' : 'itemized'): PathInfo[] {
  const out: PathInfo[] = [];
  for (const row of activeRows(template)) {
    for (const c of row.columns) out.push({ path: `active.${row.key}.${c.key}`, table: '表二', rowZh: row.zh, columnZh: c.zh, type: c.type });
  }
  for (const row of requestRowsFor(otherHandling)) {
    for (const c of REQUEST_COLUMNS) out.push({ path: `requests.${row.key}.${c.key}`, table: '表三', rowZh: row.zh, columnZh: c.zh, type: 'count' });
  }
  for (const g of REVIEW_GROUPS) {
    for (const c of REVIEW_COLUMNS) out.push({ path: `reviewLitigation.${g.key}.${c.key}`, table: '表四', rowZh: g.zh, columnZh: c.zh, type: 'count' });
  }
  return out;
}

/** 表三 rows for a layout of the （六）其他处理 group. */
export function requestRowsFor(otherHandling: 'itemized' | 'unitemized'): RequestRowDef[] {
  const rows: RequestRowDef[] = [];
  for (const r of REQUEST_ROWS) {
    if (r.group === 'otherHandling') {
      if (otherHandling === 'unitemized') {
        if (r.key === 'otherHandling.overdueCorrection') rows.push(unitemizedRow('otherHandling'));
        continue;
      }
    }
    rows.push(r);
  }
  return rows;
}

/**
 * Sums with no cell of their own that narratives speak of (不予公开35件 is the withheld group's
 * total). A derived path names the cells it adds up; findings about it name those cells.
 */
export const DERIVED_PATHS: Record<string, { zh: string; of: (present: (p: string) => boolean) => string[] }> = {};
for (const g of REQUEST_GROUPS) {
  DERIVED_PATHS[`requests.${g.key}.total`] = {
    zh: `${g.zh} 合计`,
    of: (present) =>
      [...REQUEST_ROWS.filter((r) => r.group === g.key).map((r) => r.key), `${g.key}.unitemized`]
        .map((k) => `requests.${k}.total`)
        .filter(present),
  };
}
DERIVED_PATHS['requests.disclosed.total'] = { zh: '予以公开及部分公开', of: () => ['requests.granted.total', 'requests.partiallyGranted.total'] };
for (const c of REVIEW_COLUMNS) {
  DERIVED_PATHS[`reviewLitigation.suit.${c.key}`] = { zh: `行政诉讼 ${c.zh}`, of: () => [`reviewLitigation.suitDirect.${c.key}`, `reviewLitigation.suitAfterReview.${c.key}`] };
  DERIVED_PATHS[`reviewLitigation.all.${c.key}`] = {
    zh: `行政复议和行政诉讼 ${c.zh}`,
    of: () => REVIEW_GROUPS.map((g) => `reviewLitigation.${g.key}.${c.key}`),
  };
}
