/**
 * Finding the report inside a CMS page: which tables hold data, which element is the main content
 * (Readability-like scoring: text of paragraphs credited to their parent and grandparent, damped by
 * link density), which heading before it carries the title, and what inside it is still chrome.
 * Generic rules only: never per-site.
 */
import { BLOCK, type DomNode, describe, isSkipped, tagName } from './dom.ts';
import { tableShape } from './table.ts';

export interface Stat {
  /** Non-whitespace characters of visible text, and those inside links. */
  text: number;
  link: number;
  /** Document-order index of the element and one past its last descendant. */
  start: number;
  end: number;
}

export interface PageAnalysis {
  stats: Map<DomNode, Stat>;
  dataTables: Set<DomNode>;
  container: DomNode;
}

/** Characters that are not whitespace (as \s counts it), without building a string. */
function countChars(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 32 ? c !== 0xa0 && c !== 0x3000 && c !== 0xfeff && !(c >= 0x2000 && c <= 0x200a) && c !== 0x2028 && c !== 0x2029 && c !== 0x202f && c !== 0x205f && c !== 0x1680 : c !== 32 && (c < 9 || c > 13)) n++;
  }
  return n;
}
const linkDensity = (s: Stat | undefined): number => (s && s.text > 0 ? s.link / s.text : 0);

function computeStats(root: DomNode): Map<DomNode, Stat> {
  const stats = new Map<DomNode, Stat>();
  let order = 0;
  const walk = (n: DomNode, inLink: boolean): [number, number] => {
    const st: Stat = { text: 0, link: 0, start: order++, end: 0 };
    for (const c of n.children ?? []) {
      if (c.type === 'text') {
        const k = countChars(c.data ?? '');
        st.text += k;
        if (inLink) st.link += k;
      } else if (c.type === 'tag' && !isSkipped(c)) {
        const [t, l] = walk(c, inLink || tagName(c) === 'a');
        st.text += t;
        st.link += l;
      }
    }
    st.end = order;
    stats.set(n, st);
    return [st.text, st.link];
  };
  walk(root, false);
  return stats;
}

/** Tables that hold data rows: not layout tables (holding other tables, one cell, mostly links). */
function findDataTables(stats: Map<DomNode, Stat>): Set<DomNode> {
  const out = new Set<DomNode>();
  for (const [el, st] of stats) {
    if (tagName(el) !== 'table') continue;
    const { cells, nested } = tableShape(el);
    if (nested || cells < 2) continue;
    if (st.text > 0 && linkDensity(st) > 0.5) continue;
    out.add(el);
  }
  return out;
}

const TABLE_PARTS = new Set(['tr', 'tbody', 'thead', 'tfoot', 'table']);

/** The parent that can hold content: rows and row groups of layout tables are skipped. */
function up(n: DomNode | undefined): DomNode | undefined {
  let p = n?.parent ?? undefined;
  while (p && p.type === 'tag' && TABLE_PARTS.has(tagName(p))) p = p.parent ?? undefined;
  if (!p || p.type !== 'tag' || tagName(p) === 'html') return undefined;
  return p;
}

function scoreContainers(body: DomNode, stats: Map<DomNode, Stat>, dataTables: Set<DomNode>): Map<DomNode, number> {
  const unitText = new Map<DomNode, number>();
  const walk = (n: DomNode, unit: DomNode, inLink: boolean): void => {
    for (const c of n.children ?? []) {
      if (c.type === 'text') {
        if (!inLink) unitText.set(unit, (unitText.get(unit) ?? 0) + countChars(c.data ?? ''));
      } else if (c.type === 'tag' && !isSkipped(c)) {
        if (isChromeElement(c, stats, dataTables)) continue; // footers and navigation earn no credit
        let u = unit;
        if (dataTables.has(c)) u = c;
        else if (!dataTables.has(unit) && BLOCK.has(tagName(c))) u = c;
        walk(c, u, inLink || tagName(c) === 'a');
      }
    }
  };
  walk(body, body, false);
  const credit = new Map<DomNode, number>();
  const add = (el: DomNode | undefined, v: number) => {
    if (el) credit.set(el, (credit.get(el) ?? 0) + v);
  };
  for (const [unit, u] of unitText) {
    // short lines (headings, info bars, menu items) say little about where the content is
    if (u < 20 && !dataTables.has(unit)) continue;
    const name = tagName(unit);
    if ((name === 'td' || name === 'th') && !dataTables.has(unit)) {
      // a cell of a layout table is a column of the page: a container candidate itself
      add(unit, u);
      add(up(unit), u / 2);
    } else {
      const p = unit === body ? body : up(unit);
      add(p, u);
      add(up(p), u / 2);
    }
  }
  const final = new Map<DomNode, number>();
  for (const [el, c] of credit) final.set(el, c * (1 - linkDensity(stats.get(el))));
  return final;
}

