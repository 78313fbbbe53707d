// Runs the pipeline over a corpus folder (each document beside its NAME.truth.json) and over the
// real documents of ../shared/corpus, and adds up the scores per format, producer and variant.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { auditFile } from '../../src/pipeline.ts';
import { add, scoreDocument, zero, type Counts, type DocumentScore, type TruthLike } from './score.ts';

export interface Group extends Counts { format: string; producer: string; variant: string }
export interface RealRow extends Counts { document: string }
export interface EvalResult {
  total: Counts;
  groups: Group[];
  real: RealRow[];
  /** every document that is not entirely right, with its problems (not part of the JSON contract's counts) */
  failures: { document: string; problems: string[] }[];
}

interface Generated { format: string; producer: string; variant: string }
type Truth = TruthLike & { generated?: Generated };

/** Documents of a folder that have a truth file beside them: [document path, truth]. */
export function truthPairs(dir: string): [string, Truth][] {
  const files = readdirSync(dir).sort();
  const out: [string, Truth][] = [];
  for (const t of files.filter((f) => f.endsWith('.truth.json'))) {
    const stem = t.slice(0, -'.truth.json'.length);
    const doc = files.find((f) => f.startsWith(`${stem}.`) && !f.endsWith('.truth.json') && /\.(pdf|docx|html?|shtml)$/iu.test(f));
    if (doc) out.push([join(dir, doc), JSON.parse(readFileSync(join(dir, t), 'utf8')) as Truth]);
  }
  return out;
}

async function scoreAll(pairs: [string, Truth][], concurrency: number, progress?: (done: number, all: number) => void): Promise<DocumentScore[]> {
  const scores: DocumentScore[] = new Array(pairs.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < pairs.length) {
      const i = next++;
      const [doc, truth] = pairs[i];
      scores[i] = scoreDocument(await auditFile(doc), truth);
      progress?.(++done, pairs.length);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return scores;
}

export async function evaluate(corpus: string, realDir: string | null, opts: { concurrency?: number; progress?: (done: number, all: number) => void } = {}): Promise<EvalResult> {
  const pairs = truthPairs(corpus);
  const real = realDir && existsSync(realDir) ? truthPairs(realDir) : [];
  const scores = await scoreAll([...pairs, ...real], opts.concurrency ?? 2, opts.progress);
  const total = zero();
  const groups = new Map<string, Group>();
  const failures: EvalResult['failures'] = [];
  pairs.forEach(([doc, truth], i) => {
    const g = truth.generated ?? { format: doc.split('.').pop() ?? '?', producer: '?', variant: '?' };
    const key = `${g.format}\t${g.producer}\t${g.variant}`;
    if (!groups.has(key)) groups.set(key, { format: g.format, producer: g.producer, variant: g.variant, ...zero() });
    add(groups.get(key)!, scores[i]);
    add(total, scores[i]);
    if (scores[i].problems.length) failures.push({ document: doc, problems: scores[i].problems });
  });
  const realRows: RealRow[] = real.map(([doc], k) => {
    const s = scores[pairs.length + k];
    if (s.problems.length) failures.push({ document: doc, problems: s.problems });
    const { problems: _p, ...counts } = s;
    return { document: doc.split('/').pop()!, ...counts };
  });
  const order = ['html', 'docx', 'pdf'];
  const sorted = [...groups.values()].sort((a, b) => order.indexOf(a.format) - order.indexOf(b.format) || a.producer.localeCompare(b.producer) || a.variant.localeCompare(b.variant));
  return { total, groups: sorted, real: realRows, failures };
}
