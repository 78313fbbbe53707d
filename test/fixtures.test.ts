// The rendered seed fixtures are what their truth files claim. Text-level only: no project code,
// no pdftotext (CI may lack poppler). Every list below is written out here on purpose, so that
// the renderer in scripts/ is checked rather than trusted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as cheerio from 'cheerio';
import iconv from 'iconv-lite';
import mammoth from 'mammoth';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'seed');
const COLS = ['naturalPerson', 'commercial', 'research', 'nonprofit', 'legalService', 'otherOrg', 'total'];
const ROWS: [string, string][] = [
  ['received', '一、本年新收政府信息公开申请数量'], ['carriedOver', '二、上年结转政府信息公开申请数量'],
  ['granted', '（一）予以公开'], ['partiallyGranted', '（二）部分公开（区分处理的，只计这一情形，不计其他情形）'],
  ['withheld.stateSecret', '1.属于国家秘密'], ['withheld.lawProhibited', '2.其他法律行政法规禁止公开'],
  ['withheld.securityStability', '3.危及“三安全一稳定”'], ['withheld.thirdPartyRights', '4.保护第三方合法权益'],
  ['withheld.internalAffairs', '5.属于三类内部事务信息'], ['withheld.processInfo', '6.属于四类过程性信息'],
  ['withheld.enforcementFile', '7.属于行政执法案卷'], ['withheld.queryMatter', '8.属于行政查询事项'],
  ['unavailable.notHeld', '1.本机关不掌握相关政府信息'], ['unavailable.needsCreation', '2.没有现成信息需要另行制作'],
  ['unavailable.unclear', '3.补正后申请内容仍不明确'],
  ['rejected.complaint', '1.信访举报投诉类申请'], ['rejected.repeated', '2.重复申请'],
  ['rejected.publication', '3.要求提供公开出版物'], ['rejected.excessive', '4.无正当理由大量反复申请'],
  ['rejected.confirmation', '5.要求行政机关确认或重新出具已获取信息'],
  ['otherHandling.overdueCorrection', '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请'],
  ['otherHandling.overdueFee', '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请'],
  ['otherHandling.other', '3.其他'], ['resultsTotal', '（七）总计'], ['carriedForward', '四、结转下年度继续办理'],
];
const LEAVES = ROWS.slice(2, 23).map(([p]) => p);
const GROUPS = ['review', 'suitDirect', 'suitAfterReview'];
const RESULTS = ['upheld', 'corrected', 'other', 'pending', 'total'];

type Truth = Record<string, any>;
const VARIANTS = ['seed', 'seed-blank', 'seed-gbk', 'seed-changed', 'seed-dash'];
const truth = (name: string): Truth => JSON.parse(readFileSync(join(DIR, `${name}.truth.json`), 'utf8'));
const get = (t: Truth, path: string): unknown => path.split('.').reduce<any>((o, k) => o?.[k], t);
const cell = (t: Truth, row: string, col: string): number => {
  const v = get(t.requests, `${row}.${col}`);
  assert.ok(Number.isInteger(v) && (v as number) >= 0, `requests.${row}.${col} = ${String(v)}`);
  return v as number;
};
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

/** Each relation H1–H4 as [id, holds, the paths it involves], from the truth alone. */
function relations(t: Truth): [string, boolean, string[]][] {
  const out: [string, boolean, string[]][] = [];
  for (const c of COLS) {
    const p = (r: string): string => `requests.${r}.${c}`;
    out.push([`H1 ${c}`, cell(t, 'received', c) + cell(t, 'carriedOver', c) === cell(t, 'resultsTotal', c) + cell(t, 'carriedForward', c),
      ['received', 'carriedOver', 'resultsTotal', 'carriedForward'].map(p)]);
    out.push([`H2 ${c}`, sum(LEAVES.map((r) => cell(t, r, c))) === cell(t, 'resultsTotal', c), [...LEAVES, 'resultsTotal'].map(p)]);
  }
  for (const [r] of ROWS) {
    out.push([`H3 ${r}`, sum(COLS.slice(0, 6).map((c) => cell(t, r, c))) === cell(t, r, 'total'), COLS.map((c) => `requests.${r}.${c}`)]);
  }
  for (const g of GROUPS) {
    const v = RESULTS.map((k) => t.reviewLitigation[g][k] as number);
    out.push([`H4 ${g}`, v[0] + v[1] + v[2] + v[3] === v[4], RESULTS.map((k) => `reviewLitigation.${g}.${k}`)]);
  }
  return out;
}