const KNOWN_CONTENT = [
  (el: DomNode) => hasClass(el, 'TRS_Editor') || hasClass(el, 'TRS_UEDITOR') || hasClass(el, 'bt_content'),
  (el: DomNode) => el.attribs?.id === 'zoom' || el.attribs?.id === 'UCAP-CONTENT' || el.attribs?.id === 'zoomcon',
  (el: DomNode) => tagName(el) === 'article' || hasClass(el, 'article') || hasClass(el, 'content'),
];

function hasClass(el: DomNode, cls: string): boolean {
  const c = el.attribs?.class;
  return !!c && c.includes(cls) && c.split(/\s+/).includes(cls);
}

const inside = (a: Stat, b: Stat): boolean => a.start >= b.start && a.end <= b.end;

/** The element holding the report's text and tables; `body` when nothing better stands out. */
function chooseContainer(body: DomNode, stats: Map<DomNode, Stat>, dataTables: Set<DomNode>): DomNode {
  const scores = scoreContainers(body, stats, dataTables);
  let best = body;
  let bestScore = -1;
  for (const [el, s] of scores) {
    if (s > bestScore) {
      best = el;
      bestScore = s;
    }
  }
  const nonLink = (el: DomNode) => {
    const s = stats.get(el);
    return s ? s.text - s.link : 0;
  };
  // Widen while the parent holds substantial non-link text beside the winner (Word sections split
  // over sibling divs, a table wrapper beside the narrative).
  for (let i = 0; i < 4 && best !== body; i++) {
    const p = up(best);
    if (!p) break;
    let beside = 0;
    for (const c of p.children ?? []) {
      if (c === best || c.type !== 'tag' || isSkipped(c)) continue;
      const s = stats.get(c);
      if (!s || linkDensity(s) >= 0.3 || contains(c, best)) continue;
      // info bars ("发布时间：… 浏览次数：…") and headings are not content to widen for
      if (s.text - s.link >= 50 || dataTables.has(c)) beside += s.text - s.link;
    }
    if (beside < 0.3 * nonLink(best)) break;
    best = p;
  }
  // Narrow to a known CMS content element inside the winner that holds its tables and most text.
  const bs = stats.get(best)!;
  const tablesIn = [...dataTables].filter((t) => inside(stats.get(t)!, bs));
  let narrowed: DomNode | undefined;
  for (const [el, st] of stats) {
    if (el === best || !inside(st, bs) || !KNOWN_CONTENT.some((f) => f(el))) continue;
    if (!tablesIn.every((t) => inside(stats.get(t)!, st))) continue;
    if (st.text - st.link < 0.5 * nonLink(best)) continue;
    if (!narrowed || inside(st, stats.get(narrowed)!)) narrowed = el;
  }
  return narrowed ?? best;
}

function contains(a: DomNode, n: DomNode): boolean {
  for (let p: DomNode | null | undefined = n; p; p = p.parent) if (p === a) return true;
  return false;
}

export function analysePage(root: DomNode, body: DomNode): PageAnalysis {
  const stats = computeStats(root);
  const dataTables = findDataTables(stats);
  const container = chooseContainer(body, stats, dataTables);
  return { stats, dataTables, container };
}

export function containerLabel(el: DomNode): string {
  return describe(el);
}

// ---- chrome inside the container ----

