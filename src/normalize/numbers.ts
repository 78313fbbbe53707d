/**
 * Reading a table cell as a number, explicitly: every accepted shape is listed here, anything
 * else is `illegible` (null, an error finding), never a silent 0.
 */
import type { CellKind } from '../report/schema.ts';
import type { ValueType } from '../report/paths.ts';

export interface ParsedNumber {
  value: number | null;
  kind: CellKind;
  note?: string;
}

const DASHES = /^[-‐‑‒–—―−─━_﹣－~～…]+$/u;
const SLASHES = /^[/／\\╱]+$/u;
const NONE_WORDS = /^(无|暂无|没有|空)$/u;
/** Units written inside a cell. 元 alone is converted for amounts (万元 is the template's unit). */
const UNIT = /(万元|元|件|条|个|项|次|起|宗|人次|人|家|份|篇)$/u;

/** Strip everything a cell may wrap around its number; keep what was cut off as a note. */
function tidy(raw: string): string {
  return raw
    .normalize('NFKC')
    // A number wrapped in a narrow cell: "39857\n58" is one number, 3985758.
    .replace(/(\d)[ \t\u00a0]*\r?\n[ \t\u00a0]*(?=\d)/gu, '$1')
    .replace(/[\s\u00a0\u200b\ufeff]+/gu, ' ')
    .trim();
}

/** The common case, a cell of plain ASCII digits: no normalising needed. */
const PLAIN = /^[ \t\r\n]*(\d{1,15})[ \t\r\n]*$/;

export function parseNumber(raw: string, type: ValueType = 'count'): ParsedNumber {
  const plain = PLAIN.exec(raw);
  if (plain) return { value: Number(plain[1]), kind: 'number' };
  let s = tidy(raw);
  if (s === '') return { value: 0, kind: 'blank' };
  const compact = s.replace(/ /g, '');
  if (DASHES.test(compact)) return { value: 0, kind: 'dash' };
  if (SLASHES.test(compact)) return { value: 0, kind: 'slash' };
  if (NONE_WORDS.test(compact)) return { value: 0, kind: 'none' };

  // Annotations after the number: 22（其中修订16件）, 3(含2件转办). Keep the leading number.
  let note: string | undefined;
  const annotated = /^([+\-−]?[\d,.\s]+(?:万元|元|件|条|个|项|次|起)?)\s*([(（\[【].*)$/u.exec(s);
  if (annotated) {
    note = annotated[2];
    s = annotated[1].trim();
  }
  // Spaces inside a number are thousands separators only in groups of three (3 001).
  s = s.replace(/(\d)\s+(?=\d{3}(?:\D|$))/g, '$1');
  let unit: string | undefined;
  const u = UNIT.exec(s);
  if (u) {
    unit = u[1];
    s = s.slice(0, -unit.length).trim();
  }
  if (/^[+\-−]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replace(/,/g, '');
  s = s.replace(/^−/, '-');
  if (!/^[+-]?(\d+(\.\d+)?|\.\d+)$/.test(s)) return { value: null, kind: 'illegible' };
  let value = Number(s);
  if (unit === '元' && type === 'amount') {
    // The template asks for 万元; a cell that says 元 is converted (251000元 → 25.1).
    value = Math.round((value / 10000) * 1e8) / 1e8;
  }
  if (Object.is(value, -0)) value = 0;
  const notes = [unit && unit !== '件' ? unit : undefined, note].filter(Boolean).join(' ');
  return notes ? { value, kind: 'number', note: notes } : { value, kind: 'number' };
}
