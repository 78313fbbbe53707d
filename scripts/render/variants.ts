// The fixture variants: how each prints its cells and how its truth differs from the seed's.
import type { Display, Truth } from './model.ts';

export type Format = 'html' | 'docx' | 'pdf';
export interface Variant {
  name: string;
  formats: Format[];
  gbk?: boolean;
  /** the truth this document shows; notes about layout are added by the renderer */
  truth(seed: Truth): Truth;
  /** a fresh Display per document, since the dash variant counts the zero cells it prints */
  display(): Display;
}

const clone = (t: Truth): Truth => structuredClone(t);
const plain: Display = (v) => String(v);

const SOURCE = (name: string, formats: Format[]): string =>
  `source: rendered by scripts/render-fixtures.ts from seed.truth.json and seed.text.json (the seed report of ` +
  `杭州市公安局拱墅区分局, 2023) in the official 2021 layout; this variant "${name}" exists as ` +
  `${formats.map((f) => `${name}.${f}`).join(', ')}. Text as in the seed; the dump's [bookmark: _GoBack] marker is not rendered.`;

/** Seed notes that still hold for a rendered variant, with the source and cells notes replaced. */
function notesFor(seed: Truth, name: string, formats: Format[], cells: string, replace: Record<string, string[]> = {}): string[] {
  const out: string[] = [];
  for (const n of seed.notes) {
    const key = /^(\S+?)[ :(]/.exec(n)?.[1] ?? '';
    if (key === 'source') out.push(SOURCE(name, formats));
    else if (key === 'cells') out.push(cells);
    else if (key === 'dump' || key === 'rendered') continue;
    else if (replace[key]) out.push(...replace[key]);
    else out.push(n);
  }
  return out;
}

const ALL: Format[] = ['html', 'docx', 'pdf'];

const seed: Variant = { name: 'seed', formats: ALL, truth: clone, display: () => plain };

const blank: Variant = {
  name: 'seed-blank', formats: ALL, display: () => (v) => (v === 0 ? '' : String(v)),
  truth(s) {
    const t = clone(s);
    t.notes = notesFor(s, this.name, this.formats,
      'cells: every 0 of 表二, 表三 and 表四 is printed as an EMPTY cell (no text at all; in HTML an empty <td>, in DOCX a cell ' +
      'with one empty paragraph). The truth keeps them as 0. Every relation holds with blanks read as 0, so blanks deserve ' +
      'at most an info note: no error, no warning. Non-zero cells are printed as in the seed.');
    return t;
  },
};

const gbk: Variant = {
  name: 'seed-gbk', formats: ['html'], gbk: true, display: () => plain,
  truth(s) {
    const t = clone(s);
    t.notes = notesFor(s, this.name, this.formats,
      'cells: as in the seed, explicit numbers everywhere. Encoding: the page is GBK bytes, not UTF-8; <head> opens with an ' +
      'inline <script> of about 3 KB and only then declares <meta http-equiv="Content-Type" content="text/html; charset=gb2312"> ' +
      'and <meta charset="gb2312">, both past the first 1024 bytes (the late-declaration pattern of real CMS pages). Decode as gb18030.');
    return t;
  },
};

const DASHES = ['-', '—', '/'];
const dash: Variant = {
  name: 'seed-dash', formats: ['html', 'pdf'],
  display() {
    let k = 0;
    return (v) => (v === 0 ? DASHES[k++ % DASHES.length] : String(v));
  },
  truth(s) {
    const t = clone(s);
    t.notes = notesFor(s, this.name, this.formats,
      'cells: every 0 of 表二, 表三 and 表四 is printed as a dash or slash, cycling "-" (U+002D), "—" (U+2014), "/" in document ' +
      'order (表二 row by row, then 表三 row by row left to right, then 表四). The truth keeps them as 0; every relation holds ' +
      'with them read as 0: no error, no warning (an info note about the cell kinds at most).');
    return t;
  },
};

const changed: Variant = {
  name: 'seed-changed', formats: ALL, display: () => plain,
  truth(s) {
    const t = clone(s);
    (t.requests.granted as Record<string, number>).naturalPerson = 3;
    t.notes = notesFor(s, this.name, this.formats,
      'cells: ONE cell differs from the seed: 表三 （一）予以公开 × 自然人 (requests.granted.naturalPerson) is printed 3 where ' +
      'the seed has 0. Every other cell, the row 总计 of 予以公开 (0), （七）总计 (30) and the whole text are as in the seed. ' +
      'Explicit numbers everywhere.', {
        H1: ['H1 (一 + 二 = （七）总计 + 四): naturalPerson 30+0 = 30 = 30+0, since （七）总计 is printed unchanged (30) and 予以公开 ' +
          'is not part of H1; the other columns as in the seed. Holds in every column.'],
        H2: ['H2 naturalPerson: 予以公开 3 + 部分公开 1 + 不予公开 (0+0+0+0+1+1+2+1 = 5) + 无法提供 (10+0+1 = 11) + 不予处理 ' +
          '(0+0+0+0+0 = 0) + 其他处理 (0+0+13 = 13) = 3+1+5+11+0+13 = 33 ≠ （七）总计 30: FAILS (a difference of 3).',
        'H2 other columns: total column 0+1+5+11+0+13 = 30 = 30 (the row 总计 of 予以公开 is still 0); the five organisation ' +
          'columns 0 = 0. Hold.'],
        H3: ['H3 granted: 3+0+0+0+0+0 = 3 ≠ 总计 0: FAILS.',
          'H3 other rows: the 24 other rows as in the seed (总计 = 自然人, organisation cells 0). Hold.'],
      });
    t.notes.push(
      'expect: two hard failures, each an error: H3 on row granted (its finding names requests.granted.naturalPerson and ' +
      'requests.granted.total) and H2 in column naturalPerson (its finding names requests.granted.naturalPerson and ' +
      'requests.resultsTotal.naturalPerson). errors_at lists those three paths. H1 and H4 hold; no narrative count speaks of ' +
      '予以公开, so the narrative still matches and no warning is due.');
    t.expect = {
      errors_at: ['requests.granted.naturalPerson', 'requests.granted.total', 'requests.resultsTotal.naturalPerson'],
      warnings_at: [], may_warn_at: [],
    };
    return t;
  },
};

export const VARIANTS: Variant[] = [seed, blank, gbk, changed, dash];
