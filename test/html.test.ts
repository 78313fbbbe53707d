import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { readHtml } from '../src/extract/html.ts';
import type { Cell, DocumentModel, TableBlock } from '../src/extract/model.ts';
import { isDocumentError } from '../src/errors.ts';

const CORPUS = new URL('../../shared/corpus/', import.meta.url);
const haveCorpus = existsSync(new URL('README.md', CORPUS));

const squeeze = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');
const tables = (m: DocumentModel) => m.blocks.filter((b): b is TableBlock => b.kind === 'table');
const paragraphs = (m: DocumentModel) => m.blocks.flatMap((b) => (b.kind === 'paragraph' ? [b.text] : []));
const html = (body: string, head = '') => Buffer.from(`<!DOCTYPE html><html><head><meta charset="utf-8">${head}</head><body>${body}</body></html>`, 'utf8');

// ---- real reports ----

type Truth = { requests: Record<string, any>; reviewLitigation: Record<string, any>; active: Record<string, any>; notes: string[]; meta: { template: string } };
const COLS = ['naturalPerson', 'commercial', 'research', 'nonprofit', 'legalService', 'otherOrg', 'total'];
/** 表三 rows in table order, with a label fragment each row must show. */
function requestRows(truth: Truth): [string, string][] {
  const other: [string, string][] =
    truth.meta.template === '2019'
      ? [['otherHandling.unitemized', '其他处理']]
      : [['otherHandling.overdueCorrection', '逾期不补正'], ['otherHandling.overdueFee', '收费通知'], ['otherHandling.other', '其他']];
  return [
    ['received', '本年新收'], ['carriedOver', '上年结转'], ['granted', '予以公开'], ['partiallyGranted', '部分公开'],
    ['withheld.stateSecret', '国家秘密'], ['withheld.lawProhibited', '禁止公开'], ['withheld.securityStability', '三安全一稳定'],
    ['withheld.thirdPartyRights', '第三方合法权益'], ['withheld.internalAffairs', '内部事务'], ['withheld.processInfo', '过程性信息'],
    ['withheld.enforcementFile', '行政执法案卷'], ['withheld.queryMatter', '行政查询事项'],
    ['unavailable.notHeld', '不掌握'], ['unavailable.needsCreation', '另行制作'], ['unavailable.unclear', '仍不明确'],
    ['rejected.complaint', '信访举报'], ['rejected.repeated', '重复申请'], ['rejected.publication', '公开出版物'],
    ['rejected.excessive', '大量反复'], ['rejected.confirmation', '重新出具'],
    ...other, ['resultsTotal', '总计'], ['carriedForward', '结转下年度'],
  ];
}
const get = (o: any, path: string) => path.split('.').reduce((x, k) => x?.[k], o);
/** The text a value cell should hold: '' where the notes say the source cell is blank. */
const expected = (truth: Truth, path: string) => {
  const v = get(truth, path);
  return v === 0 && truth.notes.includes(`blank cell in source, read as 0: ${path}`) ? '' : String(v);
};

interface Case {
  file: string;
  title: string;
  narrative: string[];
  chrome: string[];
  table2: [string, string[]][];
  metadata?: Record<string, string>;
}
const CASES: Case[] = [
  {
    file: 'shanghai-office-2019',
    title: '2019年上海市人民政府办公厅政府信息公开工作年度报告',
    narrative: ['市政府办公厅代表市政府共受理政府信息公开申请859件', '答复政府信息公开申请805件', '予以公开及部分公开258件，占33.9%', '信息公开类行政复议7件'],
    chrome: [],
    table2: [['规章', ['13', '13', '524']], ['规范性文件', ['60', '60', '368']], ['行政许可', ['0', '0', '0']], ['政府集中采购', ['6', '251000元']]],
  },
  {
    file: 'shuyang-ndrc-2023',
    title: '沭阳县发展和改革局2023年政府信息公开年度报告',
    narrative: ['2023年度我局共收到依申请信息公开26件', '全年受理网络问政182件', '全年共审核发布各类公开政府信息249条'],
    chrome: ['繁體版', '无障碍', '走进沭阳', '采集时间', '智能问答', '适老化'],
    table2: [['规章', ['0', '0', '0']], ['规范性文件', ['8', '0', '18']], ['行政许可', ['0']], ['行政事业性收费', ['0']]],
  },
  {
    file: 'pingtan-2022',
    title: '平潭综合实验区2022年度政府信息公开工作年度报告',
    narrative: ['2022年，全区收到政府信息公开申请75件', '集中公开现行有效行政规范性文件698件', '共有行政诉讼案件1件、行政复议案件2件，均已结案'],
    chrome: ['当前位置', '扫一扫在手机上查看当前页面', '来源：平潭县人民政府', '全真版', '文字解读', '相关链接'],
    table2: [['规章', ['0', '0', '0']], ['行政规范性文件', ['88', '55', '698']], ['行政许可', ['10690']], ['行政处罚', ['2113']], ['行政事业性收费', ['9116.36']]],
    metadata: { ArticleTitle: '平潭综合实验区2022年度政府信息公开工作年度报告', PubDate: '2023-02-20 15:07', SiteName: '平潭综合实验区党工委管委会', Author: '管委会办公室' },
  },
];

