/**
 * Opening a PDF with pdf.js: sniffing, the options Chinese text needs, and turning pdf.js failures
 * into DocumentErrors.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { getDocument, VerbosityLevel, type PDFDocumentProxy } from './pdfjs.ts';
import { DocumentError } from '../../errors.ts';

const require = createRequire(import.meta.url);
const PDFJS_DIR = path.dirname(require.resolve('pdfjs-dist/package.json'));
// pdf.js reads these with fs in Node; without the CMaps, CJK text comes back empty without an error.
const CMAP_DIR = path.join(PDFJS_DIR, 'cmaps') + path.sep;
const STANDARD_FONT_DIR = path.join(PDFJS_DIR, 'standard_fonts') + path.sep;

const ascii = (bytes: Uint8Array, from: number, to: number): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset + from, Math.max(0, to - from)).toString('latin1');

/** pdf.js accepts a header anywhere in the first 1 KiB, as Acrobat does. */
export function sniffPdf(bytes: Uint8Array, name?: string): void {
  const label = name ? `${name}: ` : '';
  if (bytes.length === 0) throw new DocumentError('empty', `${label}empty file`);
  if (!ascii(bytes, 0, Math.min(bytes.length, 1024)).includes('%PDF-')) {
    throw new DocumentError('unsupported-format', `${label}not a PDF (no %PDF- header)`);
  }
}

/**
 * A complete PDF ends with %%EOF (give or take trailing junk). None near the end, or an object body
 * after the last one (an incremental update cut short), means the download was cut. Only the tail
 * is read: a big file is not copied into a string.
 */
export function looksTruncated(bytes: Uint8Array): boolean {
  const from = Math.max(0, bytes.length - 65536);
  const tail = ascii(bytes, from, bytes.length);
  const eof = tail.lastIndexOf('%%EOF');
  if (eof < 0) return true;
  return /\bendobj\b|\d+\s+\d+\s+obj\b/.test(tail.slice(eof + 5));
}

export interface OpenedPdf {
  doc: PDFDocumentProxy;
  destroy: () => Promise<void>;
}

/**
 * pdf.js turns every glyph into a path when font faces are disabled (its only other way to draw
 * text), which is a third of the time of a CJK page. With font faces enabled it hands each font to
 * the document's style sheet instead; this stand-in document takes the rule and drops it. We never
 * render, so nothing is lost. Passed through pdf.js's own `ownerDocument` option, no globals.
 */
const HEADLESS_DOCUMENT = {
  createElement: () => ({ sheet: { cssRules: { length: 0 }, insertRule: () => 0 }, remove: () => undefined }),
  documentElement: { getElementsByTagName: () => [{ append: () => undefined }] },
};

type InitParameters = Extract<Parameters<typeof getDocument>[0], { ownerDocument?: unknown }>;

export async function openPdf(bytes: Uint8Array, name?: string): Promise<OpenedPdf> {
  const truncated = looksTruncated(bytes);
  // pdf.js transfers (detaches) the buffer it is given, and refuses Node Buffers: hand it a plain copy.
  const task = getDocument({
    data: new Uint8Array(bytes),
    cMapUrl: CMAP_DIR,
    cMapPacked: true,
    standardFontDataUrl: STANDARD_FONT_DIR,
    disableFontFace: false,
    ownerDocument: HEADLESS_DOCUMENT as unknown as InitParameters['ownerDocument'],
    useSystemFonts: false,
    isEvalSupported: false,
    // Images are never looked at: skip decoding them (a scanned page is one big image).
    maxImageSize: 1,
    verbosity: VerbosityLevel.ERRORS,
  });
  const destroy = () => task.destroy().catch(() => undefined);
  try {
    const doc = await task.promise;
    return { doc, destroy };
  } catch (e) {
    await destroy();
    throw pdfError(e, truncated, name);
  }
}

/** Map a pdf.js (or other) failure to the error a batch report should show. */
export function pdfError(e: unknown, truncated: boolean, name?: string): DocumentError {
  if (e instanceof DocumentError) return e;
  const label = name ? `${name}: ` : '';
  const errName = typeof e === 'object' && e !== null && 'name' in e ? String(e.name) : '';
  const message = e instanceof Error ? e.message : String(e);
  if (errName === 'PasswordException') {
    return new DocumentError('encrypted', `${label}password-protected PDF`, { cause: e });
  }
  if (truncated) {
    return new DocumentError('truncated', `${label}PDF is cut short (no %%EOF): ${message}`, { cause: e });
  }
  return new DocumentError('corrupt', `${label}PDF cannot be parsed: ${message}`, { cause: e });
}
