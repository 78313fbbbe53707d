/**
 * Label tables: how the rows and columns of the three report tables are recognised in the wild
 * (line breaks inside labels, typos such as 其他法律行政止公开, 规范性文件 without 行政, renumbered
 * items). Patterns run on `labelKey` text. A new template year is a new table here.
 */
import type { RequestGroup, Template } from '../report/paths.ts';

export const GROUP_PATTERNS: [RequestGroup, RegExp][] = [
  ['withheld', /不予公开/],
  ['unavailable', /无法提供/],
  ['rejected', /不予处理/],
  ['otherHandling', /其他处理|其它处理/],
];

/** 表三 rows outside the groups, tested in this order (结转下年 before 上年结转). */
export const TOP_ROW_PATTERNS: [string, RegExp][] = [
  ['carriedForward', /结转下一?年|转下一?年度|下一?年度继续办理|转入下一?年/],
  ['received', /本年新收|新收.*申请|本年度新收|本年度?(?:收到|受理)/],
  ['carriedOver', /上一?年度?结转|往年结转/],
  ['resultsTotal', /^(\(七\))?(总计|合计)$|\(七\)(总计|合计)|^七[、.]?(总计|合计)$/],
  ['granted', /予以公开|同意公开/],
  ['partiallyGranted', /部分公开/],
];

/** Leaf rows inside each group; the numbers before them are not trusted (renumbered items). */
export const LEAF_PATTERNS: Record<RequestGroup, [string, RegExp][]> = {
  withheld: [
    ['stateSecret', /国家秘密/],
    ['lawProhibited', /法律行政|行政法规|法规禁止|禁止公开/],
    ['securityStability', /三安全|一稳定|危及/],
    ['thirdPartyRights', /第三方/],
    ['internalAffairs', /内部事务/],
    ['processInfo', /过程性/],
    ['enforcementFile', /执法案卷/],
    ['queryMatter', /查询事项/],
  ],
  unavailable: [
    ['notHeld', /不掌握/],
    ['needsCreation', /另行制作|没有现成/],
    ['unclear', /不明确|补正后/],
  ],
  rejected: [
    ['complaint', /信访|举报|投诉/],
    ['repeated', /重复申请/],
    ['publication', /出版物/],
    ['excessive', /大量反复|反复申请/],
    ['confirmation', /确认|重新出具/],
  ],
  otherHandling: [
    ['overdueCorrection', /不补正|逾期不补/],
    ['overdueFee', /收费|缴纳|费用/],
    ['other', /^(\d+\.?)?其他$|^(\d+\.?)?其它$|^3\.其他/],
  ],
};

/** 表三 column headers. `其他` must be the whole header (法人或其他组织 contains it). */
export const REQUEST_COLUMN_PATTERNS: [string, RegExp][] = [
  ['naturalPerson', /^自然人$/],
  ['commercial', /^商业企业$/],
  ['research', /^科研机构$/],
  ['nonprofit', /^社会公益组织$/],
  ['legalService', /^法律服务机构$/],
  ['otherOrg', /^其他$|^其它$|^其他组织$/],
  ['total', /^总计$|^合计$/],
];

/** 表二 row labels (the 信息内容 column); the label must be essentially the whole cell. */
export const ACTIVE_ROW_PATTERNS: [string, RegExp][] = [
  ['rules', /^(地方)?(政府)?规章$|^部门规章$/],
  ['normativeDocs', /^(行政)?规范性文件$/],
  ['licensing', /^行政许可$/],
  ['otherServices', /^其他对外管理服务事项$|^其他对外管理服务$/],
  ['penalty', /^行政处罚$/],
  ['coercion', /^行政强制$/],
  ['fees', /^行政事业性收费$/],
  ['procurement', /^政府集中采购$/],
];

/** 表二 header words that tell the template apart. */
export const TEMPLATE_MARKERS: [Template, RegExp][] = [
  ['2021', /本年制发件数|本年废止件数|现行有效件数|本年收费金额/],
  ['2019', /本年新制作数量|本年新公开数量|对外公开总数量|上一年项目数量|本年增\/?减|采购项目数量|采购总金额|第二十条第\(九\)项/],
];

/** 表四 column headers in the official order. */
export const REVIEW_COLUMN_PATTERNS: [string, RegExp][] = [
  ['upheld', /结果维持|^维持$/],
  ['corrected', /结果纠正|^纠正$/],
  ['other', /其他结果|其它结果/],
  ['pending', /尚未审结|未审结/],
  ['total', /^总计$|^合计$/],
];

export function matchFirst<K extends string>(patterns: [K, RegExp][], key: string): K | undefined {
  for (const [k, re] of patterns) if (re.test(key)) return k;
  return undefined;
}
