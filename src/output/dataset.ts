/**
 * The researcher's outputs: values.csv, reports.csv, findings.csv, codebook.csv, reports.jsonl, one
 * JSON per document under reports/, and datapackage.json describing them (Frictionless Data Package).
 */
import { createHash, type Hash } from 'node:crypto';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ReportJson, type Report } from '../report/schema.ts';
import { csvRows } from './csv.ts';
import { AtomicFile, reportFileName } from './files.ts';
import { reportJson } from './json.ts';
import { CodebookRow, codebookRows, FindingsRow, findingsRows, ReportsRow, reportsRow, ValuesRow, valuesRows } from './rows.ts';
import { columns, type TableSchema, tableSchema } from './tableSchema.ts';
import type { OutputOptions, OutputWriter } from './writer.ts';

/** A file whose size and SHA-256 are known when it is closed, for the package's `bytes` and `hash`. */
class HashedFile {
  readonly file: AtomicFile;
  readonly #hash: Hash = createHash('sha256');
  bytes = 0;

  constructor(path: string) {
    this.file = new AtomicFile(path);
  }

  write(text: string): void {
    const data = Buffer.from(text, 'utf8');
    this.file.write(data);
    this.#hash.update(data);
    this.bytes += data.length;
  }

  close(): { bytes: number; hash: string } {
    this.file.close();
    return { bytes: this.bytes, hash: `sha256:${this.#hash.digest('hex')}` };
  }
}

/** A CSV of one row schema: BOM, header, CRLF, cells guarded against formulas. */
class CsvTable {
  readonly out: HashedFile;
  readonly columns: string[];

  constructor(path: string, row: z.ZodObject) {
    this.out = new HashedFile(path);
    this.columns = columns(row);
    this.out.write(csvRows([], this.columns));
  }

  add(rows: Record<string, unknown>[]): void {
    if (rows.length) this.out.write(csvRows(rows.map((r) => this.columns.map((c) => r[c] ?? ''))));
  }
}

interface TableResource {
  name: string;
  file: string;
  title: string;
  description: string;
  row: z.ZodObject;
  keys: Pick<TableSchema, 'primaryKey' | 'foreignKeys'>;
}

const toReports = (field: string) => ({ fields: [field], reference: { resource: 'reports', fields: ['document'] } });

function tables(): TableResource[] {
  return [
    { name: 'reports', file: 'reports.csv', title: '报告', description: 'One report a row: its source, meta, counts of findings by severity, and every table cell (codebook.csv) as a column.', row: ReportsRow(), keys: { primaryKey: ['document'] } },
    {
      name: 'values',
      file: 'values.csv',
      title: '数值',
      description: 'One value a row, with its Chinese labels, the text as published and where it is.',
      row: ValuesRow,
      keys: { primaryKey: ['document', 'path'], foreignKeys: [toReports('document'), { fields: ['path'], reference: { resource: 'codebook', fields: ['path'] } }] },
    },
    { name: 'findings', file: 'findings.csv', title: '问题', description: 'One finding a row: every arithmetic inconsistency, within a report, between its sections and across years.', row: FindingsRow, keys: { primaryKey: ['document', 'seq'], foreignKeys: [toReports('document')] } },
    { name: 'codebook', file: 'codebook.csv', title: '代码表', description: 'Every canonical path: its table, Chinese labels, type and the template years it occurs in.', row: CodebookRow, keys: { primaryKey: ['path'] } },
  ];
}

const DIALECT = { delimiter: ',', lineTerminator: '\r\n', quoteChar: '"', doubleQuote: true, header: true };

export class DatasetWriter implements OutputWriter {
  readonly #options: OutputOptions;
  readonly #tables: TableResource[] = tables();
  readonly #csv: Map<string, CsvTable>;
  readonly #jsonl: HashedFile;
  readonly #documents: AtomicFile[] = [];
  readonly #meta: AtomicFile[] = [];
  readonly #names = new Set<string>();

