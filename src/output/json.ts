/** The JSON contract of `ogi audit --json` (schema.md): nested values, provenance beside them. */
import type { Report, ReportJson } from '../report/schema.ts';

function setPath(root: Record<string, unknown>, path: string[], value: number | null): void {
  let node = root;
  for (const key of path.slice(0, -1)) {
    const next = (node[key] ??= {}) as Record<string, unknown>;
    node = next;
  }
  node[path[path.length - 1]] = value;
}

export function reportJson(report: Report): ReportJson {
  const tables: Record<string, Record<string, unknown>> = { active: {}, requests: {}, reviewLitigation: {} };
  const cells: ReportJson['cells'] = {};
  for (const [path, v] of Object.entries(report.values)) {
    const [table, ...rest] = path.split('.');
    if (!tables[table]) continue;
    setPath(tables[table], rest, v.value);
    const { value: _value, ...provenance } = v;
    cells[path] = provenance;
  }
  return {
    source: report.source,
    meta: report.meta,
    active: tables.active,
    requests: tables.requests,
    reviewLitigation: tables.reviewLitigation,
    narrative: report.narrative,
    findings: report.findings,
    errors: report.errors,
    cells,
  } as ReportJson;
}

/**
 * The JSON document of `ogi audit --json`, written a report at a time: the same bytes as
 * `JSON.stringify({ tool, reports }, null, 2)` without holding every report at once.
 */
export class JsonDocumentWriter {
  readonly #write: (text: string) => void;
  #count = 0;

  constructor(tool: { name: 'ogi-audit'; version: string }, write: (text: string) => void) {
    this.#write = write;
    this.#write(`{\n  "tool": ${indent(JSON.stringify(tool, null, 2), '  ')},\n  "reports": [`);
  }

  add(report: Report): void {
    this.#write(`${this.#count++ ? ',' : ''}\n    ${indent(JSON.stringify(reportJson(report), null, 2), '    ')}`);
  }

  end(): void {
    this.#write(this.#count ? '\n  ]\n}\n' : ']\n}\n');
  }
}

const indent = (json: string, by: string): string => json.replaceAll('\n', `\n${by}`);
