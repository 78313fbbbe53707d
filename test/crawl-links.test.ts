import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { decodeHtml } from '../src/extract/encoding.ts';
import { type FoundLink, discoverLinks, guessYearAndBody } from '../src/crawl/links.ts';
import { looksLikeReport } from '../src/crawl/guess.ts';

const CORPUS = fileURLToPath(new URL('../../shared/corpus/', import.meta.url));
const haveCorpus = existsSync(CORPUS);
const corpusPage = (name: string): string => decodeHtml(readFileSync(CORPUS + name)).text;
const urls = (links: FoundLink[]): string[] => links.map((l) => l.url).sort();

test('real TRS list page (平潭): exactly the ten report links, their years, and the static page of the list2.trsapi pager', { skip: !haveCorpus && 'no ../shared/corpus' }, () => {
  // the column's folder URL, as the breadcrumb of the 2022 report page (href="../") names it
  const base = 'https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/';
  const d = discoverLinks(corpusPage('pingtan-list-index.html'), base);
  // read off the file by hand: <dd><a href="./202603/t20260313_105587.htm" …>平潭综合实验区2025年度…</a>
  const expected: [string, number][] = [
    ['202603/t20260313_105587.htm', 2025],
    ['202503/t20250310_97791.htm', 2024],
    ['202403/t20240308_87885.htm', 2023],
    ['202302/t20230220_80629.htm', 2022],
    ['202202/t20220208_80613.htm', 2021],
    ['202103/t20210305_80595.htm', 2020],
    ['202001/t20200120_80576.htm', 2019],
    ['201901/t20190110_80529.htm', 2018],
    ['201801/t20180123_80506.htm', 2017],
    ['201701/t20170118_80485.htm', 2016],
  ];
  assert.deepEqual(
    d.reports.map((r) => [r.url, r.year, r.body, r.kind]),
    expected.map(([path, year]) => [base + path, year, '平潭综合实验区', 'page']),
  );
  for (const r of d.reports) assert.equal(r.text, `平潭综合实验区${r.year}年度政府信息公开工作年度报告`);
  assert.deepEqual(d.attachments, []);
  // no <a> pager and no createPageHTML: the list2.trsapi config says maxStaticIndex: 1, prepage: 10,
  // recordCount: '20' — two pages, both static, the second named like the articles (.htm)
  assert.deepEqual(d.pagination, [`${base}index_1.htm`]);
  assert.equal(d.notes, undefined);
  assert.equal(d.title, '政府信息公开年报');
  // the same page under its file name
  const named = discoverLinks(corpusPage('pingtan-list-index.html'), `${base}index.htm`);
  assert.deepEqual(named.pagination, [`${base}index_1.htm`]);
  assert.equal(named.reports.length, 10);
});

test('real report pages: title, no report links of their own, javascript: 全真版/文字版 buttons ignored', { skip: !haveCorpus && 'no ../shared/corpus' }, () => {
  const pt = discoverLinks(corpusPage('pingtan-2022.html'), 'https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202302/t20230220_80629.htm');
  assert.equal(pt.title, '平潭综合实验区2022年度政府信息公开工作年度报告');
  assert.deepEqual([pt.reports, pt.attachments, pt.pagination], [[], [], []]);
  assert.deepEqual(guessYearAndBody(pt.title!), { year: 2022, body: '平潭综合实验区' });
  // the crawler's dump links to the page itself (来源): not another report
  const sy = 'http://www.shuyang.gov.cn/sygfj/gknb/202401/2ecfb31a335f4d689220a3a23e24a986.shtml';
  const d = discoverLinks(corpusPage('shuyang-ndrc-2023.html'), sy);
  assert.equal(d.title, '沭阳县发展和改革局2023年政府信息公开年度报告');
  assert.deepEqual(d.reports, []);
  assert.deepEqual(guessYearAndBody(d.title!), { year: 2023, body: '沭阳县发展和改革局' });
});

