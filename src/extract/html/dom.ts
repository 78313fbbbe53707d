/**
 * A structural view of the htmlparser2/parse5 DOM that cheerio builds (cheerio does not re-export the
 * domhandler node types), plus the text rules shared by the table and paragraph readers.
 */

export interface DomNode {
  type: string; // 'tag' | 'script' | 'style' | 'text' | 'comment' | 'directive' | 'cdata' | 'root'
  name?: string;
  data?: string;
  attribs?: Record<string, string>;
  children?: DomNode[];
  parent?: DomNode | null;
}

export const tagName = (n: DomNode): string => (n.name ?? '').toLowerCase();

/** Elements whose content is never document text. */
const IGNORED = new Set([
  'script', 'style', 'noscript', 'template', 'iframe', 'frame', 'frameset', 'object', 'embed', 'svg',
  'canvas', 'select', 'option', 'optgroup', 'button', 'input', 'textarea', 'head', 'title', 'meta',
  'link', 'base', 'map', 'area', 'audio', 'video', 'source', 'track', 'xml', 'math', 'datalist',
]);

/** Elements that start a new line of text; everything else (span, font, o:p, unknown tags) is inline. */
export const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'caption', 'center', 'dd', 'details', 'dialog',
  'dir', 'div', 'dl', 'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3',
  'h4', 'h5', 'h6', 'header', 'hgroup', 'hr', 'html', 'legend', 'li', 'main', 'menu', 'nav', 'ol', 'p',
  'pre', 'section', 'summary', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'ul', 'listing',
]);

const HIDDEN_STYLE = /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden|mso-hide\s*:\s*all)/i;

/**
 * Ignored or hidden: its whole subtree contributes nothing. Asked of every element several times
 * (statistics, scoring, text), and Word-pasted pages carry a long style on each: remembered per node.
 */
const skipped = new WeakMap<DomNode, boolean>();

export function isSkipped(n: DomNode): boolean {
  let hit = skipped.get(n);
  if (hit === undefined) skipped.set(n, (hit = skippedUncached(n)));
  return hit;
}

function skippedUncached(n: DomNode): boolean {
  if (n.type === 'script' || n.type === 'style') return true;
  if (n.type !== 'tag') return n.type !== 'text' && n.type !== 'root';
  if (IGNORED.has(tagName(n))) return true;
  const a = n.attribs;
  if (!a) return false;
  if ('hidden' in a) return true;
  return a.style !== undefined && HIDDEN_STYLE.test(a.style);
}

export function* elementsOf(n: DomNode): Generator<DomNode> {
  for (const c of n.children ?? []) if (c.type === 'tag') yield c;
}

/** Depth-first walk over visible elements, in document order. */
export function* visibleElements(root: DomNode): Generator<DomNode> {
  const stack: DomNode[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n !== root && isSkipped(n)) continue;
    if (n.type === 'tag') yield n;
    const ch = n.children;
    if (ch) for (let i = ch.length - 1; i >= 0; i--) if (ch[i].type === 'tag') stack.push(ch[i]);
  }
}

export function describe(n: DomNode): string {
  const a = n.attribs ?? {};
  const id = a.id ? `#${a.id}` : '';
  const cls = a.class ? '.' + a.class.trim().split(/\s+/).join('.') : '';
  return `${tagName(n)}${id}${cls}`;
}

// ---- text ----

/** Marks collapsible whitespace that held a line break in the source (a CSS "segment break"). */
const SEG = '\ue000';
const CJK = /[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u3000-\u303f]|[\ud840-\ud87f][\udc00-\udfff]/;
const DIGIT = /[0-9０-９]/;

/** Text node data with collapsible whitespace marked: runs holding a newline become SEG, others ' '. */
function markWhitespace(data: string): string {
  return data.replace(/[ \t\n\r\f]+/g, (ws) => (/[\n\r]/.test(ws) ? SEG : ' '));
}

/**
 * Resolve collapsible whitespace of one line. Like CSS Text 3, a segment break between two CJK
 * characters disappears (source line-wrapping inside Chinese text); so does one between two digits,
 * since Word-pasted markup splits one number over several spans on separate source lines.
 */
function resolveWhitespace(line: string): string {
  return line.replace(/[ \ue000]+/g, (run, at: number, s: string) => {
    if (!run.includes(SEG)) return ' ';
    const before = s[at - 1] ?? '';
    const after = s[at + run.length] ?? '';
    if (before && after && ((CJK.test(before) && CJK.test(after)) || (DIGIT.test(before) && DIGIT.test(after)))) return '';
    return ' ';
  });
}

/** Accumulates inline text into lines; block boundaries and <br> end a line. */
export class LineBuilder {
  private cur: string[] = [];
  readonly lines: string[] = [];

  text(data: string): void {
    this.cur.push(markWhitespace(data));
  }

  /** End the current line (if it has anything but collapsible whitespace). */
  flush(): string | undefined {
    if (!this.cur.length) return undefined;
    const line = resolveWhitespace(this.cur.join('')).replace(/^ +| +$/g, '');
    this.cur = [];
    if (!/[^\s\u200b]/.test(line)) return undefined;
    this.lines.push(line);
    return line;
  }
}

/**
 * The text of an element as lines: inline runs joined, block children and <br> as line breaks,
 * hidden/ignored content skipped. Lines holding only whitespace (incl. &nbsp;) are dropped.
 */
export function textLines(el: DomNode): string[] {
  const b = new LineBuilder();
  const walk = (n: DomNode): void => {
    for (const c of n.children ?? []) {
      if (c.type === 'text') {
        b.text(c.data ?? '');
      } else if (c.type === 'tag' && !isSkipped(c)) {
        const name = tagName(c);
        if (name === 'br') {
          b.flush();
          continue;
        }
        const block = BLOCK.has(name);
        if (block) b.flush();
        walk(c);
        if (block) b.flush();
      }
    }
  };
  walk(el);
  b.flush();
  return b.lines;
}
