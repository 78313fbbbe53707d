/**
 * What stops a document from being read at all. Thrown by any stage, caught per document by the
 * pipeline and reported in `errors` of that document's report; never stops a batch.
 */
export type DocumentErrorCode =
  | 'unsupported-format' // not a PDF, DOCX or HTML document (legacy .doc/.wps, images, random bytes)
  | 'empty' // zero bytes, or no text at all
  | 'truncated' // the file ends early (cut download)
  | 'corrupt' // the container or its parts cannot be parsed
  | 'encrypted' // password-protected PDF or DOCX
  | 'scanned-pdf' // a PDF with no text layer where the report should be (needs OCR)
  | 'no-report-tables' // readable, but none of the report's tables are in it
  | 'unsupported-template' // a report, but not in the 2019 or 2021 national template (e.g. pre-2019)
  | 'read-failed' // the file could not be read from disk
  | 'timeout' // reading took longer than the per-document time limit (batch pool: the worker is replaced)
  | 'out-of-memory'; // reading needed more than the per-worker memory limit (batch pool: the worker is replaced)

export class DocumentError extends Error {
  readonly code: DocumentErrorCode;
  constructor(code: DocumentErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DocumentError';
    this.code = code;
  }
}

export function isDocumentError(e: unknown): e is DocumentError {
  return e instanceof DocumentError;
}