for (const c of CASES) {
  test(`real report ${c.file}.html`, async (t) => {
    if (!haveCorpus) return t.skip('../shared/corpus is absent');
    const truth: Truth = JSON.parse(readFileSync(new URL(`${c.file}.truth.json`, CORPUS), 'utf8'));
    const m = await readHtml(readFileSync(new URL(`${c.file}.html`, CORPUS)), { name: `${c.file}.html` });
    assert.equal(m.format, 'html');
    assert.equal(m.title, c.title);
    for (const [k, v] of Object.entries(c.metadata ?? {})) assert.equal(m.metadata[k], v, k);

    // 表三
    const t3 = tables(m).filter((tb) => tb.grid.some((r) => r.some((x) => x.text.includes('本年新收'))));
    assert.equal(t3.length, 1, 'one 表三');
    const grid = t3[0].grid;
    const first = grid.findIndex((r) => squeeze(r.slice(0, 3).map((x) => x.text).join('')).includes('本年新收'));
    const rows = requestRows(truth);
    assert.equal(first, 3, '3 header rows');
    assert.equal(grid.length - first, rows.length, 'data rows');
    assert.ok(grid.every((r) => r.length === 10), '3 label + 7 number columns');
    rows.forEach(([path, label], i) => {
      const row = grid[first + i];
      assert.ok(squeeze(row.slice(0, 3).map((x) => x.text).join('|')).includes(label), `label of ${path}: ${row[2].text}`);
      assert.deepEqual(row.slice(3).map((x) => x.text), COLS.map((k) => expected(truth, `requests.${path}.${k}`)), path);
    });
    // the 申请人情况 header spans the 7 number columns; 自然人 spans 2 header rows
    assert.equal(grid[0][3].colSpan, 7);
    assert.equal(squeeze(grid[1][3].text), '自然人');
    assert.equal(grid[1][3].rowSpan, 2);
    assert.equal(squeeze(grid[2][4].text), '商业企业');

    // 表四: the one data row of 15 numbers
    const t4 = tables(m).find((tb) => tb.grid.some((r) => r.some((x) => x.text.includes('复议后起诉'))));
    assert.ok(t4, '表四 found');
    const last = t4.grid[t4.grid.length - 1];
    assert.equal(last.length, 15);
    const rl = ['review', 'suitDirect', 'suitAfterReview'].flatMap((g) =>
      ['upheld', 'corrected', 'other', 'pending', 'total'].map((k) => expected(truth, `reviewLitigation.${g}.${k}`)),
    );
    assert.deepEqual(last.map((x) => x.text), rl);
    assert.ok(t4.grid.some((r) => r.some((x) => squeeze(x.text) === '结果纠正')), '结/果/纠/正 joined in reading order');

    // 表二 rows: label, then the values of its distinct cells
    const t2: TableBlock | undefined = tables(m).find((tb) => tb.grid.some((r) => squeeze(r[0].text) === '信息内容'));
    assert.ok(t2, '表二 found');
    for (const [label, values] of c.table2) {
      const row: Cell[] | undefined = t2.grid.find((r) => squeeze(r[0].text) === label);
      assert.ok(row, `表二 row ${label}`);
      assert.deepEqual(row.slice(1).filter((x) => !x.merged).map((x) => x.text), values, label);
    }

    const text = squeeze(paragraphs(m).join('\n'));
    for (const s of c.narrative) assert.ok(text.includes(squeeze(s)), `narrative: ${s}`);
    for (const s of c.chrome) assert.ok(!text.includes(squeeze(s)), `chrome leaked: ${s}`);
    assert.ok(paragraphs(m).some((p) => squeeze(p) === squeeze(c.title)), 'title heading kept');
  });
}

