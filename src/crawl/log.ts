/**
 * Crawl logs: a line of text per event on a terminal, a JSON object per line otherwise (a
 * scheduled job's log is read by machines: journald, a log shipper).
 */
export type Level = 'info' | 'warn' | 'error';

export interface Logger {
  log(level: Level, event: string, fields?: Record<string, unknown>): void;
}

export function createLogger(options: { json?: boolean; write?: (line: string) => void; quiet?: boolean } = {}): Logger {
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const json = options.json ?? !process.stderr.isTTY;
  return {
    log(level, event, fields = {}) {
      if (options.quiet && level === 'info') return;
      if (json) write(JSON.stringify({ time: new Date().toISOString(), level, event, ...fields }) + '\n');
      else {
        const rest = Object.entries(fields)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
          .join(' ');
        write(`${level === 'info' ? '' : `${level}: `}${event}${rest ? ` ${rest}` : ''}\n`);
      }
    },
  };
}
