// npm run corpus -- [--count N] [--seed S] [--out DIR] [--sample]
// Writes N generated reports (and a truth JSON beside each) covering every variant and producer.
// --sample writes the committed sample (bench/sample/, fixed seed) that CI evaluates.
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeSpec, type Spec } from './generate.ts';
import type { Injection } from './inject.ts';
import { produce } from './produce.ts';
import { rng } from './rng.ts';
import { combos, PRODUCERS, VARIANTS, type Producer } from './variants.ts';

const BENCH = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SAMPLE_DIR = join(BENCH, 'sample');
export const SAMPLE_SEED = 2024;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function injection(seed: number, i: number): Injection {
  const x = rng(`${seed}:${i}:inject`).next();
  return x < 0.2 ? 'cell' : x < 0.35 ? 'narrative' : 'none';
}

/** N documents cycling through every (producer, variant) pair in a seeded order. */
function corpusSpecs(seed: number, count: number): Spec[] {
  const all = combos();
  const r = rng(seed);
  for (let i = all.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [all[i], all[j]] = [all[j], all[i]];
  }
  return Array.from({ length: count }, (_, i) => makeSpec(seed, i, all[i % all.length], injection(seed, i)));
}

/** Every variant twice, by different producers, with injections spread over them: a few dozen files. */
function sampleSpecs(): Spec[] {
  const specs: Spec[] = [];
  let k = 0;
  for (let pass = 0; pass < 2; pass++) {
    for (const v of VARIANTS) {
      const eligible = PRODUCERS.filter((p) => !v.producers || v.producers.includes(p.producer));
      const p = eligible[(k + pass * 3) % eligible.length];
      const inj: Injection = k % 4 === 1 ? 'cell' : k % 4 === 3 ? 'narrative' : 'none';
      specs.push(makeSpec(SAMPLE_SEED, k, { format: p.format, producer: p.producer as Producer, variant: v }, inj));
      k++;
    }
  }
  return specs;
}

async function main(): Promise<void> {
  const sample = process.argv.includes('--sample');
  const out = sample ? SAMPLE_DIR : (arg('out') ?? join(BENCH, 'out', 'corpus'));
  const specs = sample ? sampleSpecs() : corpusSpecs(Number(arg('seed') ?? 1), Number(arg('count') ?? 200));
  // A regenerated folder holds exactly this corpus.
  try {
    for (const f of readdirSync(out)) if (/\.(html|docx|pdf|truth\.json)$/u.test(f)) rmSync(join(out, f));
  } catch { /* a new folder */ }
  const t0 = Date.now();
  await produce(specs, out, (s) => console.error(s));
  console.error(`${specs.length} documents in ${out} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
}

await main();
