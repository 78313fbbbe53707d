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

  update(done: number, failed: number, reused = 0): void {
    if (!this.#enabled) return;
    const now = performance.now();
    if (done < this.#total && now - this.#last < 100) return; // at most ten redraws a second
    this.#last = now;
    const seconds = (now - this.#started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const width = Math.max(10, Math.min(40, (this.#stream.columns ?? 80) - 60));
    const filled = Math.round((width * done) / Math.max(1, this.#total));
    const eta = rate > 0 && done < this.#total ? ` ETA ${Math.ceil((this.#total - done) / rate)} s` : '';
    const bad = (reused ? ` ${n(reused)} from the store` : '') + (failed ? ` ${n(failed)} unreadable` : '');
    this.#stream.write(`\r\x1b[K[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${n(done)}/${n(this.#total)}${bad} ${rate.toFixed(1)} docs/s${eta}`);
  }

  clear(): void {
    if (this.#enabled) this.#stream.write('\r\x1b[K');
  }
}

/** `key count, …`, most first; from keys one per occurrence or from [key, count] pairs. */
function counts(keys: string[] | [string, number][]): string {
  const m = new Map<string, number>();
  for (const k of keys) {
    const [key, c] = typeof k === 'string' ? [k, 1] : k;
    m.set(key, (m.get(key) ?? 0) + c);
  }
  return [...m]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([k, c]) => `${k} ${n(c)}`)
    .join(', ');
}

/** What the closing summary counts, gathered a document at a time. */
export class BatchTally {
  documents = 0;
  reused = 0;
  readonly #unreadable: string[] = [];
  readonly #rules = new Map<string, number>();

  add(r: Report, reused = false): void {
    this.documents++;
    if (reused) this.reused++;
    if (r.errors.length) this.#unreadable.push(r.errors[0].code);
    for (const f of r.findings) this.#rules.set(f.rule, (this.#rules.get(f.rule) ?? 0) + 1);
  }

  /** One paragraph: documents, findings by rule, unreadable documents by reason, time. */
  text(ms: number): string {
    const seconds = ms / 1000;
    const rate = seconds > 0 ? ` (${(this.documents / seconds).toFixed(1)}/s)` : '';
    const unreadable = this.#unreadable.length;
    const parts = [
      `${n(this.documents)} document${this.documents === 1 ? '' : 's'} in ${seconds.toFixed(1)} s${rate}`,
      this.reused ? `${n(this.reused)} already in the store, ${n(this.documents - this.reused)} read` : `${n(this.documents)} read`,
      unreadable ? `${n(unreadable)} unreadable (${counts(this.#unreadable)})` : 'none unreadable',
      this.#rules.size ? `findings by rule: ${counts([...this.#rules])}` : 'no findings',
    ];
    return `ogi: ${parts.join('; ')}.\n`;
  }
}

export function batchSummary(reports: Iterable<Report>, ms: number): string {
  const tally = new BatchTally();
  for (const r of reports) tally.add(r);
  return tally.text(ms);
}
