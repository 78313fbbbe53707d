// JSON laid out as the truth files are written by hand: one table row, one narrative entry or one
// note per line, so that a diff of a truth file reads cell by cell.

const primitive = (v: unknown): boolean => v === null || typeof v !== 'object';

/** Below the top-level sections, an object of plain values, or a short array of them, fits one line. */
function oneLine(v: unknown, depth: number): string | null {
  if (primitive(v)) return JSON.stringify(v);
  if (Array.isArray(v)) {
    if (!v.every(primitive)) return null;
    const s = `[${v.map((x) => JSON.stringify(x)).join(', ')}]`;
    return v.every((x) => typeof x !== 'string') || s.length <= 120 ? s : null;
  }
  if (depth < 2) return null;
  const parts: string[] = [];
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    const s = primitive(x) || Array.isArray(x) ? oneLine(x, depth + 1) : null;
    if (s === null) return null;
    parts.push(`${JSON.stringify(k)}: ${s}`);
  }
  return parts.length ? `{ ${parts.join(', ')} }` : '{}';
}

function format(v: unknown, indent: string, depth: number): string {
  const line = oneLine(v, depth);
  if (line !== null) return line;
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    return `[\n${v.map((x) => inner + format(x, inner, depth + 1)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(v as Record<string, unknown>);
  return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${format(x, inner, depth + 1)}`).join(',\n')}\n${indent}}`;
}

export function formatJson(v: unknown): string {
  return `${format(v, '', 0)}\n`;
}
