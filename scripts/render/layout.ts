// Describes where the rendered PDF put its tables, read back from pdftotext's page texts, so the
// truth notes say where 表三 breaks without anyone having to keep that in step by hand.
import { REQUEST_ROWS } from './model.ts';

// The first 7 characters of a row label fit on one line of its cell, so they survive wrapping.
const key = (label: string): string => label.slice(0, 7);
const pageOf = (pages: string[], text: string): number => pages.findIndex((p) => p.includes(text)) + 1;
const span = (a: number, b: number): string => (a === b ? `p${a}` : `p${a}–p${b}`);
/** The footer as the page text shows it, checked rather than assumed. */
const footer = (pages: string[], n: number): string => (new RegExp(`^\\s*-${n}-\\s*$`, 'm').test(pages[n - 1] ?? '') ? `"-${n}-"` : 'no footer');

export function layoutNote(pages: string[] | null): string {
  if (!pages) return 'layout (PDF): not described (pdftotext was not available when rendering).';
  const rowPage = REQUEST_ROWS.map((r) => pageOf(pages, key(r.label)));
  const parts = [
    `layout (PDF): A4 portrait, ${pages.length} pages, LibreOffice from the DOCX; page numbers "-N-" centred in the footer`,
    `表二 on ${span(pageOf(pages, '第二十条第（一）项'), pageOf(pages, '行政事业性收费'))}`,
  ];
  const first = rowPage[0];
  const last = rowPage[rowPage.length - 1];
  if (rowPage.some((p) => p === 0)) {
    parts.push('表三 row labels not all found by pdftotext');
  } else if (first === last) {
    parts.push(`表三 whole on p${first}`);
  } else {
    const breaks: string[] = [];
    for (let i = 1; i < rowPage.length; i++) {
      if (rowPage[i] === rowPage[i - 1]) continue;
      const before = REQUEST_ROWS[i - 1];
      const after = REQUEST_ROWS[i];
      const merged = ['三、本年度办理结果', ...(after.group && after.group === before.group ? [after.group] : [])];
      const resumes = i >= 3 && i <= 23 ? `; the merged label${merged.length > 1 ? 's' : ''} ${merged.join(' and ')} resume on p${rowPage[i]} with no text` : '';
      breaks.push(`between requests.${before.path} and requests.${after.path} with the footer ${footer(pages, rowPage[i - 1])} between the halves${resumes}`);
    }
    const heading = pageOf(pages, '三、收到和处理政府信息公开申请情况');
    const header = pageOf(pages, '申请人情况');
    parts.push(`section heading 三 on p${heading}, 表三 header on p${header}, rows on ${span(first, last)}, broken ${breaks.join('; and ')}`);
  }
  parts.push(`表四 on p${pageOf(pages, '未经复议直接起诉')}.`);
  return parts.join('; ');
}
