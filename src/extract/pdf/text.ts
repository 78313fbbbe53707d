/**
 * Text of one page: pdf.js text items → runs with glyph boxes → lines, and joining runs or lines
 * without inventing spaces inside Chinese text.
 */
import { apply, type Line, type Matrix, type Rect, type TextRun } from './geometry.ts';

/** The fields of a pdf.js TextItem this reader uses. */
export interface PdfTextItem {
  str: string;
  transform: number[];
  width: number;
  height: number;
}

/** Glyph box around the baseline, as fractions of the font size (typical CJK fonts). */
const DESCENT = 0.2;
const ASCENT = 0.8;

/**
 * Runs in display space. Whitespace-only items are dropped (WPS PDFs give them absurd widths) but
 * remembered as `spaceBefore` of the next run.
 *
 * With `page` (the visible page box in display space), characters whose centre lies off the page
 * are dropped: a table that overflows the page edge still carries the glyphs it cut in half, and a
 * viewer shows none of what lies beyond the edge. `hidden` counts the characters dropped.
 */
export function textRuns(
  items: readonly unknown[],
  view: Matrix,
  page?: Rect,
  hidden: { chars: number } = { chars: 0 },
): TextRun[] {
  const runs: TextRun[] = [];
  let pendingSpace = false;
  for (const it of items) {
    if (typeof it !== 'object' || it === null || !('str' in it)) continue;
    const item = it as PdfTextItem;
    if (item.str === '') continue;
    if (item.str.trim() === '') {
      pendingSpace = true;
      continue;
    }
    const [a, b, c, d, e, f] = item.transform;
    const advance = Math.hypot(a, b) || 1;
    const up = Math.hypot(c, d) || 1;
    const ux = a / advance;
    const uy = b / advance;
    const vx = c / up;
    const vy = d / up;
    const size = up;
    // Diagonal text is a watermark or a stamp, not content: it would land in whatever cell its
    // centre falls on.
    const [dx, dy] = [view[0] * ux + view[2] * uy, view[1] * ux + view[3] * uy];
    if (Math.min(Math.abs(dx), Math.abs(dy)) > 0.17 * Math.hypot(dx, dy)) continue;
    const w = Math.max(item.width, 0);
    // Glyph box of the part of the run from t0 to t1 along its advance.
    const box = (t0: number, t1: number): Rect => {
      const r = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
      for (const t of [t0, t1]) {
        for (const s of [-DESCENT * size, ASCENT * size]) {
          const [x, y] = apply(view, e + t * ux + s * vx, f + t * uy + s * vy);
          r.x0 = Math.min(r.x0, x);
          r.x1 = Math.max(r.x1, x);
          r.y0 = Math.min(r.y0, y);
          r.y1 = Math.max(r.y1, y);
        }
      }
      return r;
    };
    let str = item.str;
    let rect = box(0, w);
    if (page && !(rect.x0 >= page.x0 && rect.x1 <= page.x1 && rect.y0 >= page.y0 && rect.y1 <= page.y1)) {
      // Straddles or lies beyond the page edge: keep the characters whose centre is on the page
      // (an even split of the advance: only the characters at the edge depend on it).
      const chars = Array.from(str);
      const step = w / chars.length;
      const mid = ((ASCENT - DESCENT) / 2) * size;
      const onPage = chars.map((_, k) => {
        const t = (k + 0.5) * step;
        const [x, y] = apply(view, e + t * ux + mid * vx, f + t * uy + mid * vy);
        return x >= page.x0 && x <= page.x1 && y >= page.y0 && y <= page.y1;
      });
      const first = onPage.indexOf(true);
      const last = onPage.lastIndexOf(true);
      const kept = first < 0 ? '' : chars.slice(first, last + 1).join('');
      hidden.chars += chars.length - (first < 0 ? 0 : last + 1 - first);
      if (kept.trim() === '') {
        pendingSpace = false;
        continue;
      }
      str = kept;
      rect = box(first * step, (last + 1) * step);
    }
    runs.push({ str, ...rect, size, spaceBefore: pendingSpace });
    pendingSpace = false;
  }
  return runs;
}

