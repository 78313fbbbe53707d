// One generated document: its truth, its format-neutral model and how to render it.
import { buildDocument, type DocModel, type Layout, type Truth } from '../../scripts/render/model.ts';
import { templatePaths } from '../../src/report/paths.ts';
import { firstCell, injectCell, wrongClaim, type Injection } from './inject.ts';
import { withSplitRequests } from './layout.ts';
import { agency, titleLines } from './names.ts';
import { reportText } from './narrative.ts';
import { rng } from './rng.ts';
import { assertConsistent, randomTruth, valueAt } from './values.ts';
import { display, type Format, type Producer, type Variant } from './variants.ts';

export interface GeneratedTruth extends Truth {
  generated: { seed: number; index: number; format: Format; producer: Producer; variant: string; injected: Injection };
}

export interface Spec {
  name: string;
  format: Format;
  producer: Producer;
  variant: Variant;
  truth: GeneratedTruth;
  doc: DocModel;
  /** for the CMS page's 发布日期 and its span cuts */
  seed: string;
  published: string;
}

export function makeSpec(seed: number, index: number, combo: { format: Format; producer: Producer; variant: Variant }, injected: Injection): Spec {
  const { format, producer, variant: v } = combo;
  const r = rng(`${seed}:${index}`);
  const template = v.template ?? '2021';
  const year = template === '2019' ? r.int(2019, 2020) : r.int(2021, 2025);
  const a = agency(r.fork('agency'));
  const title = titleLines(r.fork('title'), a.name, year);
  const [lo, hi] = v.scale ?? [1, 4];
  const truth0 = randomTruth(r.fork('values'), { template, unitemized: v.unitemized === true, scale: r.int(lo, hi), zeroRows: v.zeroRows === true, decimals: v.decimals === true }, { agency: a.name, year, template, title: title.join('') });
  assertConsistent(truth0);
  const truth = truth0 as GeneratedTruth;
  const notes: string[] = [];
  // How each cell prints is drawn per path, so the dry run below and the real render agree.
  const explicit = new Set<string>();
  const blankish = new Set<string>();
  const dr = r.fork('display');
  const perPath = (value: number, path: string) => {
    const pr = dr.fork(path);
    return display(pr, v, explicit, blankish)(value, path);
  };
  for (const p of templatePaths(template, v.unitemized ? 'unitemized' : 'itemized')) perPath(valueAt(truth, p.path), p.path);

  let wrong: { path: string; value: number; was: number } | undefined;
  if (injected === 'cell') {
    const change = injectCell(r.fork('inject'), truth, explicit, blankish);
    if (!change) throw new Error(`document ${index}: no cell to change`);
    truth.expect.errors_at.push(change.path);
    notes.push(`injected: ${change.path} printed ${change.to} where a consistent table has ${change.from}; the truth holds the printed value; every relation with this cell fails and cannot be excused by blank cells`);
  }
  // Narrative claims come from the (possibly changed) truth; a narrative injection then overrides one.
  const layout: Layout = v.layout?.(r.fork('layout')) ?? {};
  let text = reportText(r.fork('text'), truth, a, title, { retitled: v.retitled === true });
  if (injected === 'narrative') {
    wrong = wrongClaim(r.fork('inject'), truth, text.claims);
    if (!wrong) throw new Error(`document ${index}: no narrative claim to change`);
    text = reportText(r.fork('text'), truth, a, title, { retitled: v.retitled === true, wrongClaim: wrong });
    const cell = firstCell(truth, wrong.path);
    truth.expect.warnings_at.push(cell);
    notes.push(`injected: the narrative states ${wrong.path} = ${wrong.value} where the table gives ${wrong.was}; a narrative.vsTable warning must name ${cell}`);
  }
  if (v.pageBreak) {
    const extra = r.int(1, 8);
    const s = text.text.sections.find((x) => x.key === 'requests');
    if (s) s.blocks = Array.from({ length: extra }, () => ({ type: 'paragraph' as const, text: '本机关严格按照《条例》规定的时限和程序办理政府信息公开申请，加强与申请人的沟通，规范答复文书格式，提升答复质量。' }));
  }
  truth.narrative = text.claims;
  truth.notes = [`generated: bench/corpus, seed ${seed}, document ${index}; ${format} by ${producer}; variant ${v.name}: ${v.says}`, ...notes];
  truth.generated = { seed, index, format, producer, variant: v.name, injected };
  let doc = buildDocument(truth, text.text, perPath, layout);
  if (v.splitTable) doc = withSplitRequests(r.fork('split'), doc);
  const name = `${String(index).padStart(5, '0')}-${format}-${producer}-${v.name}${injected === 'none' ? '' : `-${injected}`}`;
  return { name, format, producer, variant: v, truth, doc, seed: `${seed}:${index}`, published: `${year + 1}-01-${String(r.int(10, 31)).padStart(2, '0')}` };
}
