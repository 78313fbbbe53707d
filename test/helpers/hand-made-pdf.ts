/** Hand-made PDFs for tests: what a scan, an encrypted file or an odd producer looks like to us. */

export /** A valid PDF with one page per content stream, Helvetica as /F1, and a correct xref. */
function handMadePdf(
  contents: string[],
  options: { trailer?: string; objects?: string[]; rotate?: number; xobjects?: string } = {},
): Uint8Array {
  const objects: string[] = ['<< /Type /Catalog /Pages 2 0 R >>'];
  const pageIds = contents.map((_, i) => 4 + 2 * i);
  objects.push(`<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${contents.length} >>`);
  objects.push('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>');
  contents.forEach((c, i) => {
    objects.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Rotate ${options.rotate ?? 0} /Resources << /Font << /F1 3 0 R >> ${options.xobjects ?? ''} >> /Contents ${5 + 2 * i} 0 R >>`,
    );
    objects.push(`<< /Length ${c.length} >>\nstream\n${c}\nendstream`);
  });
  objects.push(...(options.objects ?? []));
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${options.trailer ?? ''} >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(out, 'latin1'));
}

/** A valid one-page PDF whose only content is a drawing (no text layer). */
export function imageOnlyPdf(): Uint8Array {
  return handMadePdf(['0.5 g 50 50 500 700 re f']);
}
