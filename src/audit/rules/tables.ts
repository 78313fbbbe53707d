/** H1–H4 (errors), blanks that leave them open (a warning per table), blanks read as 0 (info). */
import { REQUEST_COLUMNS, REVIEW_COLUMNS } from '../../report/paths.ts';
import type { Finding, Report } from '../../report/schema.ts';
import { judge, relations, type Relation } from '../relations.ts';
import { finding, type Rule } from '../rule.ts';

function relationRule(id: string, relation: Relation['relation'], zh: string, en: string, category: Rule['category']): Rule {
  const rule: Rule = {
    id,
    relation,
    zh,
    en,
    severity: 'error',
    category,
    check(report) {
      const out: Finding[] = [];
      for (const rel of relations(report)) {
        if (rel.relation !== relation) continue;
        const v = judge(report, rel);
        if (v.kind !== 'fails') continue;
        out.push(
          finding(report, rule, {
            message: `${rel.zh}；实际 ${fmt(v.parts)} ≠ ${fmt(v.totals)}（相差 ${fmt(v.totals - v.parts)}）`,
            paths: [...rel.totals, ...rel.parts],
            expected: v.parts,
            actual: v.totals,
          }),
        );
      }
      return out;
    },
  };
  return rule;
}

export const fmt = (n: number) => (Number.isInteger(n) ? String(n) : String(Math.round(n * 1e6) / 1e6));

export const columnBalance = relationRule(
  'requests.columnBalance',
  'H1',
  '表三 每列：本年新收 + 上年结转 = 办理结果总计 + 结转下年度',
  '表三, each column: received + carried over = results total + carried forward',
  'balance',
);
export const resultsSum = relationRule(
  'requests.resultsSum',
  'H2',
  '表三 每列：各项办理结果之和 = （七）总计',
  '表三, each column: the leaf result rows sum to （七）总计',
  'column-total',
);
export const rowTotal = relationRule(
  'requests.rowTotal',
  'H3',
  '表三 每行：六类申请人之和 = 总计',
  '表三, each row: the six applicant columns sum to 总计',
  'row-sum',
);
export const groupSum = relationRule(
  'reviewLitigation.groupSum',
  'H4',
  '表四 每组：维持 + 纠正 + 其他 + 尚未审结 = 总计',
  '表四, each group: upheld + corrected + other + pending = total',
  'row-sum',
);

const orderOf = (report: Report, p: string) => {
  const v = report.values[p];
  return (v?.table ?? 0) * 1e6 + (v?.row ?? 0) * 1e3 + (v?.col ?? 0);
};

function columnName(path: string): string {
  const key = path.split('.').pop()!;
  return (REQUEST_COLUMNS.find((c) => c.key === key) ?? REVIEW_COLUMNS.find((c) => c.key === key))?.zh ?? key;
}

export const incomplete: Rule = {
  id: 'tables.incomplete',
  zh: '空白单元格使等式不成立，但填入数字即可成立：报告未填写完整',
  en: 'blank cells leave a relation open: incomplete rather than inconsistent (once per table)',
  severity: 'warning',
  category: 'completeness',
  check(report) {
    const byTable = new Map<string, { rels: Relation[]; blanks: Set<string> }>();
    for (const rel of relations(report)) {
      const v = judge(report, rel);
      if (v.kind !== 'incomplete') continue;
      const t = byTable.get(rel.table) ?? { rels: [], blanks: new Set<string>() };
      t.rels.push(rel);
      v.blanks.forEach((b) => t.blanks.add(b));
      byTable.set(rel.table, t);
    }
    return [...byTable].map(([table, { rels, blanks }]) => {
      const paths = [...blanks].sort((a, b) => orderOf(report, a) - orderOf(report, b));
      const columns = new Map<string, number>();
      for (const p of paths) columns.set(columnName(p), (columns.get(columnName(p)) ?? 0) + 1);
      const where = [...columns].map(([c, n]) => `${c}列 ${n} 格未填写`).join('，');
      return finding(report, incomplete, {
        message: `${table} ${where}：${rels.length} 处等式按 0 计不成立（如 ${rels[0].zh}），填入数字即可成立，报告未填写完整`,
        paths,
      });
    });
  },
};

export const blankAsZero: Rule = {
  id: 'values.blankAsZero',
  zh: '空白、“-”、“/”或“无”按 0 计',
  en: 'blank, dash, slash or 无 cells read as 0',
  severity: 'info',
  category: 'value',
  check(report) {
    const byTable = new Map<string, string[]>();
    for (const [path, v] of Object.entries(report.values)) {
      if (v.kind !== 'blank' && v.kind !== 'dash' && v.kind !== 'slash' && v.kind !== 'none') continue;
      const table = path.startsWith('active.') ? '表二' : path.startsWith('requests.') ? '表三' : '表四';
      byTable.set(table, [...(byTable.get(table) ?? []), path]);
    }
    return [...byTable].map(([table, paths]) => {
      const kinds = new Set(paths.map((p) => report.values[p].kind));
      return finding(report, blankAsZero, {
        message: `${table} 有 ${paths.length} 个单元格未写数字（${[...kinds].join('/')}），按 0 计`,
        paths,
      });
    });
  },
};
