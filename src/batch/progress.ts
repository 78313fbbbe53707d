/** What `ogi audit` says on standard error: a progress bar (terminal only) and the closing summary. */
import type { Report } from '../report/schema.ts';

const n = (x: number): string => x.toLocaleString('en-US');

/** A one-line progress bar redrawn in place; draws nothing unless `stream` is a terminal. */
export class ProgressBar {
  readonly #stream: NodeJS.WriteStream;
  readonly #total: number;
  readonly #started = performance.now();
  readonly #enabled: boolean;
  #last = 0;

  constructor(total: number, stream: NodeJS.WriteStream = process.stderr) {
    this.#stream = stream;
    this.#total = total;
    this.#enabled = Boolean(stream.isTTY);
  }

  update(done: number, failed: number): void {
    if (!this.#enabled) return;
    const now = performance.now();
    if (done < this.#total && now - this.#last < 100) return; // at most ten redraws a second
    this.#last = now;
    const seconds = (now - this.#started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const width = Math.max(10, Math.min(40, (this.#stream.columns ?? 80) - 60));
    const filled = Math.round((width * done) / Math.max(1, this.#total));
    const eta = rate > 0 && done < this.#total ? ` ETA ${Math.ceil((this.#total - done) / rate)} s` : '';
    const bad = failed ? ` ${n(failed)} unreadable` : '';
    this.#stream.write(`\r\x1b[K[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${n(done)}/${n(this.#total)}${bad} ${rate.toFixed(1)} docs/s${eta}`);
  }

  clear(): void {
    if (this.#enabled) this.#stream.write('\r\x1b[K');
  }
}

function counts(keys: string[]): string {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return [...m]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([k, c]) => `${k} ${n(c)}`)
    .join(', ');
}

/** One paragraph: documents, findings by rule, unreadable documents by reason, time. */
export function batchSummary(reports: Report[], ms: number): string {
  const seconds = ms / 1000;
  const unreadable = reports.filter((r) => r.errors.length > 0);
  const findings = reports.flatMap((r) => r.findings.map((f) => f.rule));
  const rate = seconds > 0 ? ` (${(reports.length / seconds).toFixed(1)}/s)` : '';
  const parts = [
    `${n(reports.length)} document${reports.length === 1 ? '' : 's'} in ${seconds.toFixed(1)} s${rate}`,
    `${n(reports.length - unreadable.length)} read`,
    unreadable.length ? `${n(unreadable.length)} unreadable (${counts(unreadable.map((r) => r.errors[0].code))})` : 'none unreadable',
    findings.length ? `findings by rule: ${counts(findings)}` : 'no findings',
  ];
  return `ogi: ${parts.join('; ')}.\n`;
}
