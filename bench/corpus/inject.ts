// Injected errors: one changed 表三/表四 cell that breaks a relation for certain (never excusable as
// an incomplete table), or one narrative count that disagrees with its table.
import { DERIVED_PATHS } from '../../src/report/paths.ts';
import type { Truth } from '../../scripts/render/model.ts';
import type { Claim } from './narrative.ts';
import type { Rng } from './rng.ts';
import { relations, setValue, valueAt } from './values.ts';

export type Injection = 'none' | 'cell' | 'narrative';

/**
 * Changes one explicitly printed cell. Each relation the cell is in then fails; none may fail in a
 * way blank cells on its short side could excuse (format.md: that would be a warning, not an error).
 */
export function injectCell(r: Rng, t: Truth, explicit: Set<string>, blankish: Set<string>): { path: string; from: number; to: number } | undefined {
  const candidates = [...explicit].filter((p) => p.startsWith('requests.') || p.startsWith('reviewLitigation.')).sort();
  const rels = relations(t);
  for (let attempt = 0; attempt < 60 && candidates.length; attempt++) {
    const path = r.pick(candidates);
    const from = valueAt(t, path);
    const size = Math.max(1, Math.round(from * r.pick([0.05, 0.1, 0.5, 1])));
    const delta = (r.chance(0.5) || from - size < 1 ? 1 : -1) * r.int(1, size);
    const to = from + delta;
    if (to < 1) continue;
    setValue(t, path, to);
    const ok = rels.filter((rel) => rel.left.includes(path) || rel.right.includes(path)).every((rel) => {
      const l = rel.left.reduce((a, p) => a + valueAt(t, p), 0);
      const rr = rel.right.reduce((a, p) => a + valueAt(t, p), 0);
      const short = l < rr ? rel.left : rel.right;
      return l !== rr && !short.some((p) => blankish.has(p));
    });
    if (ok) return { path, from, to };
    setValue(t, path, from);
  }
  return undefined;
}

/** The first cell a claim path stands for: itself, or the first cell of the sum it names. */
export function firstCell(t: Truth, path: string): string {
  const derived = DERIVED_PATHS[path];
  if (!derived) return path;
  const present = (p: string): boolean => {
    try {
      valueAt(t, p);
      return true;
    } catch {
      return false;
    }
  };
  return derived.of(present)[0];
}

/** A wrong count for one table claim: not the table's value, nor a reading the rules allow (一 + 二). */
export function wrongClaim(r: Rng, t: Truth, claims: Claim[]): { path: string; value: number; was: number } | undefined {
  const table = claims.filter((c) => !c.path.startsWith('narrative.'));
  if (!table.length) return undefined;
  const c = r.pick(table);
  const avoid = new Set([c.value]);
  if (c.path === 'requests.received.total') avoid.add(c.value + valueAt(t, 'requests.carriedOver.total'));
  for (let i = 0; i < 20; i++) {
    const v = c.value + (r.chance(0.5) ? 1 : -1) * r.int(1, Math.max(1, Math.round(c.value * 0.3)));
    if (v >= 0 && !avoid.has(v)) return { path: c.path, value: v, was: c.value };
  }
  return { path: c.path, value: c.value + 1 + (avoid.has(c.value + 1) ? 1 : 0), was: c.value };
}
