/**
 * Minimal helpers over the DOM cheerio builds in XML mode (prefixed names kept: 'w:numbering'), for
 * the small parts (numbering, styles, core properties); document.xml is streamed (sax.ts).
 */
import { load } from 'cheerio';

export interface XNode {
  type: string;
  name?: string;
  data?: string;
  attribs?: Record<string, string>;
  children?: XNode[];
  parent?: XNode | null;
}

export function parseXml(xml: string): XNode {
  return load(xml, { xml: true }).root()[0] as unknown as XNode;
}

export function* kids(n: XNode | undefined): Generator<XNode> {
  if (n?.children) for (const c of n.children) if (c.type === 'tag') yield c;
}

export function child(n: XNode | undefined, name: string): XNode | undefined {
  if (n?.children) for (const c of n.children) if (c.type === 'tag' && c.name === name) return c;
  return undefined;
}

/** Follow a path of child names: path(tc, 'w:tcPr', 'w:gridSpan'). */
export function path(n: XNode | undefined, ...names: string[]): XNode | undefined {
  let cur = n;
  for (const name of names) cur = child(cur, name);
  return cur;
}

export function val(n: XNode | undefined, attr = 'w:val'): string | undefined {
  return n?.attribs?.[attr];
}

export function intVal(n: XNode | undefined, fallback: number): number {
  const v = parseInt(val(n) ?? '', 10);
  return Number.isFinite(v) ? v : fallback;
}

/** An on/off property: present and not "0"/"false"/"off". */
export function isOn(n: XNode | undefined): boolean {
  if (!n) return false;
  const v = val(n);
  return v === undefined || !/^(?:0|false|off)$/i.test(v);
}

/** All text of descendant elements named `textName` (e.g. dc:title text, m:t of equations). */
export function textOf(n: XNode | undefined, textName?: string): string {
  if (!n) return '';
  let out = '';
  const walk = (x: XNode, take: boolean): void => {
    for (const c of x.children ?? []) {
      if (c.type === 'text') {
        if (take) out += c.data ?? '';
      } else if (c.type === 'tag') walk(c, take || c.name === textName);
    }
  };
  walk(n, textName === undefined);
  return out;
}