const SIDEBAR = `
<div class="left_nav"><ul>
  <li><a href="/zwgk/zfxxgk/zfxxgkzn/">政府信息公开指南</a></li>
  <li><a href="/zwgk/zfxxgk/zfxxgkzd/">政府信息公开制度</a></li>
  <li class="on"><a href="/zwgk/zfxxgk/zfxxgknb/">政府信息公开年报</a></li>
  <li><a href="/zwgk/fzzfjs/202403/t20240301_1001.html">2023年法治政府建设年度报告</a></li>
  <li><a href="/zwgk/czyjs/202309/t20230901_1002.html">2023年部门决算</a></li>
  <li><a href="/zwgk/czyjs/202302/t20230210_1003.html">某某县2023年部门预算公开</a></li>
  <li><a href="/zwgk/tjxx/202303/t20230315_1004.html">某某县2022年国民经济和社会发展统计公报</a></li>
  <li><a href="/zwgk/zwgkgzzj/202401/t20240105_1005.html">2023年政务公开工作总结</a></li>
  <li><a href="/zwgk/zwgkyd/202404/t20240410_1006.html">2024年政务公开工作要点</a></li>
  <li><a href="/jdhy/zcjd/202401/t20240120_1007.html">《某某县人民政府2023年政府信息公开工作年度报告》解读</a></li>
  <li><a href="/zwgk/tzgg/202312/t20231201_1008.html">关于做好2023年度政府信息公开工作年度报告编制工作的通知</a></li>
  <li><a href="https://www.province.gov.cn/zwgk/zfxxgknb/202401/t20240125_6384.htm">某某省人民政府2023年政府信息公开工作年度报告</a></li>
</ul></div>`;

const TRS_LIST = `<!DOCTYPE html><html><head><meta charset="utf-8">
<title>政府信息公开年报_政府信息公开_某某县人民政府</title></head><body>
<div class="header"><a href="/">首页</a><a href="http://www.gov.cn/" target="_blank">中国政府网</a><a href="javascript:void(0);">无障碍</a></div>
${SIDEBAR}
<div class="list_con"><ul class="list">
  <li><a href="./202401/t20240118_2001.html" target="_blank" title="某某县人民政府2023年政府信息公开工作年度报告">某某县人民政府2023年政府信息公开工作年...</a><span class="date">2024-01-18</span></li>
  <li><a href="./202401/t20240116_2002.html" target="_blank">某某县教育局2023年度政府信息公开工作年度报告</a><span class="date">2024-01-16</span></li>
  <li><a href="./202301/t20230130_2003.html" target="_blank">2022年政府信息公开工作年度报告</a><span class="date">2023-01-30</span></li>
  <li><a href="./202201/P020220120_2004.pdf" target="_blank">某某县财政局2021年政府信息公开年报</a><span class="date">2022-01-20</span></li>
  <li><a href="./202101/t20210121_2005.html#content" target="_blank">二〇二〇年度某某县卫生健康局政府信息公开工作年度报告</a><span class="date">2021-01-21</span></li>
</ul>
<div class="page"><script>createPageHTML(7, 0, "index", "html");</script>
  <a href="index_1.html">下一页</a> <a href="index_6.html">尾页</a> <a href="javascript:;">跳转</a>
</div></div>
<div class="footer"><a href="mailto:xxgk@mouxian.gov.cn">联系我们</a><a href="http://www.other-county.gov.cn/zwgk/zfxxgknb/index_1.html">下一页</a></div>
</body></html>`;

