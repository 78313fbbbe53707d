/**
 * Ruling lines of one page from its pdf.js operator list: stroked straight segments, and thin filled
 * rectangles (Chromium/Skia and some WPS exports draw every border as a filled sliver).
 */
import { OPS } from './pdfjs.ts';
import { apply, multiply, type Matrix, type Segment } from './geometry.ts';

/** pdf.js 5 packs a path into one Float32Array of these opcodes (DrawOPS in pdf.js). */
const MOVE_TO = 0;
const LINE_TO = 1;
const CURVE_TO = 2;
const CLOSE_PATH = 3;

/** A filled shape thinner than this (pt) is a line; a segment shorter than MIN_LENGTH is noise. */
const THIN = 2.5;
const MIN_LENGTH = 1.5;
/** Slack (pt) for "axis-aligned" and for joining collinear pieces. */
const AXIS_SLACK = 0.8;
const JOIN_GAP = 1.5;

const STROKE_OPS = new Set<number>([OPS.stroke, OPS.closeStroke]);
const FILL_OPS = new Set<number>([OPS.fill, OPS.eoFill]);
const FILL_STROKE_OPS = new Set<number>([OPS.fillStroke, OPS.eoFillStroke, OPS.closeFillStroke, OPS.closeEOFillStroke]);

interface GraphicsState {
  ctm: Matrix;
  strokeVisible: boolean;
  fillVisible: boolean;
  /** Line width in user space (0: the thinnest line the device can draw). */
  lineWidth: number;
}

export interface OperatorList {
  fnArray: number[];
  argsArray: unknown[];
}

/** White (or transparent) paint draws nothing a reader can see, so it rules nothing. */
function visibleColor(arg: unknown): boolean {
  if (typeof arg !== 'string') return true;
  return !/^#f[a-f0-9]f[a-f0-9]f[a-f0-9]$/i.test(arg);
}

/**
 * Collect ruling segments in display space (`view` maps PDF user space to display space). Collinear
 * pieces are joined, so a border drawn cell by cell comes out as one segment.
 */
export function collectRulings(ops: OperatorList, view: Matrix): Segment[] {
  const out: Segment[] = [];
  let gs: GraphicsState = { ctm: view, strokeVisible: true, fillVisible: true, lineWidth: 1 };
  const stack: GraphicsState[] = [];
  const { fnArray, argsArray } = ops;

  for (let i = 0; i < fnArray.length; i++) {
    const fn = fnArray[i];
    const args = argsArray[i] as unknown[] | null;
    switch (fn) {
      case OPS.save:
        stack.push(gs);
        gs = { ...gs };
        break;
      case OPS.restore:
        gs = stack.pop() ?? gs;
        break;
      case OPS.transform:
        gs.ctm = multiply(gs.ctm, args as unknown as Matrix);
        break;
      case OPS.paintFormXObjectBegin: {
        stack.push(gs);
        gs = { ...gs };
        const matrix = args?.[0] as Matrix | null | undefined;
        if (matrix) gs.ctm = multiply(gs.ctm, Array.from(matrix) as Matrix);
        break;
      }
      case OPS.paintFormXObjectEnd:
        gs = stack.pop() ?? gs;
        break;
      case OPS.setLineWidth: {
        const w = Number(args?.[0]);
        if (Number.isFinite(w) && w >= 0) gs.lineWidth = w;
        break;
      }
      case OPS.setStrokeRGBColor:
        gs.strokeVisible = visibleColor(args?.[0]);
        break;
      case OPS.setFillRGBColor:
        gs.fillVisible = visibleColor(args?.[0]);
        break;
      case OPS.setStrokeTransparent:
        gs.strokeVisible = false;
        break;
      case OPS.setFillTransparent:
        gs.fillVisible = false;
        break;
      case OPS.constructPath: {
        if (!args) break;
        const paint = args[0] as number;
        const data = (args[1] as (ArrayLike<number> | null)[] | undefined)?.[0];
        if (!data || !(data.length > 0)) break;
        const strokes = STROKE_OPS.has(paint) || FILL_STROKE_OPS.has(paint);
        const fills = FILL_OPS.has(paint) || FILL_STROKE_OPS.has(paint);
        if (strokes && gs.strokeVisible) {
          const half = (gs.lineWidth * Math.sqrt(Math.abs(gs.ctm[0] * gs.ctm[3] - gs.ctm[1] * gs.ctm[2]))) / 2;
          strokedSegments(data, gs.ctm, Math.min(half, THIN / 2), out);
        }
        if (fills && gs.fillVisible) filledSlivers(data, gs.ctm, out);
        break;
      }
      default:
        break;
    }
  }
  return joinCollinear(out);
}