/** A class or id token (split on spaces, - and _) that names page chrome. */
const CHROME_TOKEN =
  /(?:^|[\s_-])(?:nav|navbar|menu|breadcrumbs?|crumbs?|position|location|share|bdshare[^\s_-]*|footer|foot|topbar|login|related|xgwz|xgxx|xglj|relnews|sidebar|pager|pagination|pagenav|copyright|qrcode|ewm|print|toolbar|fontsize|search|tools)(?=$|[\s_-])/i;

/** Site chrome that CMS templates put inside the content area (share bars, print/close, related lists). */
export function isChromeElement(el: DomNode, stats: Map<DomNode, Stat>, dataTables: Set<DomNode>): boolean {
  const name = tagName(el);
  const a = el.attribs;
  const chromeish = name === 'nav' || name === 'footer' || name === 'aside' || (!!(a?.class || a?.id) && CHROME_TOKEN.test(`${a.class ?? ''} ${a.id ?? ''}`));
  if (!chromeish) return false;
  const st = stats.get(el);
  if (!st) return true;
  for (const t of dataTables) if (inside(stats.get(t)!, st)) return false;
  return linkDensity(st) >= 0.3 || st.text < 200;
}

const CHROME_LINE =
  /^(?:上一篇|下一篇|上一条|下一条|【?打印(?:本页|此页)?】?|【?关闭(?:窗口|本页)?】?|分享到|扫一扫|字号[：:]|当前位置|您当前的位置|您的位置|您现在的位置)/;

export function isChromeLine(text: string): boolean {
  return text.length < 80 && CHROME_LINE.test(text.replace(/^\s+/, ''));
}

// ---- title ----

const TITLE_CLASS = /(?:^|[-_\s])(?:title|tit|biaoti|bt|headline)(?:$|[-_\s\d])/i;

function squeeze(s: string): string {
  return s.normalize('NFKC').replace(/\s+/g, '');
}

/** Whether a heading's text is the page's title (allowing the CMS to add or drop a prefix/suffix). */
export function sameTitle(a: string, b: string): boolean {
  const x = squeeze(a);
  const y = squeeze(b);
  if (x.length < 4 || y.length < 4) return false;
  // containment, but not of a fragment: "政府信息公开" is in every title
  return (x.includes(y) || y.includes(x)) && Math.min(x.length, y.length) >= 0.6 * Math.max(x.length, y.length);
}

/**
 * The title heading just before the container: walking up from the container, the nearest preceding
 * sibling subtree holding an h1–h3 or a title-classed element whose text is the page title (or, with
 * no title known, names a report).
 */
export function findTitleBefore(container: DomNode, guess: string | undefined, text: (el: DomNode) => string): DomNode | undefined {
  const ok = (el: DomNode): boolean => {
    const name = tagName(el);
    const heading = /^h[1-3]$/.test(name) || TITLE_CLASS.test(`${el.attribs?.class ?? ''} ${el.attribs?.id ?? ''}`);
    // any block holding exactly the known title counts too (old pages: <td><font><b>title</b></font></td>),
    // but not a breadcrumb ending in it
    if (!heading && !(guess && BLOCK.has(name) && !hasLink(el))) return false;
    const t = squeeze(text(el));
    if (t.length < 4 || t.length > 120) return false;
    return guess ? sameTitle(t, guess) : /报告|年报/.test(t);
  };
  const search = (n: DomNode): DomNode | undefined => {
    const kids = (n.children ?? []).filter((c) => c.type === 'tag' && !isSkipped(c));
    for (let i = kids.length - 1; i >= 0; i--) {
      const hit = search(kids[i]);
      if (hit) return hit;
    }
    return ok(n) ? n : undefined;
  };
  let n: DomNode | undefined = container;
  for (let depth = 0; depth < 8 && n && tagName(n) !== 'body'; depth++) {
    const sibs = n.parent?.children ?? [];
    let seen = 0;
    for (let i = sibs.indexOf(n) - 1; i >= 0 && seen < 12; i--) {
      const s = sibs[i];
      if (s.type !== 'tag' || isSkipped(s)) continue;
      seen++;
      const hit = search(s);
      if (hit) return hit;
    }
    n = n.parent ?? undefined;
  }
  return undefined;
}

function hasLink(el: DomNode): boolean {
  for (const c of el.children ?? []) if (c.type === 'tag' && (tagName(c) === 'a' || hasLink(c))) return true;
  return false;
}
