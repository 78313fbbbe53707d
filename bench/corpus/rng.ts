// A seeded PRNG (mulberry32) and the draws the generator needs: same seed, same corpus.

export interface Rng {
  /** uniform in [0, 1) */
  next(): number;
  /** integer in [lo, hi] */
  int(lo: number, hi: number): number;
  pick<T>(xs: readonly T[]): T;
  chance(p: number): boolean;
  /** a count of about `scale`: 0 often, otherwise spread over one to `scale` */
  count(scale: number, zeroP?: number): number;
  /** a sub-stream, so that adding draws in one part leaves the others' draws unchanged */
  fork(label: string): Rng;
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

export function rng(seed: number | string): Rng {
  let a = typeof seed === 'number' ? seed >>> 0 : hash(seed);
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number): number => lo + Math.floor(next() * (hi - lo + 1));
  return {
    next,
    int,
    pick: (xs) => xs[Math.floor(next() * xs.length)],
    chance: (p) => next() < p,
    count(scale, zeroP = 0.35) {
      if (scale <= 0 || next() < zeroP) return 0;
      // log-uniform: small counts as common as large ones, as in real tables
      return Math.max(1, Math.floor(Math.exp(next() * Math.log(scale + 1))));
    },
    fork: (label) => rng(hash(`${a}:${label}`)),
  };
}
