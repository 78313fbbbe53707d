/**
 * Everything `--out DIR` writes, fed one report at a time: the datasets (CSV, JSON lines, Data
 * Package), the auditor's workbook and the browsable report. All appear together or not at all.
 */
import { join } from 'node:path';
import { DatasetWriter } from './dataset.ts';
import { removeStaleTemps } from './files.ts';
import { HtmlReportWriter } from './html/writer.ts';
import { XlsxWriter } from './xlsx.ts';
import type { Report } from '../report/schema.ts';
import type { OutputOptions, OutputWriter } from './writer.ts';

export class OutputSet {
  readonly #writers: OutputWriter[];
  documents = 0;

  constructor(options: OutputOptions) {
    for (const dir of [options.dir, join(options.dir, 'reports')]) removeStaleTemps(dir);
    this.#writers = [new DatasetWriter(options), new XlsxWriter(options), new HtmlReportWriter(options)];
  }

  add(r: Report): void {
    this.documents++;
    for (const w of this.#writers) w.add(r);
  }

  /** Every writer writes its files, then all are renamed into place; on any failure none is. */
  async commit(): Promise<void> {
    try {
      for (const w of this.#writers) await w.finish();
    } catch (e) {
      this.abort();
      throw e;
    }
    for (const w of this.#writers) w.commit();
  }

  abort(): void {
    for (const w of this.#writers) w.abort();
  }
}
