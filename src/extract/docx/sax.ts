/**
 * A minimal streaming XML tokenizer for OOXML parts. A DOM of a large document.xml (hundreds of
 * tables) costs seconds and hundreds of MB in node objects and GC; the body is read in one pass of
 * events instead. OOXML is well-formed, namespace-prefixed XML without DTDs: tags, attributes, text,
 * entities, rare comments/CDATA/processing instructions.
 */

export interface SaxHandler {
  /** `attrs` is the raw attribute text; read values with `attr()` only where needed. */
  open(name: string, attrs: string, selfClosing: boolean): void;
  close(name: string): void;
  /** Raw text between tags (entities still encoded unless `cdata`). */
  text(data: string, cdata: boolean): void;
}

export function saxParse(xml: string, h: SaxHandler): void {
  const n = xml.length;
  let i = 0;
  while (i < n) {
    const lt = xml.indexOf('<', i);
    if (lt === -1) {
      h.text(xml.slice(i), false);
      return;
    }
    if (lt > i) h.text(xml.slice(i, lt), false);
    const c = xml.charCodeAt(lt + 1);
    if (c === 63 /* ? */) {
      i = end(xml.indexOf('?>', lt), 2, n);
      continue;
    }
    if (c === 33 /* ! */) {
      if (xml.startsWith('<!--', lt)) i = end(xml.indexOf('-->', lt), 3, n);
      else if (xml.startsWith('<![CDATA[', lt)) {
        const e = xml.indexOf(']]>', lt);
        h.text(xml.slice(lt + 9, e === -1 ? n : e), true);
        i = end(e, 3, n);
      } else i = end(xml.indexOf('>', lt), 1, n);
      continue;
    }
    // the closing '>' of the tag; a '>' inside a quoted attribute value is rare: check quotes only then
    let j = xml.indexOf('>', lt);
    if (j === -1) j = n;
    for (let q = xml.indexOf('"', lt); q !== -1 && q < j; q = xml.indexOf('"', q + 1)) {
      const close = xml.indexOf('"', q + 1);
      if (close === -1) break;
      if (close > j) j = xml.indexOf('>', close) === -1 ? n : xml.indexOf('>', close);
      q = close;
    }
    if (c === 47 /* / */) {
      h.close(xml.slice(lt + 2, j).trim());
    } else {
      const selfClosing = xml.charCodeAt(j - 1) === 47;
      const stop = selfClosing ? j - 1 : j;
      let k = lt + 1;
      while (k < stop && xml.charCodeAt(k) > 32) k++;
      const name = xml.slice(lt + 1, k);
      h.open(name, k < stop ? xml.slice(k, stop) : '', selfClosing);
      if (selfClosing) h.close(name);
    }
    i = j + 1;
  }
}

const end = (at: number, len: number, n: number) => (at === -1 ? n : at + len);

const ATTR_RE = new Map<string, RegExp>();

/** The value of one attribute in a raw attribute string (entities decoded). */
export function attr(raw: string, name: string): string | undefined {
  if (!raw.includes(name)) return undefined;
  let re = ATTR_RE.get(name);
  if (!re) ATTR_RE.set(name, (re = new RegExp(`(?:^|\\s)${name.replace(/[.:]/g, '\\$&')}\\s*=\\s*(["'])(.*?)\\1`, 's')));
  const m = re.exec(raw);
  return m ? decodeEntities(m[2]) : undefined;
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g, (m, e: string) => {
    if (e[0] !== '#') return NAMED[e] ?? m;
    const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
  });
}
