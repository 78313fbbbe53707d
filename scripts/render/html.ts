// Plain semantic HTML for a DocModel. The GBK flavour mimics a CMS page: a long inline <script>
// in <head> pushes the late <meta charset> past the first 1024 bytes that sniffers read.
import type { Cell, DocModel, TableModel } from './model.ts';

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function cell(c: Cell, inHead: boolean): string {
  // Only the header block uses <th>; data-row labels are <td>, as CMS pages write them.
  const t = inHead ? 'th' : 'td';
  const attrs = [
    c.rowSpan && c.rowSpan > 1 ? ` rowspan="${c.rowSpan}"` : '',
    c.colSpan && c.colSpan > 1 ? ` colspan="${c.colSpan}"` : '',
    c.value ? ' class="num"' : '',
  ].join('');
  // A line break inside a cell (a wrapped or vertical label) is a <br>, as editors write it.
  return `<${t}${attrs}>${c.text.split('\n').map(esc).join('<br>')}</${t}>`;
}

function table(t: TableModel): string {
  const out = [`<table class="${t.id}" border="1" cellspacing="0" cellpadding="4">`];
  if (t.headRows > 0) {
    out.push('<thead>');
    for (const r of t.rows.slice(0, t.headRows)) out.push(`<tr>${r.map((c) => cell(c, true)).join('')}</tr>`);
    out.push('</thead>');
  }
  out.push('<tbody>');
  for (const r of t.rows.slice(t.headRows)) out.push(`<tr>${r.map((c) => cell(c, false)).join('')}</tr>`);
  out.push('</tbody>', '</table>');
  return out.join('\n');
}

/** ~3 KB of inline script as CMS templates carry it (menu data and a visit counter), deterministic. */
export function cmsScript(): string {
  const columns = ['首页', '政务公开', '政府信息公开指南', '政府信息公开制度', '法定主动公开内容', '政府信息公开年报',
    '机构职能', '政策文件', '规划计划', '财政资金', '人事信息', '行政执法', '重点领域', '公告公示', '政策解读', '互动交流'];
  const menu = columns.map((name, i) => `    { id: "col${String(i + 1).padStart(3, '0')}", name: "${name}", url: "./col/col${i + 1}/index.html", open: ${i % 3 === 0} }`);
  return [
    '<script type="text/javascript">',
    '  // site navigation as delivered by the content management system',
    '  var siteConfig = {',
    '    siteId: "gsga", siteName: "杭州市拱墅区人民政府", unit: "杭州市公安局拱墅区分局",',
    '    menu: [',
    menu.join(',\n'),
    '    ]',
    '  };',
    '  function buildMenu(target) {',
    '    var box = document.getElementById(target);',
    '    if (!box) { return; }',
    '    for (var i = 0; i < siteConfig.menu.length; i++) {',
    '      var item = siteConfig.menu[i];',
    '      var a = document.createElement("a");',
    '      a.href = item.url; a.innerHTML = item.name; a.className = item.open ? "open" : "closed";',
    '      box.appendChild(a);',
    '    }',
    '  }',
    '  function visitCounter(page) {',
    '    var img = new Image();',
    '    img.src = "./stat/count.gif?site=" + siteConfig.siteId + "&page=" + encodeURIComponent(page);',
    '  }',
    '  function fontSize(size) {',
    '    var body = document.getElementById("zoom");',
    '    if (body) { body.style.fontSize = size + "px"; }',
    '  }',
    '  function doPrint() {',
    '    var content = document.getElementById("zoom");',
    '    var win = window.open("", "print");',
    '    win.document.write("<html><body>" + content.innerHTML + "</body></html>");',
    '    win.document.close(); win.print();',
    '  }',
    '  function shareTo(target) {',
    '    var url = encodeURIComponent(location.href), title = encodeURIComponent(document.title);',
    '    var links = { weibo: "https://service.weibo.com/share/share.php?url=" + url + "&title=" + title,',
    '                  qzone: "https://sns.qzone.qq.com/cgi-bin/qzshare/cgi_qzshare_onekey?url=" + url + "&title=" + title };',
    '    if (links[target]) { window.open(links[target], "_blank"); }',
    '  }',
    '  window.onload = function () { buildMenu("nav"); visitCounter(location.pathname); };',
    '</script>',
  ].join('\n');
}

export interface HtmlOptions {
  gbk?: boolean;
  /** GBK with no charset declared anywhere (readers must detect it from the bytes) */
  undeclared?: boolean;
  /** CSS added after the default rules (print layout for Chromium) */
  css?: string;
}

export function renderHtml(doc: DocModel, opts: HtmlOptions = {}): string {
  const headParts = opts.undeclared
    ? [cmsScript()]
    : opts.gbk
      ? [cmsScript(), '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', '<meta charset="gb2312">']
      : ['<meta charset="utf-8">'];
  const body: string[] = [];
  for (const b of doc.blocks) {
    if (b.kind === 'title') body.push(`<h1>${b.lines.map(esc).join('<br>')}</h1>`);
    else if (b.kind === 'heading') body.push(`<h2>${esc(b.text)}</h2>`);
    else if (b.kind === 'subheading') body.push(`<h3>${esc(b.text)}</h3>`);
    else if (b.kind === 'paragraph') body.push(`<p>${esc(b.text)}</p>`);
    else body.push(table(b.table));
  }
  return [
    '<!DOCTYPE html>',
    '<html lang="zh-CN">',
    '<head>',
    ...headParts,
    `<title>${esc(doc.title)}</title>`,
    `<style>table { border-collapse: collapse; } td.num { text-align: center; }${opts.css ? `\n${opts.css}` : ''}</style>`,
    '</head>',
    '<body>',
    '<div id="zoom">',
    ...body,
    '</div>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
