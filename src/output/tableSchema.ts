/**
 * Frictionless Table Schemas generated from the zod row schemas, so the published types are the
 * ones the code writes (https://specs.frictionlessdata.io/table-schema/).
 */
import { z } from 'zod';

export interface TableField {
  name: string;
  type: 'string' | 'integer' | 'number';
  description?: string;
  constraints?: { required?: boolean; enum?: string[]; minimum?: number; pattern?: string };
}

export interface TableSchema {
  fields: TableField[];
  primaryKey?: string[];
  foreignKeys?: { fields: string[]; reference: { resource: string; fields: string[] } }[];
  missingValues: string[];
}

interface JsonProperty {
  type?: string | string[];
  enum?: unknown[];
  minimum?: number;
  pattern?: string;
  minLength?: number;
  description?: string;
  anyOf?: JsonProperty[];
}

/** One column: its JSON Schema (from zod) read as a Table Schema field. */
function field(name: string, p: JsonProperty, requiredInZod: boolean): TableField {
  const variants = p.anyOf ?? [p];
  const types = variants.flatMap((v) => (Array.isArray(v.type) ? v.type : v.type ? [v.type] : []));
  const nullable = types.includes('null');
  const main = variants.find((v) => v.type !== 'null') ?? p;
  const type = types.includes('integer') ? 'integer' : types.includes('number') ? 'number' : 'string';
  const constraints: NonNullable<TableField['constraints']> = {};
  // An empty CSV cell is a missing value, so a string column is required only when zod forbids ''.
  if (requiredInZod && !nullable && (type !== 'string' || (main.minLength ?? 0) > 0 || main.enum || main.pattern)) constraints.required = true;
  if (main.enum) constraints.enum = main.enum.map(String);
  if (main.minimum !== undefined) constraints.minimum = main.minimum;
  if (main.pattern) constraints.pattern = main.pattern;
  const out: TableField = { name, type };
  const description = p.description ?? main.description;
  if (description) out.description = description;
  if (Object.keys(constraints).length) out.constraints = constraints;
  return out;
}

export function tableSchema(row: z.ZodObject, keys: Pick<TableSchema, 'primaryKey' | 'foreignKeys'> = {}): TableSchema {
  const json = z.toJSONSchema(row, { io: 'input', unrepresentable: 'any' }) as { properties: Record<string, JsonProperty>; required?: string[] };
  const required = new Set(json.required ?? []);
  return {
    fields: Object.entries(json.properties).map(([name, p]) => field(name, p, required.has(name))),
    ...keys,
    missingValues: [''],
  };
}

/** The column names of a row schema, in order. */
export function columns(row: z.ZodObject): string[] {
  return Object.keys(row.shape);
}
