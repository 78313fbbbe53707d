/**
 * The page script, part 1: data, filters, the overview and the document and finding lists.
 * Plain ES2020 run as is by the browser (not compiled). String.raw keeps its backslashes; it has no
 * backticks or template substitutions. The DOM is built with createElement/textContent only: every
 * string of the data comes from the documents.
 */
export const SCRIPT_LISTS = String.raw`
var $ = function (id) { return document.getElementById(id); };
var DATA = JSON.parse($('ogi-data').textContent);
var DOCS = DATA.docs, LAYOUTS = DATA.layouts, RULES = DATA.rules;
var SEVS = ['error', 'warning', 'info'];
var SEV_ZH = { error: '错误', warning: '警告', info: '提示' };
var FMT_ZH = { pdf: 'PDF', docx: 'DOCX', html: 'HTML' };
var NO_AGENCY = '（发布机关未识别）';
var NO_YEAR = '-';
var STEP = 200; // rows drawn at a time: batches run to tens of thousands of findings
var collator = new Intl.Collator('zh-CN');

/** An element: props set attributes (never HTML), on* props are listeners, children become text nodes. */
function h(tag, props) {
  var e = document.createElement(tag);
  if (props) Object.keys(props).forEach(function (k) {
    var v = props[k];
    if (v === undefined || v === null || v === false) return;
    if (k === 'class') e.className = v;
    else if (k.slice(0, 2) === 'on') e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : String(v));
  });
  for (var i = 2; i < arguments.length; i++) add(e, arguments[i]);
  return e;
}
function add(e, c) {
  if (c === null || c === undefined || c === false) return;
  if (Array.isArray(c)) c.forEach(function (x) { add(e, x); });
  else e.append(typeof c === 'object' ? c : String(c));
}
function sev(s) { return h('span', { class: 'sev ' + s }, SEV_ZH[s]); }
function agencyOf(d) { return d.a ? d.a : NO_AGENCY; }
function yearOf(d) { return d.y === undefined ? NO_YEAR : String(d.y); }
function ruleZh(id) { return Object.prototype.hasOwnProperty.call(RULES, id) ? RULES[id] : ''; }
function baseName(p) { var parts = p.split(/[\\/]/); return parts[parts.length - 1] || p; }
function num(v) { return v === null || v === undefined ? '—' : String(v); }
function pagesText(pg) { return pg && pg.length ? '第 ' + pg.join('、') + ' 页' : ''; }
function countCell(n, s) { return h('td', { class: 'num ' + s + (n ? '' : ' zero') }, n); }

// Search text, lower-cased once.
DOCS.forEach(function (d) {
  d.q = [agencyOf(d), d.p, d.ti || ''].join('\n').toLowerCase();
  d.f.forEach(function (f) { f.q = [f.r, ruleZh(f.r), f.m].join('\n').toLowerCase(); });
});

var filter = { q: '', body: '', year: '', rule: '', sev: '' };
var shown = null; // the batch as the filters leave it: { docs: [{ d, fs: [finding index] }], totals }

/**
 * A finding passes when its severity and rule match and the search text is in it or in its
 * document; a document is listed when its body and year match and, once a severity, rule or text
 * narrows the findings, when some finding of it passes (or the text names the document itself).
 */
function applyFilter() {
  var q = filter.q.trim().toLowerCase();
  var narrow = filter.sev !== '' || filter.rule !== '';
  var docs = [];
  var totals = { docs: 0, unreadable: 0, error: 0, warning: 0, info: 0 };
  DOCS.forEach(function (d) {
    if (filter.body !== '' && agencyOf(d) !== filter.body) return;
    if (filter.year !== '' && yearOf(d) !== filter.year) return;
    var docHit = q === '' || d.q.indexOf(q) >= 0;
    var fs = [];
    d.f.forEach(function (f, j) {
      if (filter.sev !== '' && f.s !== filter.sev) return;
      if (filter.rule !== '' && f.r !== filter.rule) return;
      if (docHit || f.q.indexOf(q) >= 0) fs.push(j);
    });
    if ((narrow || !docHit) && fs.length === 0) return;
    docs.push({ d: d, fs: fs });
    totals.docs++;
    if (d.f.some(function (f) { return f.r.indexOf('document.') === 0; })) totals.unreadable++;
    fs.forEach(function (j) { totals[d.f[j].s]++; });
  });
  shown = { docs: docs, totals: totals };
}

function counts(v) {
  var c = { error: 0, warning: 0, info: 0 };
  v.fs.forEach(function (j) { c[v.d.f[j].s]++; });
  return c;
}

function totalsEl() {
  var t = shown.totals;
  function card(key, label, n, extra) {
    return h('div', { class: 'total ' + key }, h('div', { class: 'n', id: 'tot-' + key }, n), h('div', { class: 'k' }, label, extra));
  }
  return h('div', { class: 'totals' },
    card('docs', '份文件', t.docs, t.unreadable ? h('span', { class: 'tag bad' }, '无法读取 ', h('span', { id: 'tot-unreadable' }, t.unreadable)) : null),
    card('error', '错误', t.error), card('warning', '警告', t.warning), card('info', '提示', t.info),
    card('findings', '条问题', t.error + t.warning + t.info));
}

/** Appends items a step at a time; returns the 显示更多 button (hidden once all are drawn). */
function paged(items, draw, into) {
  var done = 0;
  var btn = h('button', { class: 'btn more', type: 'button', onclick: step });
  function step() {
    var end = Math.min(items.length, done + STEP);
    for (; done < end; done++) into.append(draw(items[done]));
    btn.textContent = '显示更多（还有 ' + (items.length - done) + ' 条）';
    btn.hidden = done >= items.length;
  }
  step();
  return btn;
}

function table(headers) {
  var body = h('tbody');
  var t = h('table', { class: 'list' }, h('thead', null, h('tr', null, headers.map(function (x) {
    return h('th', { class: x.charAt(0) === '#' ? 'num' : null }, x.replace(/^#/, ''));
  }))), body);
  return { table: t, body: body };
}

function stay(ev) { ev.preventDefault(); }
function go(hash) { return function (ev) { if (ev.target.closest('a')) return; location.hash = hash; }; }

function setFilter(key, value, hash) {
  filter[key] = value;
  var input = $('f-' + key);
  if (input) input.value = value;
  applyFilter();
  if (location.hash === hash) route(); else location.hash = hash;
}

function overviewView() {
  var bodies = new Map(), rules = new Map();
  shown.docs.forEach(function (v) {
    var a = agencyOf(v.d), b = bodies.get(a);
    if (!b) bodies.set(a, b = { name: a, years: new Set(), docs: 0, error: 0, warning: 0, info: 0 });
    if (v.d.y !== undefined) b.years.add(v.d.y);
    b.docs++;
    v.fs.forEach(function (j) {
      var f = v.d.f[j], key = f.r + '\u0000' + f.s, r = rules.get(key);
      b[f.s]++;
      if (!r) rules.set(key, r = { rule: f.r, s: f.s, n: 0, docs: new Set() });
      r.n++;
      r.docs.add(v.d.n);
    });
  });
  var byBody = Array.from(bodies.values()).sort(function (x, y) {
    return y.error - x.error || y.warning - x.warning || collator.compare(x.name, y.name);
  });
  var bt = table(['发布机关', '年度', '#文件', '#错误', '#警告', '#提示']);
  var bMore = paged(byBody, function (b) {
    // The link is there for the keyboard; the row's listener does the work for both.
    return h('tr', { class: 'go', 'data-body': b.name, onclick: function () { setFilter('body', b.name, '#docs'); } },
      h('td', null, h('a', { href: '#docs', onclick: stay }, b.name)),
      h('td', null, Array.from(b.years).sort().join('、')),
      h('td', { class: 'num' }, b.docs), countCell(b.error, 'error'), countCell(b.warning, 'warning'), countCell(b.info, 'info'));
  }, bt.body);
  var RANK = { error: 0, warning: 1, info: 2 };
  var byRule = Array.from(rules.values()).sort(function (x, y) {
    return RANK[x.s] - RANK[y.s] || y.n - x.n || (x.rule < y.rule ? -1 : x.rule > y.rule ? 1 : 0);
  });
  var rt = table(['严重程度', '规则', '#问题', '#文件']);
  byRule.forEach(function (r) {
    rt.body.append(h('tr', { class: 'go', 'data-rule': r.rule, onclick: function () { filter.sev = r.s; $('f-sev').value = r.s; setFilter('rule', r.rule, '#findings'); } },
      h('td', null, sev(r.s)),
      h('td', null, h('a', { class: 'rule', href: '#findings', onclick: stay }, r.rule), h('div', null, ruleZh(r.rule))),
      h('td', { class: 'num' }, r.n), h('td', { class: 'num' }, r.docs.size)));
  });
  return [totalsEl(), h('div', { class: 'cols' },
    h('section', { class: 'card', id: 'by-body' }, h('h2', null, '按发布机关', h('span', { class: 'sub' }, byBody.length + ' 个')),
      byBody.length ? [bt.table, bMore] : h('div', { class: 'empty' }, '没有符合条件的文件')),
    h('section', { class: 'card', id: 'by-rule' }, h('h2', null, '按规则', h('span', { class: 'sub' }, byRule.length + ' 条规则')),
      byRule.length ? rt.table : h('div', { class: 'empty' }, '没有符合条件的问题')))];
}

function docsView() {
  var t = table(['发布机关', '年度', '模板', '格式', '文件', '#错误', '#警告', '#提示']);
  var more = paged(shown.docs, function (v) {
    var d = v.d, c = counts(v), bad = d.f.some(function (f) { return f.r.indexOf('document.') === 0; });
    return h('tr', { class: 'go', 'data-doc': d.n, onclick: go('#doc/' + d.n) },
      h('td', null, h('a', { href: '#doc/' + d.n }, agencyOf(d)), bad ? h('span', { class: 'tag bad' }, '无法读取') : null),
      h('td', null, d.y === undefined ? '' : d.y), h('td', null, d.tp ? d.tp + '年版' : ''),
      h('td', null, d.fmt ? FMT_ZH[d.fmt] : ''), h('td', { class: 'file', title: d.p }, baseName(d.p)),
      countCell(c.error, 'error'), countCell(c.warning, 'warning'), countCell(c.info, 'info'));
  }, t.body);
  return [totalsEl(), h('section', { class: 'card' }, h('h2', null, '文件', h('span', { class: 'sub' }, shown.docs.length + ' 份')),
    shown.docs.length ? [t.table, more] : h('div', { class: 'empty' }, '没有符合条件的文件'))];
}

function findingsView() {
  var items = [];
  shown.docs.forEach(function (v) { v.fs.forEach(function (j) { items.push([v.d, j]); }); });
  var t = table(['严重程度', '发布机关', '规则', '说明', '#应为', '#实为', '页码']);
  var more = paged(items, function (it) {
    var d = it[0], f = d.f[it[1]];
    return h('tr', { class: 'go', onclick: go('#doc/' + d.n + '/f/' + it[1]) },
      h('td', null, sev(f.s)),
      h('td', { class: 'agency' }, h('a', { href: '#doc/' + d.n + '/f/' + it[1] }, agencyOf(d)), h('div', { class: 'file' }, d.y === undefined ? '' : d.y + '年度')),
      h('td', { class: 'rule', title: ruleZh(f.r) }, f.r), h('td', { class: 'msg' }, f.m),
      h('td', { class: 'num' }, 'e' in f ? num(f.e) : ''), h('td', { class: 'num' }, 'a' in f ? num(f.a) : ''),
      h('td', { class: 'pages' }, pagesText(f.pg)));
  }, t.body);
  return [totalsEl(), h('section', { class: 'card' }, h('h2', null, '问题', h('span', { class: 'sub' }, items.length + ' 条')),
    items.length ? [t.table, more] : h('div', { class: 'empty' }, '没有符合条件的问题'))];
}

function fillSelect(id, values) {
  var s = $(id);
  values.forEach(function (v) { s.append(h('option', { value: v[0] }, v[1])); });
}

function setupFilters() {
  var bodies = new Set(), years = new Set(), rules = new Set();
  DOCS.forEach(function (d) {
    bodies.add(agencyOf(d));
    years.add(yearOf(d));
    d.f.forEach(function (f) { rules.add(f.r); });
  });
  fillSelect('f-body', Array.from(bodies).sort(collator.compare).map(function (b) { return [b, b]; }));
  fillSelect('f-year', Array.from(years).sort().reverse().map(function (y) { return [y, y === NO_YEAR ? '（年度未识别）' : y + '年度']; }));
  fillSelect('f-rule', Array.from(rules).sort().map(function (r) { return [r, ruleZh(r) ? r + '　' + ruleZh(r) : r]; }));
  fillSelect('f-sev', SEVS.map(function (s) { return [s, SEV_ZH[s]]; }));
  var timer = 0;
  function changed() { applyFilter(); if (!/^#doc\//.test(location.hash)) route(); }
  $('f-q').addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () { filter.q = $('f-q').value; changed(); }, 150);
  });
  ['body', 'year', 'rule', 'sev'].forEach(function (k) {
    $('f-' + k).addEventListener('change', function () { filter[k] = $('f-' + k).value; changed(); });
  });
  $('f-clear').addEventListener('click', function () {
    Object.keys(filter).forEach(function (k) { filter[k] = ''; $('f-' + k).value = ''; });
    changed();
  });
}
`;