test('every variant has its files, and no more than it should', () => {
  const files = new Set(readdirSync(DIR));
  const want: Record<string, string[]> = {
    seed: ['html', 'docx', 'pdf'], 'seed-blank': ['html', 'docx', 'pdf'], 'seed-gbk': ['html'],
    'seed-changed': ['html', 'docx', 'pdf'], 'seed-dash': ['html', 'pdf'],
  };
  for (const [name, exts] of Object.entries(want)) {
    for (const ext of ['html', 'docx', 'pdf']) assert.equal(files.has(`${name}.${ext}`), exts.includes(ext), `${name}.${ext}`);
    assert.ok(files.has(`${name}.truth.json`), `${name}.truth.json`);
  }
  const bytes = sum([...files].map((f) => statSync(join(DIR, f)).size));
  assert.ok(bytes < 2 * 1024 * 1024, `fixtures/seed is ${bytes} bytes`);
});

test('truth files: 2021 schema, 25×7 request cells, 15 review cells, meta of the seed', () => {
  for (const name of VARIANTS) {
    const t = truth(name);
    assert.deepEqual(t.meta, { agency: '杭州市公安局拱墅区分局', year: 2023, template: '2021', title: '杭州市公安局拱墅区分局政府信息公开工作报告（2023年度）' });
    for (const [r] of ROWS) assert.deepEqual(Object.keys(get(t.requests, r) as object), COLS, `${name} ${r}`);
    for (const g of GROUPS) assert.deepEqual(Object.keys(t.reviewLitigation[g]), RESULTS);
    assert.deepEqual(Object.keys(t.active), ['rules', 'normativeDocs', 'licensing', 'penalty', 'coercion', 'fees']);
    assert.ok(Array.isArray(t.notes) && t.notes.length > 10);
    assert.ok(Array.isArray(t.expect.errors_at) && Array.isArray(t.expect.warnings_at) && Array.isArray(t.expect.may_warn_at));
  }
});

test('clean variants: H1–H4 all hold, nothing expected, no note says FAILS', () => {
  for (const name of ['seed', 'seed-blank', 'seed-gbk', 'seed-dash']) {
    const t = truth(name);
    const failing = relations(t).filter(([, ok]) => !ok).map(([id]) => id);
    assert.deepEqual(failing, [], name);
    assert.deepEqual(t.expect, { errors_at: [], warnings_at: [], may_warn_at: [] }, name);
    assert.ok(!t.notes.some((n: string) => n.includes('FAILS')), name);
  }
});

test('seed-changed: one cell differs, H2 and H3 fail exactly where the notes say', () => {
  const seed = truth('seed');
  const t = truth('seed-changed');
  assert.equal(t.requests.granted.naturalPerson, 3);
  const copy = structuredClone(t);
  copy.requests.granted.naturalPerson = 0;
  for (const k of ['active', 'requests', 'reviewLitigation', 'narrative']) assert.deepEqual(copy[k], seed[k], k);

  const rels = relations(t);
  const failing = rels.filter(([, ok]) => !ok);
  assert.deepEqual(failing.map(([id]) => id).sort(), ['H2 naturalPerson', 'H3 granted']);
  const noted = t.notes.filter((n: string) => n.includes('FAILS')).map((n: string) => n.slice(0, n.indexOf(':')));
  assert.deepEqual(noted.sort(), ['H2 naturalPerson', 'H3 granted']);
  assert.ok(t.expect.errors_at.includes('requests.granted.naturalPerson'));
  // Each path an error must name is a cell of some failing relation.
  for (const p of t.expect.errors_at) assert.ok(failing.some(([, , paths]) => paths.includes(p)), p);
  assert.deepEqual(t.expect.warnings_at, []);
});

test('variant values equal the seed values (changed aside) and the narrative is the same', () => {
  const seed = truth('seed');
  for (const name of ['seed-blank', 'seed-gbk', 'seed-dash']) {
    const t = truth(name);
    for (const k of ['active', 'requests', 'reviewLitigation', 'narrative']) assert.deepEqual(t[k], seed[k], `${name} ${k}`);
  }
});

