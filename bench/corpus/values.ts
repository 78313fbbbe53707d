// Random table values that satisfy H1–H5 exactly (format.md "Arithmetic relations").
import { APPLICANT_COLUMNS, REQUEST_ROWS, requestCell, requestRowsOf, type Columns, type Truth } from '../../scripts/render/model.ts';
import type { Rng } from './rng.ts';

export type Template = '2021' | '2019';
const ORGS = APPLICANT_COLUMNS.filter((c) => c !== 'total' && c !== 'naturalPerson');

export interface ValueOptions {
  template: Template;
  /** the （六）其他处理 group as one row (always in 2019) */
  unitemized: boolean;
  /** order of magnitude of 表三 leaf counts: 10^scale at most */
  scale: number;
  /** most result rows all zero */
  zeroRows: boolean;
  /** 6-decimal 万元 amounts */
  decimals: boolean;
}

/** An amount in 万元 with up to `places` decimals, as an exact decimal string turned number. */
function amount(r: Rng, maxInt: number, places: number): number {
  const int = r.count(maxInt, 0.15);
  const frac = places === 0 ? 0 : r.int(0, 10 ** places - 1);
  return Number(`${int}.${String(frac).padStart(places, '0')}`);
}

function active2021(r: Rng, o: ValueOptions): Truth['active'] {
  const docs = () => ({ issued: r.count(40), repealed: r.count(30), inForce: r.count(400, 0.2) });
  const big = Math.max(10, 10 ** Math.min(7, o.scale + 2));
  return {
    rules: r.chance(0.7) ? { issued: 0, repealed: 0, inForce: r.count(15, 0.6) } : docs(),
    normativeDocs: docs(),
    licensing: { decisions: r.count(big - 1, 0.25) },
    penalty: { decisions: r.count(big - 1, 0.25) },
    coercion: { decisions: r.count(Math.floor(big / 10), 0.4) },
    fees: { amount: amount(r, r.chance(0.3) ? 0 : 10 ** r.int(0, 5), o.decimals ? 6 : r.pick([0, 1, 2, 4, 6])) },
  };
}

function active2019(r: Rng, o: ValueOptions): Truth['active'] {
  const made = () => {
    const m = r.count(60);
    const p = r.chance(0.7) ? m : r.int(0, m);
    return { made: m, published: p, totalPublic: p + r.count(800, 0.2) };
  };
  const projects = () => {
    const previous = r.count(300, 0.4);
    const change = r.chance(0.5) ? 0 : r.int(-previous, 40);
    return { previous, change, decisions: r.count(10 ** Math.min(6, o.scale + 2), 0.3) };
  };
  const feePrev = r.count(30, 0.5);
  return {
    rules: r.chance(0.6) ? { made: 0, published: 0, totalPublic: r.count(50, 0.5) } : made(),
    normativeDocs: made(),
    licensing: projects(),
    otherServices: projects(),
    penalty: projects(),
    coercion: projects(),
    fees: { previous: feePrev, change: r.chance(0.6) ? 0 : r.int(-feePrev, 5) },
    procurement: { projects: r.count(200, 0.3), amount: amount(r, 10 ** r.int(0, 5), o.decimals ? 6 : r.pick([0, 2, 4])) },
  };
}

function requests(r: Rng, o: ValueOptions, truth: Truth): Truth['requests'] {
  const rows = requestRowsOf(truth).map((x) => x.path);
  const leaves = rows.filter((p) => !['received', 'carriedOver', 'resultsTotal', 'carriedForward'].includes(p));
  const cols: Record<string, Record<string, number>> = {};
  for (const p of rows) cols[p] = {};
  // Each column is a population of applicants: natural persons many, organisations few or none.
  const colScale: Record<string, number> = { naturalPerson: 10 ** o.scale };
  for (const c of ORGS) colScale[c] = r.chance(0.45) ? 0 : Math.max(1, Math.floor(10 ** o.scale / r.pick([5, 20, 100])));
  const live = new Set(leaves.filter(() => !o.zeroRows || r.chance(0.25)));
  if (live.size === 0) live.add(leaves[0]);
  for (const c of APPLICANT_COLUMNS.filter((x) => x !== 'total')) {
    let sum = 0;
    for (const p of leaves) {
      const heavy = p === 'granted' || p === 'partiallyGranted' || p === 'unavailable.notHeld';
      const v = live.has(p) ? r.count(heavy ? colScale[c] : Math.floor(colScale[c] / 4), heavy ? 0.3 : 0.6) : 0;
      cols[p][c] = v;
      sum += v;
    }
    cols.resultsTotal[c] = sum;
    cols.carriedForward[c] = r.count(Math.floor(colScale[c] / 10), 0.6);
    const handled = sum + cols.carriedForward[c];
    cols.carriedOver[c] = Math.min(handled, r.count(Math.floor(colScale[c] / 10), 0.6));
    cols.received[c] = handled - cols.carriedOver[c];
  }
  for (const p of rows) cols[p].total = APPLICANT_COLUMNS.filter((c) => c !== 'total').reduce((a, c) => a + cols[p][c], 0);
  // Nest as the truth files do: requests.withheld.stateSecret.total
  const out: Truth['requests'] = {};
  for (const p of rows) {
    const ordered: Columns = {};
    for (const c of APPLICANT_COLUMNS) ordered[c] = cols[p][c];
    const [a, b] = p.split('.');
    if (b === undefined) out[a] = ordered;
    else ((out[a] ??= {}) as Record<string, Columns>)[b] = ordered;
  }
  return out;
}

