/**
 * Entry point of src/extract: sniff the format from the bytes (never the file name) and hand them to
 * the PDF, DOCX or HTML reader.
 */
import { DocumentError } from '../errors.ts';
import type { DocumentModel, Format, ReadOptions } from './model.ts';
import { readDocx } from './docx.ts';
import { readHtml } from './html.ts';
import { isCfb, isZip, rejectCfb } from './docx/zip.ts';

export type { DocumentModel, Format, ReadOptions } from './model.ts';

export { SUPPORTED_EXTENSIONS } from './model.ts';

const PDF_MAGIC = Buffer.from('%PDF-', 'latin1');
const HTML_START = /<(?:!doctype\s+html|html|head|body|meta|title|table|p|div|span|br|h[1-6]|font|center|style|script|link)[\s>/]/i;

/** Decoded start of the file for the HTML test: UTF-16 by BOM, else Latin-1 (markup is ASCII). */
function headText(bytes: Uint8Array): string {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 8192));
  if (head[0] === 0xff && head[1] === 0xfe) return head.subarray(2).toString('utf16le');
  if (head[0] === 0xfe && head[1] === 0xff) return new TextDecoder('utf-16be').decode(head.subarray(2));
  return head.toString('latin1');
}

function looksLikeHtml(bytes: Uint8Array): boolean {
  const text = headText(bytes);
  // binary data may contain "<p" by chance; markup never holds NUL characters
  if (text.includes('\u0000')) return false;
  return HTML_START.test(text);
}

/** The format the content is in: 'cfb' for OLE containers (legacy .doc/.wps, encrypted OOXML). */
export function sniffFormat(bytes: Uint8Array): Format | 'cfb' | null {
  if (!bytes.length) return null;
  // container magic at offset 0 is definitive; %PDF- may follow some junk (allowed within 1 KB)
  if (isZip(bytes)) return 'docx';
  if (isCfb(bytes)) return 'cfb';
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024));
  if (head.indexOf(PDF_MAGIC) !== -1) return 'pdf';
  if (looksLikeHtml(bytes)) return 'html';
  return null;
}

/** Read any supported document into the neutral model, or throw a DocumentError. */
export async function extract(bytes: Uint8Array, options?: ReadOptions): Promise<DocumentModel> {
  const what = options?.name ? `${options.name}: ` : '';
  if (bytes.length === 0) throw new DocumentError('empty', `${what}the file is empty`);
  switch (sniffFormat(bytes)) {
    case 'pdf': {
      // loaded lazily: runs over HTML pages never load pdf.js
      const { readPdf } = await import('./pdf.ts');
      // pdf.js refuses Node Buffers (what fs.readFile gives): hand it a plain view of the same bytes
      const plain = Buffer.isBuffer(bytes) ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : bytes;
      return readPdf(plain, options);
    }
    case 'docx':
      return readDocx(bytes, options);
    case 'cfb':
      return rejectCfb(bytes, what);
    case 'html':
      return readHtml(bytes, options);
    default: {
      const blank = bytes.every((b) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || b === 0x0c);
      if (blank) throw new DocumentError('empty', `${what}the file holds only whitespace`);
      throw new DocumentError('unsupported-format', `${what}not a PDF, DOCX or HTML document`);
    }
  }
}
