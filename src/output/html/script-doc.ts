/**
 * The page script, part 2: a document's page (its findings and the grids of the tables they touch,
 * cells highlighted on click) and the hash router (#overview, #docs, #findings, #doc/<n>[/f/<j>]).
 * Plain ES2020, run after part 1 in the same scope; same rules (String.raw, no backticks).
 */
export const SCRIPT_DOC = String.raw`
var page = null; // the document page on screen: { n, cells: Map path -> [td], items: [li], lit: [td] }

function short(s) { return s.length > 14 ? s.slice(0, 13) + '…' : s; }

/** A value cell: the number, and the raw text beside it when the cell held something else. */
function valueCell(slot, v, pg) {
  var td = h('td', { 'data-path': slot.p, colspan: slot.cs });
  var tip = [slot.z];
  if (v === null || v === undefined) {
    td.className = 'k-absent';
    td.append(h('span', { class: 'v' }, '—'));
    tip.push('报告中没有这一格');
  } else {
    if (typeof v === 'number') v = [v, 'number'];
    var value = v[0], kind = v[1], raw = v[2] || '', note = v[3];
    td.className = 'k-' + kind;
    var aside = kind === 'blank' ? '空白' : kind === 'missing' ? '未找到' : raw ? '“' + short(raw) + '”' : '';
    if (aside) td.append(h('span', { class: 'raw' }, aside));
    td.append(h('span', { class: 'v' }, value === null ? (kind === 'illegible' ? '?' : '—') : String(value)));
    tip.push('数值：' + (value === null ? '无法读取' : value));
    if (raw) tip.push('原文：“' + raw + '”');
    if (note) tip.push('附注：' + note);
  }
  if (pg !== undefined && pg !== null) tip.push('第 ' + pg + ' 页');
  td.title = tip.join('\n');
  return td;
}

function drawGrid(layout, table, cells) {
  var k = 0;
  var body = h('tbody');
  layout.rows.forEach(function (row) {
    var tr = h('tr');
    row.forEach(function (c) {
      if (c.p !== undefined) {
        var td = valueCell(c, table.v[k], table.pg ? table.pg[k] : null);
        k++;
        if (!cells.has(c.p)) cells.set(c.p, []);
        cells.get(c.p).push(td);
        tr.append(td);
      } else {
        // The text sits in a div so a style hint can bound its width (a colspan cell cannot be).
        tr.append(h('th', { class: c.h + (c.x ? ' ' + c.x : ''), rowspan: c.rs, colspan: c.cs, scope: c.h === 'c' ? 'col' : 'row' }, h('div', null, c.t)));
      }
    });
    body.append(tr);
  });
  return h('table', { class: 'grid', 'data-table': layout.table }, body);
}

function findingItem(d, f, j) {
  var nums = [];
  if ('e' in f) nums.push(h('span', null, '应为 ', h('b', null, num(f.e))));
  if ('a' in f) nums.push(h('span', null, '实为 ', h('b', null, num(f.a))));
  if (f.pg) nums.push(h('span', null, pagesText(f.pg)));
  if (f.c) nums.push(h('span', null, f.c.length + ' 个单元格'));
  if (f.x) nums.push(h('span', { class: 'file' }, '对照：' + f.x));
  function open() { location.hash = '#doc/' + d.n + '/f/' + j; }
  return h('li', {
    class: 'finding ' + f.s, tabindex: 0, role: 'button', 'data-index': j,
    onclick: open,
    onkeydown: function (ev) { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); open(); } },
  },
  h('div', { class: 'head' }, sev(f.s), h('span', { class: 'rule', title: ruleZh(f.r) }, f.r)),
  h('div', { class: 'msg' }, f.m),
  f.t && f.m.indexOf(f.t) < 0 ? h('div', { class: 'file' }, '“' + f.t + '”') : null,
  nums.length ? h('div', { class: 'nums' }, nums) : null);
}

function docView(d) {
  var cells = new Map();
  var c = { error: 0, warning: 0, info: 0 };
  d.f.forEach(function (f) { c[f.s]++; });
  var meta = [
    ['年度', d.y === undefined ? '未识别' : d.y + '年度'],
    ['模板', d.tp ? d.tp + '年版' : '未识别'],
    ['格式', d.fmt ? FMT_ZH[d.fmt] + (d.pages ? '，' + d.pages + ' 页' : '') : '未识别'],
    ['文件', d.l ? h('a', { href: d.l, target: '_blank', rel: 'noopener noreferrer' }, d.p) : d.p],
  ];
  var head = h('section', { class: 'card dochead' },
    h('h1', { id: 'doc-agency' }, agencyOf(d)),
    d.ti ? h('div', { class: 'title' }, d.ti) : null,
    h('dl', { class: 'meta' }, meta.map(function (m) { return h('div', null, h('dt', null, m[0]), h('dd', null, m[1])); })),
    h('div', { class: 'counts' }, SEVS.map(function (s) { return h('span', { class: 'sev ' + s }, SEV_ZH[s] + ' ' + c[s]); })));
  var items = d.f.map(function (f, j) { return findingItem(d, f, j); });
  var grids = ['t2', 't3', 't4'].filter(function (t) { return d.g[t]; }).map(function (t) {
    var layout = LAYOUTS[d.g[t].l];
    return h('section', { class: 'grid-section' }, h('h2', null, layout.title), h('div', { class: 'gridwrap' }, drawGrid(layout, d.g[t], cells)));
  });
  var left = h('section', { class: 'card findings' }, h('h2', null, '问题', h('span', { class: 'sub' }, d.f.length + ' 条')),
    d.f.length ? [grids.length ? h('p', { class: 'hint' }, '点击一条问题，在表格中标出它涉及的单元格。') : null, h('ol', { class: 'flist' }, items)]
      : h('div', { class: 'empty' }, '未发现问题'));
  var right = h('section', { class: 'card grids' }, grids.length ? grids : h('div', { class: 'empty' }, d.f.length ? '这些问题不涉及表二、表三、表四的单元格。' : '没有需要标出的表格。'));
  page = { n: d.n, cells: cells, items: items, lit: [] };
  return [h('a', { class: 'back', href: '#docs' }, '← 返回文件列表'), head, h('div', { class: 'docbody' }, left, right)];
}

/** Marks finding j and its cells (the first path, where the finding is, more strongly). */
function select(j, scroll) {
  page.lit.forEach(function (td) { td.classList.remove('hl', 'hl-main'); });
  page.items.forEach(function (li) { li.classList.remove('sel'); });
  page.lit = [];
  var li = page.items[j];
  if (!li) return;
  li.classList.add('sel');
  var f = DOCS[page.n].f[j];
  (f.c || []).forEach(function (p, i) {
    (page.cells.get(p) || []).forEach(function (td) {
      td.classList.add('hl');
      if (i === 0) td.classList.add('hl-main');
      page.lit.push(td);
    });
  });
  if (!scroll) return;
  li.scrollIntoView({ block: 'nearest' });
  if (page.lit.length) page.lit[0].scrollIntoView({ block: 'center', inline: 'center' });
}

function show(nodes, tab, title) {
  var main = $('view');
  main.textContent = '';
  add(main, nodes);
  Array.prototype.forEach.call(document.querySelectorAll('.tabs a'), function (a) { a.classList.toggle('on', a.getAttribute('data-tab') === tab); });
  $('filters').hidden = tab === null;
  document.title = title + ' · 政府信息公开年度报告审核';
}

function route() {
  var m = /^#doc\/(\d+)(?:\/f\/(\d+))?$/.exec(location.hash);
  if (m) {
    var d = DOCS[Number(m[1])], j = m[2] === undefined ? -1 : Number(m[2]);
    if (!d) { page = null; show([h('a', { class: 'back', href: '#docs' }, '← 返回文件列表'), h('div', { class: 'card empty' }, '没有这份文件。')], null, '未找到'); $('view').setAttribute('data-view', 'missing'); return; }
    var fresh = !page || page.n !== d.n;
    if (fresh) { show(docView(d), null, agencyOf(d)); window.scrollTo(0, 0); }
    select(j, j >= 0);
    $('view').setAttribute('data-view', location.hash.slice(1));
    return;
  }
  page = null;
  var tab = location.hash === '#docs' ? 'docs' : location.hash === '#findings' ? 'findings' : 'overview';
  var views = { overview: [overviewView, '概览'], docs: [docsView, '文件'], findings: [findingsView, '问题'] };
  show(views[tab][0](), tab, views[tab][1]);
  // What is on screen, for scripts that drive the page (hashchange handlers run after the hash is set).
  $('view').setAttribute('data-view', tab);
}

setupFilters();
applyFilter();
window.addEventListener('hashchange', route);
route();
document.documentElement.setAttribute('data-ready', '1');
`;