function review(r: Rng, o: ValueOptions): Truth['reviewLitigation'] {
  const out: Truth['reviewLitigation'] = {};
  for (const g of ['review', 'suitDirect', 'suitAfterReview']) {
    const s = g === 'review' ? Math.max(3, 10 ** (o.scale - 1)) : Math.max(2, 10 ** (o.scale - 2));
    const v = { upheld: r.count(s, 0.4), corrected: r.count(s / 3, 0.6), other: r.count(s / 3, 0.6), pending: r.count(s / 3, 0.6), total: 0 };
    v.total = v.upheld + v.corrected + v.other + v.pending;
    out[g] = v;
  }
  return out;
}

/** Tables of a fresh truth (meta, notes and expect are filled in by the caller). */
export function randomTruth(r: Rng, o: ValueOptions, meta: Truth['meta']): Truth {
  const t: Truth = {
    meta,
    active: o.template === '2019' ? active2019(r, o) : active2021(r, o),
    requests: {},
    reviewLitigation: {},
    narrative: [],
    notes: [],
    expect: { errors_at: [], warnings_at: [], may_warn_at: [] },
  };
  // requestRowsOf reads the layout of （六） from the truth: seed it first.
  t.requests.otherHandling = o.unitemized ? { unitemized: {} } : {};
  t.requests = requests(r, o, t);
  t.reviewLitigation = review(r, o);
  return t;
}

/** Every 表三/表四 relation as two sides of paths (H1, H2, H3, H4), for checking and for injections. */
export function relations(t: Truth): { name: string; left: string[]; right: string[] }[] {
  const rows = requestRowsOf(t).map((x) => x.path);
  const leaves = rows.filter((p) => !['received', 'carriedOver', 'resultsTotal', 'carriedForward'].includes(p));
  const out: { name: string; left: string[]; right: string[] }[] = [];
  for (const c of APPLICANT_COLUMNS) {
    out.push({ name: `H1:${c}`, left: ['received', 'carriedOver'].map((p) => `requests.${p}.${c}`), right: ['resultsTotal', 'carriedForward'].map((p) => `requests.${p}.${c}`) });
    out.push({ name: `H2:${c}`, left: leaves.map((p) => `requests.${p}.${c}`), right: [`requests.resultsTotal.${c}`] });
  }
  for (const p of rows) out.push({ name: `H3:${p}`, left: APPLICANT_COLUMNS.filter((c) => c !== 'total').map((c) => `requests.${p}.${c}`), right: [`requests.${p}.total`] });
  for (const g of ['review', 'suitDirect', 'suitAfterReview']) {
    out.push({ name: `H4:${g}`, left: ['upheld', 'corrected', 'other', 'pending'].map((k) => `reviewLitigation.${g}.${k}`), right: [`reviewLitigation.${g}.total`] });
  }
  return out;
}

/** The value at a canonical path of a truth. */
export function valueAt(t: Truth, path: string): number {
  const [table, ...rest] = path.split('.');
  if (table === 'requests') return requestCell(t, rest.slice(0, -1).join('.'), rest[rest.length - 1]);
  let node: unknown = (t as unknown as Record<string, unknown>)[table];
  for (const k of rest) node = (node as Record<string, unknown>)[k];
  if (typeof node !== 'number') throw new Error(`no value at ${path}`);
  return node;
}

export function setValue(t: Truth, path: string, v: number): void {
  const keys = path.split('.');
  let node = t as unknown as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) node = node[k] as Record<string, unknown>;
  node[keys[keys.length - 1]] = v;
}

/** Throws unless H1–H4 hold: the generator's own check. */
export function assertConsistent(t: Truth): void {
  for (const rel of relations(t)) {
    const l = rel.left.reduce((a, p) => a + valueAt(t, p), 0);
    const rr = rel.right.reduce((a, p) => a + valueAt(t, p), 0);
    if (l !== rr) throw new Error(`generator bug: ${rel.name} ${l} ≠ ${rr}`);
  }
}

export { REQUEST_ROWS };
