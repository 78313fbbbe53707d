/**
 * A small batch of real pipeline reports for output tests: generated documents of the committed
 * sample (HTML, DOCX, PDF; templates 2021 and 2019; a collapsed （六） group; injected errors), the
 * real published reports of ../shared/corpus where present, and one document that cannot be read.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { auditBytes } from '../../src/pipeline.ts';
import type { Report } from '../../src/report/schema.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SAMPLE_DIR = join(root, 'bench', 'sample');
export const CORPUS_DIR = join(root, '..', 'shared', 'corpus');

const SAMPLE = [
  '00000-html-plain-base.html',
  '00001-html-word-cms-template-2019-cell.html',
  '00002-docx-docx-js-other-unitemized.docx',
  '00005-pdf-chromium-zero-rows-cell.pdf',
  '00007-html-word-cms-fee-decimals-narrative.html',
  '00020-pdf-chromium-template-2019.pdf',
  '00021-html-plain-other-unitemized-cell.html',
];
const CORPUS = ['pingtan-2022.html', 'shanghai-office-2019.html'];

let cached: Promise<Report[]> | undefined;

/** The batch, audited once per test process; paths are relative to the repository root. */
export function sampleReports(): Promise<Report[]> {
  cached ??= (async () => {
    const reports: Report[] = [];
    for (const name of SAMPLE) reports.push(await auditBytes(readFileSync(join(SAMPLE_DIR, name)), `bench/sample/${name}`));
    for (const name of CORPUS) {
      const path = join(CORPUS_DIR, name);
      if (existsSync(path)) reports.push(await auditBytes(readFileSync(path), `../shared/corpus/${name}`));
    }
    reports.push(await auditBytes(new TextEncoder().encode('%PDF-1.7\nnot really a pdf'), 'broken/truncated.pdf'));
    return reports;
  })();
  return cached;
}
