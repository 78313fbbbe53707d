/**
 * DocumentModel → Report: finds the three tables by their labels, reads every value explicitly,
 * detects the template from the labels (never from the year alone), and reads the narrative.
 */
import type { DocumentModel, TableBlock } from '../extract/model.ts';
import { DocumentError } from '../errors.ts';
import { requestRowsFor, REQUEST_COLUMNS, type Template } from '../report/paths.ts';
import type { Report, Source, ValueCell } from '../report/schema.ts';
import { findActive, readActive } from './active.ts';
import { missing } from './grid.ts';
import { readMeta } from './meta.ts';
import { readClaims } from './narrative.ts';
import { readRequests } from './requests.ts';
import { readReview } from './review.ts';
import { labelKey } from './text.ts';

/** Pre-2019 reports carry local 统计表 (指标名称 / 计量单位 / 本年 / 历年累计), not the national tables. */
function looksPre2019(model: DocumentModel, year: number | undefined): boolean {
  if (year !== undefined && year < 2019) return true;
  return model.blocks.some(
    (b) => b.kind === 'table' && b.grid.slice(0, 3).some((row) => row.some((c) => /指标名称|计量单位|历年累计/.test(labelKey(c.text)))),
  );
}

export function normalize(model: DocumentModel, source: Source): Report {
  const tables = model.blocks.filter((b): b is TableBlock => b.kind === 'table');
  const meta = readMeta(model);
  const requests = readRequests(tables);
  const active = findActive(tables);
  const review = readReview(tables);
  const found = requests.rows.length > 0 || active.hits.size > 0 || review.table !== undefined;
  if (!found || requests.rows.length === 0) {
    if (looksPre2019(model, meta.year)) {
      throw new DocumentError('unsupported-template', `a report${meta.year ? ` for ${meta.year}` : ''} without the 2019/2021 national tables (pre-2019 reports are out of scope)`);
    }
    if (!found) throw new DocumentError('no-report-tables', `none of the report tables (表二, 表三, 表四) were found among ${tables.length} table(s)`);
  }
  const template: Template =
    active.votes['2019'] > active.votes['2021'] ? '2019' : active.votes['2021'] > active.votes['2019'] ? '2021' : requests.otherHandling === 'unitemized' ? '2019' : '2021';
  meta.template = template;
  const otherHandling = requests.otherHandling ?? (template === '2019' ? 'unitemized' : 'itemized');
  meta.otherHandling = otherHandling;

  const values: Record<string, ValueCell> = { ...readActive(active, template) };
  for (const row of requestRowsFor(otherHandling)) {
    for (const col of REQUEST_COLUMNS) {
      const path = `requests.${row.key}.${col.key}`;
      values[path] = requests.values[path] ?? missing();
    }
  }
  // A group given as one row (e.g. withheld.unitemized in a 2021 report): its itemised rows are
  // absent, not zero.
  for (const [path, v] of Object.entries(requests.values)) values[path] ??= v;
  for (const key of requests.rows.filter((k) => k.endsWith('.unitemized'))) {
    const group = key.split('.')[0];
    for (const path of Object.keys(values)) {
      if (path.startsWith(`requests.${group}.`) && !path.startsWith(`requests.${key}.`) && values[path].kind === 'missing') delete values[path];
    }
  }
  Object.assign(values, review.values);

  return {
    source: { ...source, ...(model.pageCount !== undefined ? { pages: model.pageCount } : {}) },
    meta,
    values,
    narrative: readClaims(model, template),
    findings: [],
    errors: [],
  };
}