function pushSegment(x0: number, y0: number, x1: number, y1: number, half: number, out: Segment[]): void {
  const dx = Math.abs(x1 - x0);
  const dy = Math.abs(y1 - y0);
  if (dy <= AXIS_SLACK && dx >= MIN_LENGTH) {
    const at = (y0 + y1) / 2;
    out.push({ horizontal: true, at, from: Math.min(x0, x1), to: Math.max(x0, x1), lo: at - half, hi: at + half });
  } else if (dx <= AXIS_SLACK && dy >= MIN_LENGTH) {
    const at = (x0 + x1) / 2;
    out.push({ horizontal: false, at, from: Math.min(y0, y1), to: Math.max(y0, y1), lo: at - half, hi: at + half });
  }
}

/** Every straight piece of a stroked path; curves only move the pen. */
function strokedSegments(path: ArrayLike<number>, ctm: Matrix, half: number, out: Segment[]): void {
  let cx = 0;
  let cy = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < path.length; ) {
    const op = path[i++];
    if (op === MOVE_TO) {
      [cx, cy] = apply(ctm, path[i++], path[i++]);
      sx = cx;
      sy = cy;
    } else if (op === LINE_TO) {
      const [x, y] = apply(ctm, path[i++], path[i++]);
      pushSegment(cx, cy, x, y, half, out);
      cx = x;
      cy = y;
    } else if (op === CURVE_TO) {
      i += 4;
      [cx, cy] = apply(ctm, path[i++], path[i++]);
    } else if (op === CLOSE_PATH) {
      pushSegment(cx, cy, sx, sy, half, out);
      cx = sx;
      cy = sy;
    } else {
      return; // unknown opcode: the rest cannot be decoded
    }
  }
}

/** Each filled subpath made of straight pieces whose bounding box is thin is one ruling line. */
function filledSlivers(path: ArrayLike<number>, ctm: Matrix, out: Segment[]): void {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  let curved = false;
  const flush = () => {
    if (!curved && minX !== Infinity) {
      const w = maxX - minX;
      const h = maxY - minY;
      if (h < THIN && w >= MIN_LENGTH && w > h) {
        out.push({ horizontal: true, at: (minY + maxY) / 2, from: minX, to: maxX, lo: minY, hi: maxY });
      } else if (w < THIN && h >= MIN_LENGTH && h > w) {
        out.push({ horizontal: false, at: (minX + maxX) / 2, from: minY, to: maxY, lo: minX, hi: maxX });
      }
    }
    minX = minY = Infinity;
    maxX = maxY = -Infinity;
    curved = false;
  };
  const add = (px: number, py: number) => {
    const [x, y] = apply(ctm, px, py);
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  };
  for (let i = 0; i < path.length; ) {
    const op = path[i++];
    if (op === MOVE_TO) {
      flush();
      add(path[i++], path[i++]);
    } else if (op === LINE_TO) {
      add(path[i++], path[i++]);
    } else if (op === CURVE_TO) {
      curved = true;
      i += 6;
    } else if (op === CLOSE_PATH) {
      // the subpath ends at the next moveTo or at the end
    } else {
      break;
    }
  }
  flush();
}

/**
 * Merge pieces on the same line whose ends touch or overlap. Parallel pieces less than AXIS_SLACK
 * apart (a double border, a cell border against the table's frame) become one line whose `lo`..`hi`
 * spans all of their ink.
 */
function joinCollinear(segments: Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const horizontal of [true, false]) {
    const group = segments
      .filter((s) => s.horizontal === horizontal)
      .sort((a, b) => a.at - b.at || a.from - b.from);
    // Bucket by position first, then sweep each bucket along its length.
    let start = 0;
    while (start < group.length) {
      let end = start + 1;
      while (end < group.length && group[end].at - group[end - 1].at <= AXIS_SLACK) end++;
      const bucket = group.slice(start, end).sort((a, b) => a.from - b.from);
      let cur: Segment | undefined;
      let atSum = 0;
      let n = 0;
      for (const s of bucket) {
        if (cur && s.from <= cur.to + JOIN_GAP) {
          cur.to = Math.max(cur.to, s.to);
          cur.lo = Math.min(cur.lo ?? cur.at, s.lo ?? s.at);
          cur.hi = Math.max(cur.hi ?? cur.at, s.hi ?? s.at);
          atSum += s.at;
          n++;
        } else {
          if (cur) out.push({ ...cur, at: atSum / n });
          cur = { ...s };
          atSum = s.at;
          n = 1;
        }
      }
      if (cur) out.push({ ...cur, at: atSum / n });
      start = end;
    }
  }
  return out;
}
