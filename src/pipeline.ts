/**
 * One document through the pipeline: bytes → extract → normalize → audit. Whatever goes wrong
 * becomes this document's `errors` entry; nothing here throws for a bad document.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { audit } from './audit/index.ts';
import { isDocumentError } from './errors.ts';
import { extract } from './extract/index.ts';
import { normalize } from './normalize/index.ts';
import { errorReport, type Report, type Source } from './report/schema.ts';

export { errorReport };

export async function auditBytes(bytes: Uint8Array, path: string, options: { httpCharset?: string; sha256?: string } = {}): Promise<Report> {
  const source: Source = {
    path,
    format: null,
    sha256: options.sha256 ?? createHash('sha256').update(bytes).digest('hex'),
    bytes: bytes.byteLength,
  };
  try {
    const model = await extract(bytes, { name: path, httpCharset: options.httpCharset });
    source.format = model.format;
    const report = normalize(model, source);
    report.findings = audit(report);
    return report;
  } catch (e) {
    if (isDocumentError(e)) return errorReport(source, e.code, e.message);
    // A bug of ours on one document must not cost the batch: report it on the document.
    return errorReport(source, 'internal-error', `unexpected failure: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  }
}

export async function auditFile(path: string): Promise<Report> {
  let bytes: Uint8Array;
  try {
    const buf = await readFile(path);
    // A plain Uint8Array view, not a Buffer: readers (pdf.js) may refuse Buffers or slice them.
    bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    const source: Source = { path, format: null, sha256: '', bytes: 0 };
    return errorReport(source, 'read-failed', `cannot read the file: ${(e as Error).message}`);
  }
  return auditBytes(bytes, path);
}
