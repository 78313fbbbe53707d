// HTML as a CMS page holding a report pasted from Word: MsoNormal paragraphs, text and numbers cut
// into several <span>s, &nbsp; in empty cells, <o:p></o:p>, mso- styles, fixed widths.
import { cmsScript } from '../../scripts/render/html.ts';
import type { Cell, DocModel, TableModel } from '../../scripts/render/model.ts';
import type { Rng } from './rng.ts';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const FONT_BODY = 'font-size:16.0pt;font-family:仿宋_GB2312;mso-hansi-font-family:&quot;Times New Roman&quot;';
const FONT_CELL = 'font-size:10.5pt;font-family:宋体;mso-bidi-font-family:宋体;color:black;mso-font-kerning:0pt';

/** Text cut into runs as Word leaves it: at script changes (digits get lang=EN-US) and at random. */
function runs(r: Rng, text: string, style: string): string {
  const pieces = text.match(/[0-9０-９.．]+|[^0-9０-９.．]+/gu) ?? [];
  const out: string[] = [];
  for (const piece of pieces) {
    const latin = /^[0-9０-９.．]/u.test(piece);
    // cut a piece once or twice more at random points: 3119 → 31 | 19
    const cuts = piece.length > 1 && r.chance(latin ? 0.5 : 0.3) ? [r.int(1, piece.length - 1)] : [];
    let at = 0;
    for (const c of [...cuts, piece.length]) {
      const part = piece.slice(at, c);
      at = c;
      const lang = latin ? ' lang="EN-US"' : '';
      out.push(`<span${lang} style="${style}">${esc(part)}</span>`);
    }
  }
  return out.join('');
}

function para(r: Rng, text: string, style: string, attrs = ''): string {
  const inner = text === '' ? `<span lang="EN-US" style="${style}">&nbsp;<o:p></o:p></span>` : `${runs(r, text, style)}<o:p></o:p>`;
  return `<p class="MsoNormal"${attrs}>${inner}</p>`;
}

function td(r: Rng, c: Cell, widthPt: number): string {
  const span = [(c.rowSpan ?? 1) > 1 ? ` rowspan="${c.rowSpan}"` : '', (c.colSpan ?? 1) > 1 ? ` colspan="${c.colSpan}"` : ''].join('');
  const style = `width:${widthPt.toFixed(2)}pt;border:solid windowtext 1.0pt;mso-border-alt:solid windowtext .5pt;padding:0cm 5.4pt 0cm 5.4pt`;
  const align = c.head || c.value ? ' align="center" style="text-align:center;mso-pagination:widow-orphan"' : ' style="mso-pagination:widow-orphan"';
  // Each line of a wrapped label is a paragraph of its own, as Word pastes it.
  const body = c.text.split('\n').map((line) => para(r, line, FONT_CELL, align)).join('');
  return `<td width="${Math.round(widthPt * 1.33)}"${span} valign="center" style="${style}">${body}</td>`;
}

function table(r: Rng, t: TableModel): string {
  const total = t.widths.reduce((a, b) => a + b, 0);
  const col = t.widths.map((w) => (w / total) * 440);
  const out = [`<table class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0" width="587" style="width:440.0pt;border-collapse:collapse;border:none;mso-border-alt:solid windowtext .5pt;mso-yfti-tbllook:1184;mso-padding-alt:0cm 5.4pt 0cm 5.4pt">`, '<tbody>'];
  const busy: number[] = Array(col.length).fill(0);
  t.rows.forEach((row, i) => {
    const cells: string[] = [];
    let k = 0;
    for (const c of row) {
      while (busy[k] > 0) k++;
      const span = c.colSpan ?? 1;
      cells.push(td(r, c, col.slice(k, k + span).reduce((a, b) => a + b, 0)));
      for (let j = 0; j < span; j++) busy[k + j] = c.rowSpan ?? 1;
      k += span;
    }
    for (let j = 0; j < busy.length; j++) busy[j] = Math.max(0, busy[j] - 1);
    out.push(`<tr style="mso-yfti-irow:${i};height:19.85pt">${cells.join('')}</tr>`);
  });
  out.push('</tbody>', '</table>');
  return out.join('\n');
}

export interface CmsOptions {
  /** 'utf-8' declared up front; 'gbk-late' GBK declared after 3 KB of script; 'gbk-none' GBK never declared */
  charset: 'utf-8' | 'gbk-late' | 'gbk-none';
  /** the CMS's 发布日期 line */
  published: string;
}

export function renderCms(r: Rng, doc: DocModel, o: CmsOptions): string {
  const head = o.charset === 'utf-8'
    ? ['<meta http-equiv="Content-Type" content="text/html; charset=utf-8">', cmsScript()]
    : o.charset === 'gbk-late' ? [cmsScript(), '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'] : [cmsScript()];
  const body: string[] = [];
  for (const b of doc.blocks) {
    if (b.kind === 'title') {
      for (const line of b.lines) body.push(para(r, line, 'font-size:22.0pt;font-family:方正小标宋简体', ' align="center" style="text-align:center;line-height:28.0pt"'));
    } else if (b.kind === 'heading') body.push(para(r, b.text, 'font-size:16.0pt;font-family:黑体', ' style="text-indent:32.0pt;line-height:28.0pt"'));
    else if (b.kind === 'subheading') body.push(`<p class="MsoNormal" style="text-indent:32.0pt"><b>${runs(r, b.text, 'font-size:16.0pt;font-family:楷体_GB2312')}</b><o:p></o:p></p>`);
    else if (b.kind === 'paragraph') body.push(para(r, b.text, FONT_BODY, ' style="text-indent:32.0pt;line-height:28.0pt"'));
    else body.push(table(r, b.table), para(r, '', FONT_BODY));
  }
  return [
    '<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word">',
    '<head>',
    ...head,
    `<title>${esc(doc.title)}</title>`,
    '<!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View><w:Zoom>0</w:Zoom><w:PunctuationKerning/></w:WordDocument></xml><![endif]-->',
    '<style>p.MsoNormal { margin:0cm; text-align:justify; font-size:10.5pt; font-family:"Times New Roman"; }</style>',
    '</head>',
    '<body>',
    '<div class="header"><a href="/">首页</a> &gt; <a href="./">政府信息公开年报</a></div>',
    `<div class="article"><h1 class="article-title">${esc(doc.title)}</h1>`,
    `<div class="info">发布日期：${o.published}　来源：本站　浏览次数：<span id="count"></span></div>`,
    '<div class="TRS_Editor" id="zoom">',
    ...body,
    '</div></div>',
    '<div class="footer">主办单位：人民政府办公室　网站标识码：3208000001</div>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