test('TRS-like list: report links only, near misses and the other site left out, pagination from links and createPageHTML', () => {
  const base = 'http://www.mouxian.gov.cn/zwgk/zfxxgk/zfxxgknb/';
  const d = discoverLinks(TRS_LIST, `${base}index.html`);
  assert.deepEqual(
    d.reports.map((r) => [r.url, r.kind, r.format, r.year, r.body]),
    [
      [`${base}202401/t20240118_2001.html`, 'page', undefined, 2023, '某某县人民政府'],
      [`${base}202401/t20240116_2002.html`, 'page', undefined, 2023, '某某县教育局'],
      [`${base}202301/t20230130_2003.html`, 'page', undefined, 2022, undefined],
      [`${base}202201/P020220120_2004.pdf`, 'attachment', 'pdf', 2021, '某某县财政局'],
      [`${base}202101/t20210121_2005.html`, 'page', undefined, 2020, '某某县卫生健康局'],
    ],
  );
  // the cut text gives way to the title attribute
  assert.equal(d.reports[0].text, '某某县人民政府2023年政府信息公开工作年度报告');
  assert.deepEqual(d.attachments, []);
  assert.deepEqual([...d.pagination].sort(), [1, 2, 3, 4, 5, 6].map((i) => `${base}index_${i}.html`));
  assert.equal(d.title, '政府信息公开年报');
});

test('createPageHTML on a later page, with variables: every other page, the first included', () => {
  const html = `<html><body><ul><li><a href="./202401/t1.shtml">2023年政府信息公开工作年度报告</a></li></ul>
    <script>var countPage = 3//共多少页
    var currentPage = 2;
    createPageHTML(countPage, currentPage, "index", "shtml");</script></body></html>`;
  const d = discoverLinks(html, 'https://www.mouxian.gov.cn/xxgk/nb/index_2.shtml');
  assert.deepEqual(d.pagination, ['https://www.mouxian.gov.cn/xxgk/nb/index.shtml', 'https://www.mouxian.gov.cn/xxgk/nb/index_1.shtml']);
  assert.deepEqual(urls(d.reports), ['https://www.mouxian.gov.cn/xxgk/nb/202401/t1.shtml']);
});

test('list2.trsapi with more pages than it publishes: the static ones, and a note that the rest need the search API', () => {
  const html = `<html><body><script>require(["list2.trsapi"], function (listModel) { listModel({ quickMode: "动静结合", maxStaticIndex: 2,
    pagebar: { prepage: 10, recordCount: '57', pgTemp: "pgBar.html" } }); });</script></body></html>`;
  const d = discoverLinks(html, 'https://www.moushi.gov.cn/xxgk/nb/index_1.htm');
  assert.deepEqual(d.pagination, ['https://www.moushi.gov.cn/xxgk/nb/index.htm', 'https://www.moushi.gov.cn/xxgk/nb/index_2.htm']);
  assert.equal(d.notes?.length, 1);
  assert.match(d.notes![0], /57 records in 6 pages/);
});

const HANWEB_LIST = `<html><head><meta charset="utf-8"><title>政府信息公开年报 某某市人民政府</title></head><body>
${SIDEBAR}
<div id="3456789"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=12&path=/&columnid=105&unitid=3456789&permissiontype=0"></a>]]></nextgroup>
<recordset>
<record><![CDATA[<li><a href="/art/2024/1/20/art_105_8001.html" title="某某市人民政府办公室2023年政府信息公开工作年度报告" target="_blank">某某市人民政府办公室2023年政府信息公开…</a><span>2024-01-20</span></li>]]></record>
<record><![CDATA[<li><a href="/art/2024/1/19/art_105_8002.html" title="某某市发展和改革委员会2023年度政府信息公开工作年度报告" target="_blank">某某市发展和改革委员会2023年度政府信…</a><span>2024-01-19</span></li>]]></record>
<record><![CDATA[<li><a href="http://www.other-city.gov.cn/art/2024/1/18/art_1_1.html" title="某某省2023年政府信息公开工作年度报告">某某省2023年政府信息公开工作年度报告</a><span>2024-01-18</span></li>]]></record>
<record><![CDATA[<li><a href="/art/2023/1/15/art_105_7001.html" title="某某市人民政府办公室二○二二年政府信息公开工作年度报告">某某市人民政府办公室二○二二年…</a><span>2023-01-15</span></li>]]></record>
</recordset></datastore></script></div>
<script>$(document).ready(function(){ $('#3456789').jpage({ dataStore: dataStore, totalRecord: 9, perPage: 2, groupSize: 2,
  proxyUrl: '/module/web/jpage/dataproxy.jsp', barPosition: 'bottom', ajaxParam: { col: 1, webid: 12 } }); });</script>
<div class="pagination"><a href="/col/col105/index.html?uid=3456789&pageNum=2">下一页</a> <a href="/col/col105/index.html?uid=3456789&pageNum=3">3</a></div>
</body></html>`;