  constructor(options: OutputOptions) {
    this.#options = options;
    this.#csv = new Map(this.#tables.map((t) => [t.name, new CsvTable(join(options.dir, t.file), t.row)]));
    this.#jsonl = new HashedFile(join(options.dir, 'reports.jsonl'));
  }

  add(r: Report): void {
    const json = reportJson(r);
    // The same bytes under the same name in two folders: the second gets a number, in batch order.
    let name = reportFileName(r.source.path, r.source.sha256);
    for (let n = 2; this.#names.has(name); n++) name = reportFileName(r.source.path, r.source.sha256).replace(/\.json$/, `-${n}.json`);
    this.#names.add(name);
    const file = new AtomicFile(join(this.#options.dir, 'reports', name));
    file.write(JSON.stringify(json, null, 2) + '\n');
    file.close();
    this.#documents.push(file);
    this.#jsonl.write(JSON.stringify(json) + '\n');
    this.#csv.get('reports')!.add([reportsRow(r)]);
    this.#csv.get('values')!.add(valuesRows(r));
    this.#csv.get('findings')!.add(findingsRows(r));
  }

  async finish(): Promise<void> {
    this.#csv.get('codebook')!.add(codebookRows());
    const resources: Record<string, unknown>[] = this.#tables.map((t) => ({
      name: t.name,
      path: t.file,
      title: t.title,
      description: t.description,
      profile: 'tabular-data-resource',
      format: 'csv',
      mediatype: 'text/csv',
      encoding: 'utf-8',
      ...this.#csv.get(t.name)!.out.close(),
      dialect: DIALECT,
      schema: tableSchema(t.row, t.keys),
    }));
    resources.push({
      name: 'reports-jsonl',
      path: 'reports.jsonl',
      title: '完整报告',
      description: 'One full report a line (the `ogi audit --json` report: values nested by table, provenance of every cell, narrative claims, findings, errors); its JSON Schema is report.schema.json.',
      profile: 'data-resource',
      format: 'jsonl',
      mediatype: 'application/x-ndjson',
      encoding: 'utf-8',
      ...this.#jsonl.close(),
      jsonSchema: 'report.schema.json',
    });
    const pkg = {
      profile: 'data-package',
      name: 'ogi-audit-export',
      title: '政府信息公开工作年度报告 审核数据',
      description: 'Values, findings and reports read from annual reports on government information disclosure by ogi-audit. The CSV files are UTF-8 with a byte order mark and CRLF line ends, so Excel opens them as Chinese; a text cell that would start a formula carries a leading apostrophe.',
      keywords: ['政府信息公开', '年度报告', 'government information disclosure', 'audit'],
      sources: [{ title: `${this.#options.tool.name} ${this.#options.tool.version}` }],
      resources,
    };
    this.#meta.push(textFile(join(this.#options.dir, 'datapackage.json'), JSON.stringify(pkg, null, 2) + '\n'));
    this.#meta.push(textFile(join(this.#options.dir, 'report.schema.json'), JSON.stringify(z.toJSONSchema(ReportJson, { unrepresentable: 'any' }), null, 2) + '\n'));
  }

  commit(): void {
    const written = new Set(this.#documents.map((f) => f.path));
    for (const f of this.#documents) f.commit();
    // The reports/ folder is this batch's: JSON files an earlier batch left there are removed.
    const folder = join(this.#options.dir, 'reports');
    for (const name of existsSync(folder) ? readdirSync(folder, { withFileTypes: true }) : []) {
      if (name.isFile() && /\.[0-9a-f]{10}(-\d+)?\.json$/.test(name.name) && !written.has(join(folder, name.name))) rmSync(join(folder, name.name), { force: true });
    }
    for (const t of this.#csv.values()) t.out.file.commit();
    this.#jsonl.file.commit();
    for (const f of this.#meta) f.commit();
  }

  abort(): void {
    for (const f of [...this.#documents, ...[...this.#csv.values()].map((t) => t.out.file), this.#jsonl.file, ...this.#meta]) f.abort();
  }
}

function textFile(path: string, text: string): AtomicFile {
  const f = new AtomicFile(path);
  f.write(text);
  f.close();
  return f;
}