test('real list page pingtan-list-index.html: read without report tables', async (t) => {
  if (!haveCorpus) return t.skip('../shared/corpus is absent');
  const m = await readHtml(readFileSync(new URL('pingtan-list-index.html', CORPUS)));
  assert.equal(m.format, 'html');
  assert.equal(tables(m).length, 0);
  assert.equal(m.metadata.ColumnName, '政府信息公开年报');
});

// ---- generated pages ----

test('rowspan="0" spans to the end of its row group; absurd spans are clamped and noted', async () => {
  const m = await readHtml(
    html(`<table>
      <thead><tr><th>项目</th><th>数量</th><th>备注</th></tr></thead>
      <tbody>
        <tr><td rowspan="0">分组</td><td>1</td><td rowspan="9999">长</td></tr>
        <tr><td>2</td></tr>
        <tr><td>3</td></tr>
      </tbody>
      <tbody><tr><td>合计</td><td colspan="9999">6</td></tr></tbody>
    </table>`),
  );
  const [tb] = tables(m);
  assert.equal(tb.grid.length, 5);
  assert.deepEqual(tb.grid.map((r) => r.map((x) => x.text)), [
    ['项目', '数量', '备注'],
    ['分组', '1', '长'],
    ['分组', '2', '长'],
    ['分组', '3', '长'],
    ['合计', '6', '6'],
  ]);
  assert.equal(tb.grid[1][0].rowSpan, 3);
  assert.equal(tb.grid[4][1].colSpan, 2);
  assert.ok(m.notes.some((n) => /rowspan=0/.test(n)));
  assert.ok(m.notes.some((n) => /clamped rowspan=9999/.test(n)));
  assert.ok(m.notes.some((n) => /clamped colspan=9999/.test(n)));
});

test('Word-pasted cells: split numbers stay whole, one-character paragraphs join in order, &nbsp; is blank', async () => {
  const m = await readHtml(
    html(`<!--[if gte mso 9]><xml><w:WordDocument>隐藏</w:WordDocument></xml><![endif]-->
    <table class="MsoNormalTable">
      <tr><td><p class="MsoNormal"><span>1</span><span>2</span>3<o:p></o:p></p></td>
          <td><p class="MsoNormal"><span lang="EN-US">3</span>
<span lang="EN-US">0</span>
<span lang="EN-US">01</span><o:p>&nbsp;</o:p></p></td>
          <td><p>结</p><p>果</p><p>纠</p><p>正</p></td>
          <td><p class="MsoNormal"><o:p>&nbsp;</o:p></p></td>
          <td>第一行<br>第二行</td>
          <td><span style="display:none">99</span>7<script>document.write(8)</script><style>td{}</style></td></tr>
    </table>`),
  );
  const [tb] = tables(m);
  assert.deepEqual(tb.grid[0].map((x) => x.text), ['123', '3001', '结\n果\n纠\n正', '', '第一行\n第二行', '7']);
  assert.equal(tb.grid[0][3].raw, '');
  assert.ok(!paragraphs(m).some((p) => p.includes('隐藏')));
});

test('nested layout tables: the inner data table is the table, layout text comes once', async () => {
  const m = await readHtml(
    html(`<table width="100%"><tr>
      <td class="left"><a href="/">首页</a><br><a href="/a">机构概况</a><br><a href="/b">政策文件</a></td>
      <td class="main">
        <h1>某某局2023年政府信息公开工作年度报告</h1>
        <p>一、总体情况</p><p>2023年，本局共收到政府信息公开申请12件，均已按期答复办结。本局认真贯彻落实条例要求，持续深化政务公开工作。</p>
        <table border="1"><tr><td>项目</td><td>数量</td></tr><tr><td>本年新收</td><td>12</td></tr></table>
        <p>二、其他需要报告的事项：无。</p>
      </td></tr></table>`),
  );
  const ts = tables(m);
  assert.equal(ts.length, 1);
  assert.deepEqual(ts[0].grid.map((r) => r.map((x) => x.text)), [['项目', '数量'], ['本年新收', '12']]);
  const ps = paragraphs(m);
  assert.equal(ps.filter((p) => p.includes('共收到政府信息公开申请12件')).length, 1);
  assert.ok(!ps.some((p) => p.includes('本年新收')), 'table text not repeated as paragraphs');
  assert.ok(!ps.some((p) => p.includes('机构概况')), 'navigation column left out');
  assert.equal(m.title, '某某局2023年政府信息公开工作年度报告');
  const order = m.blocks.map((b) => (b.kind === 'table' ? 'T' : b.text.slice(0, 2)));
  assert.ok(order.indexOf('T') > order.indexOf('20') && order.indexOf('T') < order.indexOf('二、'), 'document order');
});