test('Hanweb-like list: the CDATA records of its data store, pageNum links, the dataproxy.jsp ranges after the first group', () => {
  const d = discoverLinks(HANWEB_LIST, 'https://www.moushi.gov.cn/col/col105/index.html');
  assert.deepEqual(
    d.reports.map((r) => [r.url, r.year, r.body, r.text]),
    [
      ['https://www.moushi.gov.cn/art/2024/1/20/art_105_8001.html', 2023, '某某市人民政府办公室', '某某市人民政府办公室2023年政府信息公开工作年度报告'],
      ['https://www.moushi.gov.cn/art/2024/1/19/art_105_8002.html', 2023, '某某市发展和改革委员会', '某某市发展和改革委员会2023年度政府信息公开工作年度报告'],
      ['https://www.moushi.gov.cn/art/2023/1/15/art_105_7001.html', 2022, '某某市人民政府办公室', '某某市人民政府办公室二○二二年政府信息公开工作年度报告'],
    ],
  );
  const [next, three, ...proxy] = d.pagination;
  assert.equal(next, 'https://www.moushi.gov.cn/col/col105/index.html?uid=3456789&pageNum=2');
  assert.equal(three, 'https://www.moushi.gov.cn/col/col105/index.html?uid=3456789&pageNum=3');
  // 9 records, 4 in the page, groups of perPage × groupSize = 4: records 5–8 and 9
  const ranges = proxy.map((u) => new URL(u)).map((u) => [u.pathname, u.searchParams.get('columnid'), u.searchParams.get('startrecord'), u.searchParams.get('endrecord'), u.searchParams.get('perpage')]);
  assert.deepEqual(ranges, [
    ['/module/web/jpage/dataproxy.jsp', '105', '5', '8', '2'],
    ['/module/web/jpage/dataproxy.jsp', '105', '9', '9', '2'],
  ]);
  // dataproxy.jsp answers with the bare data store: its records are read the same way
  const answer = `<?xml version="1.0" encoding="utf-8"?><datastore><recordset><record><![CDATA[<li><a href="/art/2022/1/10/art_105_6001.html">某某市人民政府办公室2021年政府信息公开工作年度报告</a></li>]]></record></recordset></datastore>`;
  const more = discoverLinks(answer, proxy[0]);
  assert.deepEqual(more.reports.map((r) => [r.url, r.year]), [['https://www.moushi.gov.cn/art/2022/1/10/art_105_6001.html', 2021]]);
  assert.deepEqual(more.pagination, []);
});