test('seed narrative counts agree with its tables', () => {
  const t = truth('seed');
  const group = (g: string): number => sum(Object.values(t.requests[g] as Record<string, Record<string, number>>).map((r) => r.total));
  const rl = t.reviewLitigation;
  const table: Record<string, number> = {
    'requests.received.total': t.requests.received.total,
    'requests.partiallyGranted.total': t.requests.partiallyGranted.total,
    'requests.withheld.total': group('withheld'),
    'requests.unavailable.total': group('unavailable'),
    'requests.otherHandling.total': group('otherHandling'),
    'requests.carriedForward.total': t.requests.carriedForward.total,
    'reviewLitigation.review.total': rl.review.total,
    'reviewLitigation.suit.total': rl.suitDirect.total + rl.suitAfterReview.total,
    'reviewLitigation.all.total': rl.review.total + rl.suitDirect.total + rl.suitAfterReview.total,
  };
  const byPath = new Map<string, { value: number | number[]; text: string }>(t.narrative.map((n: Truth) => [n.path, n]));
  assert.equal(byPath.size, 11);
  for (const [path, v] of Object.entries(table)) assert.equal(byPath.get(path)?.value, v, path);
  assert.equal(sum(byPath.get('narrative.activeItems.parts')?.value as number[]), byPath.get('narrative.activeItems.total')?.value);
  const text = JSON.stringify(JSON.parse(readFileSync(join(DIR, 'seed.text.json'), 'utf8')));
  for (const n of byPath.values()) assert.ok(text.includes(n.text), `text holds "${n.text}"`);
});

/** What a variant prints for a value. */
function shown(variant: string, v: number): string | RegExp {
  if (v !== 0) return String(v);
  if (variant === 'seed-blank') return '';
  if (variant === 'seed-dash') return /^[-—/]$/;
  return '0';
}

/** Checks 表三 (and 表二, 表四) of one HTML document against the truth; returns the zero-cell texts. */
function checkHtml(html: string, variant: string, dataRowsFrom: (rows: cheerio.Cheerio<any>) => cheerio.Cheerio<any>): string[] {
  const t = truth(variant);
  const $ = cheerio.load(html);
  const tables = $('table').filter((_, el) => $(el).text().includes('本年新收政府信息公开申请数量'));
  assert.equal(tables.length, 1, `${variant}: one 表三`);
  const rows = dataRowsFrom(tables.first().find('tr'));
  assert.equal(rows.length, 25, `${variant}: 25 data rows`);
  const zeros: string[] = [];
  rows.each((i, tr) => {
    const cells = $(tr).children('td, th').toArray().map((c) => $(c).text().trim());
    const [path, label] = ROWS[i];
    assert.equal(cells[cells.length - 8], label, `${variant} row ${i} label`);
    cells.slice(-7).forEach((text, j) => {
      const v = cell(t, path, COLS[j]);
      const want = shown(variant, v);
      if (want instanceof RegExp) assert.match(text, want, `${variant} requests.${path}.${COLS[j]}`);
      else assert.equal(text, want, `${variant} requests.${path}.${COLS[j]}`);
      if (v === 0) zeros.push(text);
    });
  });
  // 表四: its last row holds the 15 numbers in header order.
  const review = $('table').filter((_, el) => $(el).text().includes('未经复议直接起诉')).first().find('tr').last();
  const got = review.children('td, th').toArray().map((c) => $(c).text().trim());
  GROUPS.flatMap((g) => RESULTS.map((k) => t.reviewLitigation[g][k] as number)).forEach((v, i) => {
    const want = shown(variant, v);
    if (want instanceof RegExp) assert.match(got[i], want); else assert.equal(got[i], want, `${variant} 表四 ${i}`);
  });
  // 表二: the value beside each label.
  const active = $('table').filter((_, el) => $(el).text().includes('第二十条第（五）项')).first();
  const valueOf = (label: string): string[] => active.find('tr').filter((_, tr) => $(tr).children().first().text().trim() === label)
    .children().slice(1).toArray().map((c) => $(c).text().trim());
  const a = t.active;
  const expectRow = (label: string, values: number[]): void => {
    const got = valueOf(label);
    assert.equal(got.length, values.length, `${variant} 表二 ${label}`);
    values.forEach((v, i) => {
      const want = shown(variant, v);
      if (want instanceof RegExp) assert.match(got[i], want); else assert.equal(got[i], want, `${variant} 表二 ${label}`);
    });
  };
  for (const [label, k] of [['规章', 'rules'], ['行政规范性文件', 'normativeDocs']]) {
    expectRow(label, ['issued', 'repealed', 'inForce'].map((c) => a[k][c] as number));
  }
  expectRow('行政许可', [a.licensing.decisions]);
  expectRow('行政处罚', [a.penalty.decisions]);
  expectRow('行政强制', [a.coercion.decisions]);
  expectRow('行政事业性收费', [a.fees.amount]);
  return zeros;
}

