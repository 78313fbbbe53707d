/** Page furniture: page numbers and running headers/footers, which are not part of the report. */
import { cleanText } from '../model.ts';
import type { Line } from './geometry.ts';

/** Page numbers and running heads live in the top and bottom bands of a page (fraction of height). */
const MARGIN_BAND = 0.12;

const PAGE_NUMBER = new RegExp(
  '^[-—–－~～_·•.]*' +
    '(?:第?\\d{1,4}页?(?:[/／]\\d{1,4}|共\\d{1,4}页)?|\\d{1,4}[/／]\\d{1,4}|page\\d{1,4}(?:of\\d{1,4})?)' +
    '[-—–－~～_·•.]*$',
  'i',
);

export function isPageNumber(raw: string): boolean {
  return PAGE_NUMBER.test(cleanText(raw).replace(/\s+/g, ''));
}

interface PageLines {
  height: number;
  lines: Line[];
}

function inMargin(line: Line, height: number): boolean {
  return line.y1 <= MARGIN_BAND * height || line.y0 >= (1 - MARGIN_BAND) * height;
}

/**
 * Lines to drop: page numbers in the margin bands, and margin-band lines whose text (digits
 * ignored) recurs on many pages.
 */
export function furnitureLines(pages: readonly PageLines[]): Set<Line> {
  const drop = new Set<Line>();
  const seen = new Map<string, Set<number>>();
  const keyed: [Line, string][] = [];
  pages.forEach((p, i) => {
    for (const line of p.lines) {
      if (!inMargin(line, p.height)) continue;
      if (isPageNumber(line.raw)) {
        drop.add(line);
        continue;
      }
      const key = cleanText(line.raw).replace(/\s+/g, '').replace(/\d+/g, '#');
      if (key === '') continue;
      keyed.push([line, key]);
      const s = seen.get(key) ?? new Set<number>();
      s.add(i);
      seen.set(key, s);
    }
  });
  if (pages.length >= 3) {
    const need = Math.max(2, Math.ceil(0.4 * pages.length));
    for (const [line, key] of keyed) if ((seen.get(key)?.size ?? 0) >= need) drop.add(line);
  }
  return drop;
}