test('other pagers: ?pageindex= and &page= on the same path, list_N.html siblings; other origins and scripts never', () => {
  const html = `<html><body><ul>
    <li><a href="/xxgk/show.jsp?id=77">某某区2023年政府信息公开工作年度报告</a></li></ul>
    <div class="fenye"><a href="list.jsp?cid=5&pageindex=2">2</a><a href="list.jsp?cid=5&pageindex=3">3</a>
      <a href="javascript:goPage(2)">下一页</a><a href="https://other.example.gov.cn/xxgk/list.jsp?cid=5&pageindex=2">2</a>
      <a href="http://www.moqu.gov.cn/xxgk/list.jsp?cid=5&pageindex=4">4</a></div>
    <a href="/search.jsp?q=年报&page=2">2</a></body></html>`;
  const d = discoverLinks(html, 'https://www.moqu.gov.cn/xxgk/list.jsp?cid=5&pageindex=1');
  assert.deepEqual(d.pagination, ['https://www.moqu.gov.cn/xxgk/list.jsp?cid=5&pageindex=2', 'https://www.moqu.gov.cn/xxgk/list.jsp?cid=5&pageindex=3']);
  assert.deepEqual(urls(d.reports), ['https://www.moqu.gov.cn/xxgk/show.jsp?id=77']);

  const lists = `<html><body><a href="list_2.html">2</a><a href="list_3.html">&gt;</a><a href="../other/list_2.html">2</a>
    <a href="article_2.html">2</a><a href="index.html?page=2">下页</a></body></html>`;
  const p = discoverLinks(lists, 'http://www.moqu.gov.cn/nb/list.html');
  assert.deepEqual(p.pagination, ['http://www.moqu.gov.cn/nb/list_2.html', 'http://www.moqu.gov.cn/nb/list_3.html', 'http://www.moqu.gov.cn/nb/index.html?page=2']);

  // an article's neighbour with a short TRS id is no page of a list
  const article = `<html><body><a href="t20240308_8788.htm">下一篇：关于开展安全检查的通知</a><a href="t20240308_8787_1.htm">1</a></body></html>`;
  assert.deepEqual(discoverLinks(article, 'http://www.moqu.gov.cn/nb/202403/t20240308_8787.htm').pagination, []);
});

const ARTICLE = `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta name="ArticleTitle" content="某某县人民政府2023年政府信息公开工作年度报告">
<title>某某县人民政府2023年政府信息公开工作年度报告_政府信息公开年报_某某县人民政府</title></head><body>
<div class="nav"><a href="/">首页</a><a href="/xzzx/">下载中心</a><a href="/app/">APP下载</a><a href="/wjxz/">文件下载</a></div>
<div class="crumb"><a href="../">政府信息公开年报</a></div>
<h1>某某县人民政府2023年政府信息公开工作年度报告</h1>
<div class="TRS_Editor"><p>本报告根据《中华人民共和国政府信息公开条例》编制。</p></div>
<div class="fujian"><p>附件：</p><ul>
  <li><a href="./P020240118538411234567.pdf">某某县人民政府2023年政府信息公开工作年度报告（全真版）.pdf</a></li>
  <li><a href="./P020240118538411234568.docx" title="文字版">文字版</a></li>
  <li><a href="/module/download/downfile.jsp?classid=0&filename=2401181234.wps">附件3</a></li>
  <li><a href="/attach/get.do?fileid=99812">原件下载</a></li>
</ul></div>
<div class="side"><ul>
  <li><a href="/xxgk/sqb/P020200101111.doc">政府信息公开申请表.doc</a></li>
  <li><a href="https://cdn.other-site.com/files/a.pdf">外站附件.pdf</a></li>
  <li><a href="/jdhy/zcjd/202401/t20240120_3001.html">《某某县人民政府2023年政府信息公开工作年度报告》解读</a></li>
  <li><a href="/images/banner.jpg">宣传图</a></li>
</ul></div>
<div class="prev_next"><a href="../202301/t20230120_1.html">上一篇：某某县人民政府2022年政府信息公开工作年度报告</a>
  <a href="./t20240118_2001.html#top">某某县人民政府2023年政府信息公开工作年度报告</a></div>
</body></html>`;