const htmlOf = (name: string): string => {
  const bytes = readFileSync(join(DIR, `${name}.html`));
  return name === 'seed-gbk' ? iconv.decode(bytes, 'gb18030') : new TextDecoder('utf-8', { fatal: true }).decode(bytes);
};

test('HTML: 表三 rows, labels and values as the truth says, blanks and dashes where zeros are', () => {
  for (const name of VARIANTS) {
    const zeros = checkHtml(htmlOf(name), name, (rows) => rows.filter((_, tr) => tr.parent !== null && (tr.parent as { name?: string }).name === 'tbody'));
    assert.ok(zeros.length > 100, `${name}: ${zeros.length} zero cells`);
    if (name === 'seed-dash') assert.deepEqual([...new Set(zeros)].sort(), ['-', '/', '—']);
  }
  // The changed cell is really printed.
  const $ = cheerio.load(htmlOf('seed-changed'));
  const granted = $('tr').filter((_, tr) => $(tr).text().includes('（一）予以公开')).children().toArray().map((c) => $(c).text());
  assert.deepEqual(granted.slice(-7), ['3', '0', '0', '0', '0', '0', '0']);
});

test('HTML: 表三 header spans as in the official layout', () => {
  const $ = cheerio.load(htmlOf('seed'));
  const t = $('table').filter((_, el) => $(el).text().includes('本年新收')).first();
  const note = t.find('th').filter((_, c) => $(c).text().startsWith('（本列数据的勾稽关系为'));
  assert.equal(note.attr('rowspan'), '3');
  assert.equal(note.attr('colspan'), '3');
  assert.equal(t.find('td').filter((_, c) => $(c).text() === '三、本年度办理结果').attr('rowspan'), '22');
  assert.equal(t.find('td').filter((_, c) => $(c).text() === '（三）不予公开').attr('rowspan'), '8');
});

test('GBK page: not UTF-8, charset declared late, decodes as gb18030', () => {
  const bytes = readFileSync(join(DIR, 'seed-gbk.html'));
  assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  const meta = bytes.indexOf('charset=gb2312');
  assert.ok(meta > 2048, `charset declared at byte ${meta}`);
  assert.ok(bytes.indexOf('<script') < 200 && bytes.indexOf('<script') >= 0);
  const text = iconv.decode(bytes, 'gb18030');
  assert.ok(text.includes('本年新收政府信息公开申请数量'));
  assert.ok(!text.includes('\ufffd'));
  // Same content as the UTF-8 page, apart from the head.
  const body = (s: string): string => s.slice(s.indexOf('</head>'));
  assert.equal(body(text), body(htmlOf('seed')));
});

test('DOCX: mammoth reads 表三 with its merges and the truth values', async () => {
  for (const name of ['seed', 'seed-blank', 'seed-changed']) {
    const buffer = readFileSync(join(DIR, `${name}.docx`));
    assert.equal(buffer.subarray(0, 2).toString('latin1'), 'PK');
    const { value } = await mammoth.convertToHtml({ buffer });
    // mammoth writes no <thead>: the three header rows come first.
    checkHtml(value, name, (rows) => rows.slice(3));
  }
});

test('PDF: files are PDFs with a trailer', () => {
  for (const name of ['seed', 'seed-blank', 'seed-changed', 'seed-dash']) {
    const bytes = readFileSync(join(DIR, `${name}.pdf`));
    assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-', name);
    assert.match(bytes.subarray(-64).toString('latin1'), /%%EOF\s*$/, name);
  }
});