test('content container: chrome around a TRS_Editor is left out, the title heading kept', async () => {
  const body = `
    <div class="header"><ul class="nav"><li><a href="/">首页</a></li><li><a href="/x">政务公开</a></li><li><a href="/y">互动交流</a></li></ul></div>
    <div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/n">年报</a></div>
    <div class="main"><div class="article-title">某县2022年政府信息公开工作年度报告</div>
    <div class="info">发布时间：2023-01-31 浏览次数：1234</div>
    <div class="TRS_Editor"><p>本报告根据条例编制。</p><p>2022年，全县共收到政府信息公开申请75件，办结率100%。</p>
      <p>${'全县持续深化政务公开，围绕重点领域加大信息公开力度，不断提升政府工作透明度和公众满意度。'.repeat(3)}</p>
      <table><tr><td>本年新收</td><td>75</td></tr><tr><td>总计</td><td>75</td></tr></table></div>
    <div class="share">分享到：<a>微信</a><a>微博</a></div></div>
    <div class="footer">版权所有：某县人民政府 地址：某路1号 电话：0000-1234567 备案号：某ICP备00000000号</div>`;
  const m = await readHtml(html(body, '<title>某县2022年政府信息公开工作年度报告_年报_某县人民政府</title><meta name="PubDate" content="2023-01-31">'));
  const ps = paragraphs(m);
  assert.deepEqual(ps.slice(0, 3), ['某县2022年政府信息公开工作年度报告', '本报告根据条例编制。', '2022年,全县共收到政府信息公开申请75件,办结率100%。']);
  assert.equal(ps.length, 4);
  assert.equal(m.title, '某县2022年政府信息公开工作年度报告');
  assert.equal(m.metadata.PubDate, '2023-01-31');
  assert.equal(tables(m).length, 1);
});

test('old layout-table page: content cell found, title cell kept, navigation, related list and footer left out', async () => {
  const nav = Array.from({ length: 30 }, (_, i) => `<a href="/c${i}">栏目名称${i}</a>`).join(' | ');
  const narrative = Array.from({ length: 12 }, (_, i) => `（${i}）本机关认真贯彻落实《条例》，持续推进政务公开标准化规范化建设，全年主动公开信息${100 + i}条。`).join('<br>\n');
  const m = await readHtml(
    html(
      `<table width="1000"><tr><td>${nav}</td></tr></table>
      <table width="1000"><tr><td width="200" valign="top"><table><tr><td><a href="/x">通知公告</a></td></tr><tr><td><a href="/y">政策法规</a></td></tr></table></td>
      <td valign="top">
        <table width="100%"><tr><td align="center"><font size="4"><b>某市教育局2023年度政府信息公开工作年度报告</b></font></td></tr>
        <tr><td>发布日期：2024-01-20　　点击数：356</td></tr>
        <tr><td class="content">${narrative}
          <table border="1"><tr><td>项目</td><td>本年新收</td><td>总计</td></tr><tr><td>数量</td><td>12</td><td>12</td></tr></table>
          <p>以上为本年度报告全部内容。</p></td></tr></table>
        <div class="related"><ul><li><a href="/r1">某市教育局2022年度政府信息公开工作年度报告</a></li><li><a href="/r2">某市教育局2021年度报告</a></li></ul></div>
      </td></tr></table>
      <table><tr><td>版权所有：某市教育局　地址：某市某路100号　邮编：000000　电话：0000-00000000　ICP备案号：某ICP备12345678号</td></tr></table>`,
      '<title>某市教育局2023年度政府信息公开工作年度报告--某市教育局</title>',
    ),
  );
  const ps = paragraphs(m);
  assert.equal(m.title, '某市教育局2023年度政府信息公开工作年度报告');
  assert.equal(ps[0], '某市教育局2023年度政府信息公开工作年度报告');
  assert.equal(ps.length, 1 + 12 + 1);
  assert.ok(ps[12].includes('全年主动公开信息111条'));
  assert.deepEqual(tables(m).map((tb) => tb.grid.length), [2]);
  for (const chrome of ['栏目名称', '通知公告', '2022年度', '版权所有', '点击数']) assert.ok(!ps.some((p) => p.includes(chrome)), chrome);
});