test('report article page: its 全真版 PDF, 文字版 DOCX and downloads; not the forms, other sites, or the 解读', () => {
  const page = 'https://www.mouxian.gov.cn/zwgk/zfxxgk/zfxxgknb/202401/t20240118_2001.html';
  const d = discoverLinks(ARTICLE, page);
  assert.equal(d.title, '某某县人民政府2023年政府信息公开工作年度报告');
  const dir = 'https://www.mouxian.gov.cn/zwgk/zfxxgk/zfxxgknb/202401/';
  assert.deepEqual(
    d.attachments.map((a) => [a.url, a.kind, a.format, a.text]),
    [
      [`${dir}P020240118538411234567.pdf`, 'attachment', 'pdf', '某某县人民政府2023年政府信息公开工作年度报告（全真版）.pdf'],
      [`${dir}P020240118538411234568.docx`, 'attachment', 'docx', '文字版'],
      ['https://www.mouxian.gov.cn/module/download/downfile.jsp?classid=0&filename=2401181234.wps', 'attachment', 'wps', '附件3'],
      ['https://www.mouxian.gov.cn/attach/get.do?fileid=99812', 'attachment', undefined, '原件下载'],
    ],
  );
  // 上一篇 is another year's report; the link to the page itself is not
  assert.deepEqual(d.reports.map((r) => [r.url, r.year, r.body]), [
    ['https://www.mouxian.gov.cn/zwgk/zfxxgk/zfxxgknb/202301/t20230120_1.html', 2022, '某某县人民政府'],
  ]);
  assert.deepEqual(d.pagination, []);
});

test('a list page carries no attachments, even when its links are files', () => {
  const d = discoverLinks(TRS_LIST.replace('</ul>', '<li><a href="/xxgk/sqb/form.doc">政府信息公开申请表</a></li></ul>'), 'http://www.mouxian.gov.cn/zwgk/zfxxgk/zfxxgknb/index.html');
  assert.deepEqual(d.attachments, []);
  assert.ok(!d.reports.some((r) => r.url.endsWith('form.doc')));
});

