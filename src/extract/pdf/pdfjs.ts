/**
 * pdf.js, loaded once with its worker half and without its side effects on the rest of the process.
 *
 * The legacy build (the one that runs on Node 20) bundles core-js, which replaces built-ins it finds
 * short of the newest spec: Array.prototype.push (a JavaScript loop, 5× slower, for every array in
 * the process), JSON.parse (source-text access, many times slower) and Function.prototype.toString.
 * Nothing pdf.js does needs those edge cases, so the process's own are put back once both halves
 * are loaded. What core-js only adds (Promise.withResolvers, Set methods, …) stays: pdf.js needs it.
 * Importing the worker half here also makes pdf.js run it in this thread (globalThis.pdfjsWorker)
 * instead of importing it on the first document.
 */
type Saved = [object, PropertyKey, PropertyDescriptor];

const KEPT: [object, PropertyKey][] = [
  [Array.prototype, 'push'],
  [JSON, 'parse'],
  [Function.prototype, 'toString'],
];
const saved: Saved[] = KEPT.map(([o, k]) => [o, k, Object.getOwnPropertyDescriptor(o, k)!]);

const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
await import('pdfjs-dist/legacy/build/pdf.worker.mjs');

for (const [o, k, d] of saved) Object.defineProperty(o, k, d);

export const { getDocument, VerbosityLevel, AnnotationMode, OPS } = pdfjs;
export type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