test('<title> site suffixes are cut when there is nothing better', async () => {
  const m = await readHtml(html('<p>正文。</p>', '<title>沭阳县发展和改革局2023年政府信息公开年度报告-沭阳县发改局</title>'));
  assert.equal(m.title, '沭阳县发展和改革局2023年政府信息公开年度报告');
});

test('errors: empty, no text, binary', async () => {
  const code = async (b: Uint8Array) => {
    try {
      await readHtml(b);
      return 'ok';
    } catch (e) {
      assert.ok(isDocumentError(e), String(e));
      return e.code;
    }
  };
  assert.equal(await code(new Uint8Array(0)), 'empty');
  assert.equal(await code(Buffer.from('   \n  ')), 'empty');
  assert.equal(await code(html('<div><span></span></div><script>var a = 1;</script>')), 'empty');
  assert.equal(await code(Uint8Array.from([0x3c, 0x70, 0x3e, 0x00, 0x01, 0x02, 0xff, 0x00, 0x10])), 'unsupported-format');
  let seed = 7;
  const random = Uint8Array.from({ length: 4096 }, () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff);
  assert.equal(await code(random), 'unsupported-format');
});

test('malformed markup reads as a browser shows it: misnested inline tags, unclosed cells, text between table rows', async () => {
  const row = (l: string, n: number[]) => `<tr><td>${l}<td>${n.join('<td>')}`;
  const t = `<table>${row('甲', [1, 2])}${row('乙', [3, 4])}</table>`;
  const read = async (body: string) => {
    const m = await readHtml(new TextEncoder().encode(body));
    return m.blocks.map((b) => (b.kind === 'paragraph' ? b.text : b.grid.map((r) => r.map((c) => c.text).join(',')).join('|')));
  };
  const grid = '甲,1,2|乙,3,4';
  assert.deepEqual(await read(`<body><p><b><span>一、总体情况</b>本年度收到申请5件</span></p>${t}</body>`), ['一、总体情况本年度收到申请5件', grid]);
  // Text written between rows shows above the table (HTML's foster parenting).
  assert.deepEqual(await read(`<body><table>表前文字<tr><td>甲</td><td>1</td><td>2</td></tr><tr><td>乙</td><td>3</td><td>4</td></tr></table></body>`), ['表前文字', grid]);
  assert.deepEqual(await read(`<body><div>第一段</p>第二段<p>第三段<p>第四段</div>${t}</body>`), ['第一段', '第二段', '第三段', '第四段', grid]);
  assert.deepEqual(await read(`<body><p>说明${t}后文</p></body>`), ['说明', grid, '后文']);
  assert.deepEqual(await read(`<p>段一<p>段二${t}<p>段三`), ['段一', '段二', grid, '段三']);
  assert.deepEqual(await read(`<body><font size=3><p>甲乙<font color=red>丙</p>丁</font>戊</font>${t}</body>`), ['甲乙丙', '丁戊', grid]);
});

test('rows inside a misplaced wrapper stay in the table; an element between rows shows above it', async () => {
  const read = async (body: string) => {
    const m = await readHtml(new TextEncoder().encode(body));
    return m.blocks.map((b) => (b.kind === 'paragraph' ? b.text : b.grid.map((r) => r.map((c) => c.text).join(',')).join('|')));
  };
  assert.deepEqual(await read('<body><table><font size=2><tr><td>甲<td>1<td>2<tr><td>乙<td>3<td>4</font></table></body>'), ['甲,1,2|乙,3,4']);
  assert.deepEqual(await read('<body><table><tr><td>甲<td>1<td>2</tr><span>注：单位为件</span><tr><td>乙<td>3<td>4</table></body>'), ['注:单位为件', '甲,1,2|乙,3,4']);
});
