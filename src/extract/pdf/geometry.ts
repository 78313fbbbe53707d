/**
 * Shared shapes of the PDF reader. Every coordinate is in display space: PDF points after the page's
 * viewport transform (rotation and crop applied), x to the right, y DOWN from the top of the page.
 */

/** An affine matrix [a, b, c, d, e, f] as PDF writes it. */
export type Matrix = [number, number, number, number, number, number];

export const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

/** The matrix that applies `inner` first, then `outer` (pdf.js Util.transform(outer, inner)). */
export function multiply(outer: Matrix, inner: Matrix): Matrix {
  const [a, b, c, d, e, f] = inner;
  const [A, B, C, D, E, F] = outer;
  return [a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F];
}

export function apply(m: Matrix, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export function containsPoint(r: Rect, x: number, y: number, slack = 0): boolean {
  return x >= r.x0 - slack && x <= r.x1 + slack && y >= r.y0 - slack && y <= r.y1 + slack;
}

/** An axis-aligned ruling line: `at` is y for a horizontal line, x for a vertical one. */
export interface Segment {
  horizontal: boolean;
  at: number;
  from: number;
  to: number;
  /**
   * Extent of the ink across the line (y for a horizontal line, x for a vertical one): `at` ± half
   * the stroke width, widened over every parallel piece joined into this one (a double border).
   * Absent means a hairline at `at`.
   */
  lo?: number;
  hi?: number;
}

/** One pdf.js text item that carries visible characters, with its glyph box. */
export interface TextRun extends Rect {
  /** The item's string exactly as pdf.js gave it. */
  str: string;
  /** Font size in points (height of the glyph box). */
  size: number;
  /** pdf.js emitted a whitespace-only item just before this one on the same line. */
  spaceBefore: boolean;
}

/** Runs that share a baseline, left to right. */
export interface Line extends Rect {
  runs: TextRun[];
  size: number;
  /** The runs joined (see joinRuns). */
  raw: string;
  page: number;
}

/** A cell of a table found on one page, before cross-page joining. Columns index `PageTable.xs`. */
export interface PageCell {
  row: number;
  rowSpan: number;
  col: number;
  colSpan: number;
  /** Lines of the cell's text, top to bottom. */
  lines: string[];
  page: number;
}

export interface PageTable {
  page: number;
  bbox: Rect;
  /** Column boundaries, left to right: xs.length - 1 columns. */
  xs: number[];
  rowCount: number;
  cells: PageCell[];
}
