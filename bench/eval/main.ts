// npm run eval -- [--corpus DIR] [--json FILE] [--real DIR] [--concurrency N] [--failures]
// Scores the pipeline on a generated corpus (the committed sample by default) and on the real
// documents of ../shared/corpus; prints one line per format, producer and variant.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluate, type EvalResult } from './evaluate.ts';
import type { Counts } from './score.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

const pct = (a: number, b: number): string => (b === 0 ? '—' : `${((100 * a) / b).toFixed(a === b ? 0 : 2)}%`);

function line(label: string[], c: Counts): string[] {
  return [...label, String(c.documents), `${c.valuesRight}/${c.values} (${pct(c.valuesRight, c.values)})`, `${c.documentsRight}/${c.documents}`,
    `${c.flagged}/${c.injected}`, String(c.falseAlarms), String(c.documentErrors)];
}

/** A Markdown table, so the README can show it as printed. */
export function table(r: EvalResult): string {
  const head = ['format', 'producer', 'variant', 'documents', 'values right', 'documents right', 'injected flagged', 'false alarms', 'document errors'];
  const rows = r.groups.map((g) => line([g.format, g.producer, g.variant], g));
  rows.push(line(['**total**', '', ''], r.total));
  for (const x of r.real) rows.push(line(['real', '', x.document], x));
  const all = [head, ...rows];
  const w = head.map((_, i) => Math.max(...all.map((row) => [...row[i]].length)));
  const fmt = (row: string[]) => `| ${row.map((c, i) => c + ' '.repeat(w[i] - [...c].length)).join(' | ')} |`;
  return [fmt(head), `| ${w.map((n) => '-'.repeat(n)).join(' | ')} |`, ...rows.map(fmt)].join('\n');
}

async function main(): Promise<void> {
  const corpus = arg('corpus') ?? join(HERE, '..', 'sample');
  const real = arg('real') ?? join(HERE, '..', '..', '..', 'shared', 'corpus');
  const r = await evaluate(corpus, real, {
    concurrency: Number(arg('concurrency') ?? 2),
    progress: (d, n) => { if (d % 50 === 0 || d === n) process.stderr.write(`${d}/${n}\n`); },
  });
  console.log(table(r));
  if (process.argv.includes('--failures')) {
    for (const f of r.failures) console.log(`\n${f.document}\n  ${f.problems.join('\n  ')}`);
  } else if (r.failures.length) console.log(`\n${r.failures.length} documents not entirely right (--failures lists them)`);
  const json = arg('json');
  if (json) {
    const { failures: _f, ...counts } = r;
    writeFileSync(json, `${JSON.stringify(counts, null, 2)}\n`);
  }
}

await main();