const CJK = /[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]/;
const LATIN_OR_DIGIT = /[A-Za-z0-9\u00c0-\u024f]/;

export function isCjk(ch: string): boolean {
  return CJK.test(ch);
}

/** A space between two strings only where both sides are Latin letters or digits. */
export function wantsSpace(left: string, right: string): boolean {
  const l = left.at(-1) ?? '';
  const r = right[0] ?? '';
  return LATIN_OR_DIGIT.test(l) && LATIN_OR_DIGIT.test(r);
}

/**
 * Join runs of one line, left to right. Between Latin/digit runs a space where pdf.js saw one or
 * the gap is space-sized. Next to a CJK character only a gap wider than the ~0.2 em that Word,
 * WPS and LibreOffice put between CJK and Latin text (autospace) is a space: 第二十条 第（一）项
 * keeps its space, 2024年 gets none. Spaces inside a run are the PDF's own and stay.
 */
export function joinRuns(runs: readonly TextRun[]): string {
  let out = '';
  let prev: TextRun | undefined;
  for (const run of runs) {
    if (prev && !/\s$/.test(out) && !/^\s/.test(run.str)) {
      const gap = run.x0 - prev.x1;
      const size = Math.min(run.size, prev.size);
      const left = out.at(-1) ?? '';
      const right = run.str[0];
      let space: boolean;
      if (gap > 3 * size) space = true;
      else if (isCjk(left) || isCjk(right)) space = gap >= 0.3 * size && (run.spaceBefore || gap >= size);
      else if (wantsSpace(left, right)) space = run.spaceBefore || gap >= 0.2 * size;
      else space = run.spaceBefore && gap > 0.1 * size;
      if (space) out += ' ';
    }
    out += run.str;
    prev = run;
  }
  return out;
}

/**
 * Group runs into lines: runs whose vertical centres lie within half a glyph height of a line's first
 * run join it. Lines come top to bottom, runs left to right.
 */
export function groupLines(runs: readonly TextRun[], page: number): Line[] {
  const sorted = [...runs].sort((p, q) => p.y0 + p.y1 - (q.y0 + q.y1));
  const groups: TextRun[][] = [];
  let current: TextRun[] = [];
  let anchorY = 0;
  let anchorSize = 0;
  for (const run of sorted) {
    const cy = (run.y0 + run.y1) / 2;
    if (current.length > 0 && Math.abs(cy - anchorY) <= 0.45 * Math.min(run.size, anchorSize)) {
      current.push(run);
      continue;
    }
    if (current.length > 0) groups.push(current);
    current = [run];
    anchorY = cy;
    anchorSize = run.size;
  }
  if (current.length > 0) groups.push(current);
  return groups.map((g) => makeLine(g, page));
}

/**
 * Runs left to right, without the second copy of text printed twice over itself (a fake bold some
 * PDF writers make by drawing the same run again a fraction of a point away).
 */
function withoutOverprint(runs: TextRun[]): TextRun[] {
  runs.sort((p, q) => p.x0 - q.x0);
  const out: TextRun[] = [];
  for (const r of runs) {
    let twin = false;
    // Sorted by x0: a twin can only be among the last runs kept.
    for (let k = out.length - 1; k >= 0 && out[k].x0 > r.x0 - 0.3 * r.size; k--) {
      if (out[k].str === r.str && Math.abs(out[k].y0 - r.y0) < 0.3 * r.size) twin = true;
    }
    if (!twin) out.push(r);
  }
  return out;
}

export function makeLine(lineRuns: TextRun[], page: number): Line {
  const runs = withoutOverprint(lineRuns);
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  let size = 0;
  let longest = -1;
  for (const r of runs) {
    x0 = Math.min(x0, r.x0);
    y0 = Math.min(y0, r.y0);
    x1 = Math.max(x1, r.x1);
    y1 = Math.max(y1, r.y1);
    if (r.str.length > longest) {
      longest = r.str.length;
      size = r.size;
    }
  }
  return { runs, x0, y0, x1, y1, size, raw: joinRuns(runs), page };
}