test('per-site rules: include adds what the defaults miss, exclude drops, pagination marks more pages', () => {
  const html = `<html><body><ul class="list">
    <li><a href="/xxgk/nb/202401/t20240110_1.html">2023年度</a></li>
    <li><a href="/xxgk/nb/202301/t20230110_2.html">2022年度</a></li>
    <li><a href="/xxgk/nb/202401/t20240111_3.html">某某县教育局2023年政府信息公开工作年度报告</a></li>
    <li><a href="/xxgk/nb/202401/t20240112_4.html">某某县水利局2023年政府信息公开工作年度报告</a></li>
    <li><a href="/xxgk/tzgg/202401/t20240113_5.html">2023年度工作安排</a></li></ul>
    <a href="/xxgk/nb/more_2.html">更多</a></body></html>`;
  const base = 'http://www.mouxian.gov.cn';
  const plain = discoverLinks(html, `${base}/xxgk/nb/index.html`);
  assert.deepEqual(urls(plain.reports), [`${base}/xxgk/nb/202401/t20240111_3.html`, `${base}/xxgk/nb/202401/t20240112_4.html`]);
  assert.deepEqual(plain.pagination, []);
  // /g rules as a config might write them: matching must not depend on a previous match
  const ruled = discoverLinks(html, `${base}/xxgk/nb/index.html`, { include: [/\/xxgk\/nb\/\d{6}\//g], exclude: [/教育局/g], pagination: [/more_\d+\.html$/] });
  assert.deepEqual(
    ruled.reports.map((r) => [r.url, r.year]),
    [[`${base}/xxgk/nb/202401/t20240110_1.html`, 2023], [`${base}/xxgk/nb/202301/t20230110_2.html`, 2022], [`${base}/xxgk/nb/202401/t20240112_4.html`, 2023]],
  );
  assert.deepEqual(ruled.pagination, [`${base}/xxgk/nb/more_2.html`]);
});

test('GBK list page declaring its charset after 3 KB of script: decoded, then discovered', () => {
  const script = `<script>${'var x = "abcdefghij";\n'.repeat(160)}</script>`;
  const html = `<html><head>${script}<meta charset="gbk"><title>政府信息公开年报_某某镇人民政府</title></head><body>
    <ul><li><a href="/xxgk/nb/202402/t20240201_11.html">某某镇人民政府2023年政府信息公开工作年度报告</a><span>2024-02-01</span></li>
    <li><a href="/xxgk/nb/202302/t20230201_12.html">某某镇人民政府2022年政府信息公开工作年度报告</a><span>2023-02-01</span></li>
    <li><a href="/xxgk/fzzf/202402/t20240202_13.html">某某镇2023年法治政府建设年度报告</a></li></ul>
    <div class="page"><a href="index_1.html">下一页</a></div></body></html>`;
  const bytes = iconv.encode(html, 'gbk');
  assert.ok(html.indexOf('charset="gbk"') > 1024);
  const decoded = decodeHtml(bytes);
  assert.equal(decoded.encoding, 'gb18030');
  const d = discoverLinks(decoded.text, 'http://www.mouzhen.gov.cn/xxgk/nb/index.html');
  assert.deepEqual(d.reports.map((r) => [r.url, r.year, r.body]), [
    ['http://www.mouzhen.gov.cn/xxgk/nb/202402/t20240201_11.html', 2023, '某某镇人民政府'],
    ['http://www.mouzhen.gov.cn/xxgk/nb/202302/t20230201_12.html', 2022, '某某镇人民政府'],
  ]);
  assert.deepEqual(d.pagination, ['http://www.mouzhen.gov.cn/xxgk/nb/index_1.html']);
  assert.equal(d.title, '政府信息公开年报');
});

test('guessYearAndBody: Arabic and Chinese years, the body before or after the year, none when the text names none', () => {
  const cases: [string, { year?: number; body?: string }][] = [
    ['平潭综合实验区2022年政府信息公开工作年度报告', { year: 2022, body: '平潭综合实验区' }],
    ['2022年政府信息公开工作年度报告', { year: 2022 }],
    ['二〇二三年度政府信息公开工作年度报告', { year: 2023 }],
    ['某某区人民政府二○二一年政府信息公开工作年度报告', { year: 2021, body: '某某区人民政府' }],
    ['二零一九年某某县政府信息公开年报', { year: 2019, body: '某某县' }],
    ['平潭县财政局2009年度政府信息公开年度报告', { year: 2009, body: '平潭县财政局' }],
    ['2025 年上海市人民政府办公厅政府信息公开\n工作年度报告', { year: 2025, body: '上海市人民政府办公厅' }],
    ['【置顶】沭阳县发展和改革局２０２３年政府信息公开年度报告', { year: 2023, body: '沭阳县发展和改革局' }],
    ['本局2023年政府信息公开工作年报', { year: 2023 }],
    ['政府信息公开工作年度报告（2023）', { year: 2023 }],
    ['某某市统计局政府信息公开工作年度报告（2023年度）', { year: 2023, body: '某某市统计局' }],
    ['政府信息公开年报', {}],
    ['2007年政府信息公开工作年度报告', {}],
  ];
  for (const [text, want] of cases) assert.deepEqual(guessYearAndBody(text), want, text);
});

test('looksLikeReport: the report and its near misses', () => {
  const yes = [
    '平潭综合实验区地方税务局2013年信息公开年度报告',
    '某某市2023年政府信息公开工作报告',
    '二〇二三年度政府信息公开工作年度报告',
    '某某县2022年度政府信息公开和政务公开工作年度报告',
  ];
  const no = [
    '2023年法治政府建设年度报告', '2023年部门决算', '2024年部门预算', '政府信息公开指南', '政府信息公开制度',
    '政府信息公开年报', '2023年政务公开工作总结', '2024年政务公开工作要点', '某某市2023年国民经济和社会发展统计公报',
    '《2023年政府信息公开工作年度报告》解读', '图解：某某县2023年政府信息公开工作年度报告',
    '关于报送2023年度政府信息公开工作年度报告的通知', '某某公司2023年度环境信息公开年度报告',
    '某某大学2022-2023学年信息公开工作年度报告', '政府信息公开指南和2023年度报告',
  ];
  for (const t of yes) assert.ok(looksLikeReport(t), t);
  for (const t of no) assert.ok(!looksLikeReport(t), t);
});
