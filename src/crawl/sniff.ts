/**
 * What a response is, from its bytes: government sites serve PDFs as .htm, pages as .pdf and
 * everything as application/octet-stream, so neither the URL nor Content-Type is trusted, except
 * Content-Type text/html for a body nothing else recognises, and a WPS type to tell .wps from .doc
 * (both are CFB containers; telling them apart from the bytes needs the directory walked). The
 * formats themselves are recognised as `ogi audit` recognises them (extract's sniffFormat).
 */
import { sniffFormat } from '../extract/index.ts';

export type ContentKind = 'html' | 'pdf' | 'docx' | 'doc' | 'wps' | 'other';

export function sniffKind(bytes: Uint8Array, contentType?: string): ContentKind {
  const type = (contentType ?? '').toLowerCase();
  switch (sniffFormat(bytes)) {
    case 'pdf':
      return 'pdf';
    case 'html':
      return 'html';
    case 'docx':
      // Any ZIP: a Word document only with entries under word/ (not a spreadsheet, not a bundle).
      return zipIsWord(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) ? 'docx' : 'other';
    case 'cfb':
      return /wps|ms-works/.test(type) ? 'wps' : 'doc';
    default:
      return /text\/html|application\/xhtml\+xml/.test(type) && !/^\s*<\?xml/.test(Buffer.from(bytes.subarray(0, 64)).toString('latin1')) ? 'html' : 'other';
  }
}

/** True when a ZIP archive has entries under word/: its central directory names are read, or, in a cut archive without one, its bytes searched. */
function zipIsWord(body: Buffer): boolean {
  const tail = Math.max(0, body.length - 22 - 0xffff);
  for (let end = body.length - 22; end >= tail; end--) {
    if (body.readUInt32LE(end) !== 0x06054b50) continue;
    const count = body.readUInt16LE(end + 10);
    let at = body.readUInt32LE(end + 16);
    let n = 0;
    for (; n < count && at + 46 <= end && body.readUInt32LE(at) === 0x02014b50; n++) {
      const nameLength = body.readUInt16LE(at + 28);
      if (body.subarray(at + 46, at + 46 + nameLength).toString('latin1').startsWith('word/')) return true;
      at += 46 + nameLength + body.readUInt16LE(at + 30) + body.readUInt16LE(at + 32);
    }
    if (n === count) return false;
    break;
  }
  return body.includes('word/document.xml');
}
