/** One page: its text runs and ruling lines, its ruled tables, and the lines of text outside them. */
import { AnnotationMode, type PDFDocumentProxy } from './pdfjs.ts';
import type { Line, Matrix, PageTable } from './geometry.ts';
import { ruledTables } from './grid.ts';
import { collectRulings } from './rulings.ts';
import { groupLines, textRuns } from './text.ts';

export interface PageContent {
  page: number;
  width: number;
  height: number;
  tables: PageTable[];
  /** Text outside the ruled tables, top to bottom. */
  lines: Line[];
  /** Characters of the text layer that lie off the page, where no viewer shows them (dropped). */
  hiddenChars: number;
}

export async function readPage(doc: PDFDocumentProxy, pageNumber: number): Promise<PageContent> {
  const page = await doc.getPage(pageNumber);
  try {
    const viewport = page.getViewport({ scale: 1 });
    const view = viewport.transform as Matrix;
    const [content, ops] = await Promise.all([
      page.getTextContent(),
      page.getOperatorList({ annotationMode: AnnotationMode.DISABLE }),
    ]);
    const hidden = { chars: 0 };
    const bounds = { x0: 0, y0: 0, x1: viewport.width, y1: viewport.height };
    const runs = textRuns(content.items, view, bounds, hidden);
    const segments = collectRulings(ops, view);
    const { tables, free } = ruledTables(segments, runs, pageNumber);
    return {
      page: pageNumber,
      width: viewport.width,
      height: viewport.height,
      tables,
      lines: groupLines(free, pageNumber),
      hiddenChars: hidden.chars,
    };
  } finally {
    page.cleanup();
  }
}
