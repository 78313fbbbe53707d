/**
 * Makes the small PDFs in fixtures/pdf/ that test the PDF reader on layouts huaian-2024.pdf lacks:
 * a ruled table broken over pages with "- N -" page-number footers and a label merged across the
 * break, a landscape page with a wide table, a table drawn without ruling lines, and (through DOCX,
 * as reports converted to Word reach PDF) tables with doubled borders, one of them running off the
 * right edge of the page.
 *
 * Writes flat ODT (XML) to a temporary folder and converts it with LibreOffice:
 *   node --import tsx scripts/make-pdf-fixtures.ts [fixture names…]
 * Needs `soffice` and a CJK font (Noto Serif CJK SC). Output depends on the LibreOffice version, so
 * the tests assert content, never coordinates.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const OUT_DIR = fileURLToPath(new URL('../fixtures/pdf/', import.meta.url));
const FONT = 'Noto Serif CJK SC';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function flatOdt(body: string, extraStyles = ''): string {
  const footer = `<style:footer><text:p text:style-name="Footer">- <text:page-number text:select-page="current">1</text:page-number> -</text:p></style:footer>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
<office:font-face-decls>
 <style:font-face style:name="${FONT}" svg:font-family="'${FONT}'"/>
</office:font-face-decls>
<office:styles>
 <style:default-style style:family="paragraph">
  <style:text-properties style:font-name="${FONT}" style:font-name-asian="${FONT}" fo:font-size="12pt" style:font-size-asian="12pt"/>
 </style:default-style>
 <style:style style:name="Footer" style:family="paragraph"><style:paragraph-properties fo:text-align="center"/></style:style>
</office:styles>
<office:automatic-styles>
 <style:page-layout style:name="Portrait">
  <style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" style:print-orientation="portrait" fo:margin-top="2cm" fo:margin-bottom="1.5cm" fo:margin-left="2.5cm" fo:margin-right="2.5cm"/>
  <style:footer-style><style:header-footer-properties fo:min-height="0.8cm"/></style:footer-style>
 </style:page-layout>
 <style:page-layout style:name="Landscape">
  <style:page-layout-properties fo:page-width="29.7cm" fo:page-height="21cm" style:print-orientation="landscape" fo:margin-top="2cm" fo:margin-bottom="1.5cm" fo:margin-left="2cm" fo:margin-right="2cm"/>
  <style:footer-style><style:header-footer-properties fo:min-height="0.8cm"/></style:footer-style>
 </style:page-layout>
 <style:style style:name="Body" style:family="paragraph"><style:paragraph-properties fo:text-indent="24pt" fo:text-align="justify" fo:line-height="150%"/></style:style>
 <style:style style:name="Heading" style:family="paragraph"><style:paragraph-properties fo:text-indent="24pt" fo:margin-top="6pt" fo:margin-bottom="6pt"/><style:text-properties fo:font-size="14pt" style:font-size-asian="14pt" fo:font-weight="bold" style:font-weight-asian="bold"/></style:style>
 <style:style style:name="ToLandscape" style:family="paragraph" style:master-page-name="Wide"><style:paragraph-properties fo:text-indent="24pt"/><style:text-properties fo:font-size="14pt" style:font-size-asian="14pt" fo:font-weight="bold" style:font-weight-asian="bold"/></style:style>
 <style:style style:name="ToPortrait" style:family="paragraph" style:master-page-name="Standard"><style:paragraph-properties fo:text-indent="24pt"/><style:text-properties fo:font-size="14pt" style:font-size-asian="14pt" fo:font-weight="bold" style:font-weight-asian="bold"/></style:style>
 <style:style style:name="Cell" style:family="paragraph"><style:paragraph-properties fo:text-align="center"/><style:text-properties fo:font-size="9pt" style:font-size-asian="9pt"/></style:style>
 <style:style style:name="Ruled" style:family="table-cell"><style:table-cell-properties fo:border="0.5pt solid #000000" fo:padding="0.08cm" style:vertical-align="middle"/></style:style>
 <style:style style:name="Bare" style:family="table-cell"><style:table-cell-properties fo:border="none" fo:padding="0.08cm"/></style:style>
${extraStyles}
</office:automatic-styles>
<office:master-styles>
 <style:master-page style:name="Standard" style:page-layout-name="Portrait">${footer}</style:master-page>
 <style:master-page style:name="Wide" style:page-layout-name="Landscape">${footer}</style:master-page>
</office:master-styles>
<office:body><office:text>
${body}
</office:text></office:body></office:document>
`;
}

const p = (s: string, style = 'Body') => `<text:p text:style-name="${style}">${esc(s)}</text:p>`;

type Cell = { text: string; rows?: number; cols?: number } | null; // null: covered by a merge
/** `headerRows` first rows repeat at the top of every page the table runs onto. */
function table(columns: number, rows: Cell[][], cellStyle: 'Ruled' | 'Bare', headerRows = 0): string {
  const out = [`<table:table table:name="T${columns}x${rows.length}">`];
  out.push(`<table:table-column table:number-columns-repeated="${columns}"/>`);
  for (const [r, row] of rows.entries()) {
    if (headerRows > 0 && r === 0) out.push('<table:table-header-rows>');
    out.push('<table:table-row>');
    for (const c of row) {
      if (c === null) {
        out.push('<table:covered-table-cell/>');
        continue;
      }
      const span =
        (c.rows ? ` table:number-rows-spanned="${c.rows}"` : '') + (c.cols ? ` table:number-columns-spanned="${c.cols}"` : '');
      const paras = c.text.split('\n').map((t) => p(t, 'Cell')).join('');
      out.push(`<table:table-cell table:style-name="${cellStyle}" office:value-type="string"${span}>${paras}</table:table-cell>`);
    }
    out.push('</table:table-row>');
    if (headerRows > 0 && r === headerRows - 1) out.push('</table:table-header-rows>');
  }
  out.push('</table:table>');
  return out.join('\n');
}

const PROSE =
  '本机关坚持以公开为常态、不公开为例外，围绕政务公开重点工作，持续完善制度机制，' +
  '不断提升政府信息公开的规范化、标准化水平，切实保障人民群众的知情权、参与权、表达权和监督权。';

/**
 * A ruled table of 40 data rows that cannot fit on one page: col 0 is merged over all of them, and
 * the header row is repeated on the next page.
 */
function breakDocument(): string {
  const rows: Cell[][] = [
    [{ text: '项目', cols: 2 }, null, { text: '甲' }, { text: '乙' }, { text: '合计' }],
  ];
  for (let i = 1; i <= 40; i++) {
    const first: Cell = i === 1 ? { text: '办\n理\n结\n果', rows: 40 } : null;
    rows.push([first, { text: `${i}.事项${i}` }, { text: String(i) }, { text: String(2 * i) }, { text: String(3 * i) }]);
  }
  const body = [
    p('一、总体情况', 'Heading'),
    ...Array.from({ length: 8 }, () => p(PROSE.repeat(2))),
    p('二、办理情况统计', 'Heading'),
    table(5, rows, 'Ruled', 1),
    p('三、存在的主要问题', 'Heading'),
    p(PROSE),
  ];
  return flatOdt(body.join('\n'));
}

/** A landscape page with a 12-column table, then a portrait page with a borderless table. */
function landscapeBorderlessDocument(): string {
  const header: Cell[] = [{ text: '单位' }, ...Array.from({ length: 11 }, (_, k) => ({ text: `列${k + 1}` }))];
  const wide: Cell[][] = [header];
  for (let r = 1; r <= 4; r++) wide.push([{ text: `单位${r}` }, ...Array.from({ length: 11 }, (_, k) => ({ text: String(r * 100 + k) }))]);
  const bare: Cell[][] = [[{ text: '信息内容' }, { text: '本年新增' }, { text: '本年废止' }, { text: '现行有效' }]];
  const names = ['规章', '行政规范性文件', '行政许可', '行政处罚', '行政强制'];
  names.forEach((n, i) => bare.push([{ text: n }, { text: String(10 + i) }, { text: String(20 + i) }, { text: String(300 + i) }]));
  const body = [
    p('一、总体情况', 'Heading'),
    p(PROSE),
    p('二、横向统计表', 'ToLandscape'),
    table(12, wide, 'Ruled'),
    p('三、无框线统计表', 'ToPortrait'),
    p(PROSE),
    table(4, bare, 'Bare'),
    p('以上数据截至年底。'),
  ];
  return flatOdt(body.join('\n'));
}

/**
 * A cell style with every border a grey double line (two 0.25pt lines 0.25pt apart), as LibreOffice
 * gives tables of HTML `<table border="1" cellspacing="1">` on their way through DOCX. Where double
 * lines cross, LibreOffice stops a horizontal border's lines past the far line of the vertical
 * one, about 1.2pt from where that double line's own lines are joined.
 */
const DOUBLE_STYLE =
  '<style:style style:name="Double" style:family="table-cell"><style:table-cell-properties style:vertical-align="middle" fo:padding="0.0194in" fo:border="0.75pt double #808080" style:border-line-width="0.0035in 0.0035in 0.0035in"/></style:style>';

const wideStyle = (width: number) =>
  `<style:style style:name="Wide${width}" style:family="table"><style:table-properties style:width="${width}cm" table:align="left"/></style:style>`;

/** A table in double-line style; `width` in cm (style `wideStyle(width)`), may overflow the page. */
function doubleLineTable(columns: number, rows: Cell[][], width?: number): string {
  const name = `F${columns}x${rows.length}`;
  const out = [`<table:table table:name="${name}"${width ? ` table:style-name="Wide${width}"` : ''}>`];
  out.push(`<table:table-column table:number-columns-repeated="${columns}"/>`);
  for (const [r, row] of rows.entries()) {
    out.push('<table:table-row>');
    for (const c of row) {
      if (c === null) {
        out.push('<table:covered-table-cell/>');
        continue;
      }
      const cellStyle = 'Double';
      const span =
        (c.rows ? ` table:number-rows-spanned="${c.rows}"` : '') + (c.cols ? ` table:number-columns-spanned="${c.cols}"` : '');
      const paras = c.text.split('\n').map((t) => p(t, 'Cell')).join('');
      out.push(`<table:table-cell table:style-name="${cellStyle}" office:value-type="string"${span}>${paras}</table:table-cell>`);
    }
    out.push('</table:table-row>');
  }
  out.push('</table:table>');
  return out.join('\n');
}

/**
 * 表二-like blocks in a double-framed table (caption rows across the width, header rows, data
 * rows, with a different column split per block), then a wide framed table that runs off the
 * right edge of the page: its last columns are not on the page at all.
 */
function doubleFrameDocument(): string {
  const w = (text: string, cols?: number): Cell => (cols ? { text, cols } : { text });
  const blocks: Cell[][] = [
    [w('第二十条第（一）项', 4), null, null, null],
    [w('信息内容'), w('本年制发件数'), w('本年废止件数'), w('现行有效件数')],
    [w('规章'), w('3'), w('1'), w('27')],
    [w('行政规范性文件'), w('15'), w('4'), w('112')],
    [w('第二十条第（五）项', 4), null, null, null],
    [w('信息内容'), w('本年处理决定数量', 3), null, null],
    [w('行政许可'), w('2051', 3), null, null],
    [w('第二十条第（八）项', 4), null, null, null],
    [w('信息内容'), w('上年金额'), w('本年收费金额（万元）', 2), null],
    [w('行政事业性收费'), w('7.5'), w('6.25', 2), null],
  ];
  const wide: Cell[][] = [
    [w('复议结果'), ...Array.from({ length: 9 }, (_, k) => w(`列${k + 1}`))],
    [w('本年数量'), ...Array.from({ length: 9 }, (_, k) => w(String(11 * (k + 1))))],
  ];
  const body = [
    p('二、主动公开政府信息情况', 'Heading'),
    doubleLineTable(4, blocks),
    p('四、超出版心的表格', 'Heading'),
    doubleLineTable(10, wide, 30),
    p('以上数据截至年底。'),
  ];
  return flatOdt(body.join('\n'), `${DOUBLE_STYLE}\n${wideStyle(30)}`);
}

/** `viaDocx`: save as DOCX first and export that, the way a report converted to Word reaches PDF. */
function convert(name: string, xml: string, work: string, viaDocx = false): void {
  let src = path.join(work, `${name}.fodt`);
  writeFileSync(src, xml);
  if (viaDocx) {
    execFileSync('soffice', ['--headless', '--convert-to', 'docx:MS Word 2007 XML', '--outdir', work, src], { stdio: 'inherit' });
    src = path.join(work, `${name}.docx`);
  }
  execFileSync('soffice', ['--headless', '--convert-to', 'pdf', '--outdir', work, src], { stdio: 'inherit' });
  copyFileSync(path.join(work, `${name}.pdf`), path.join(OUT_DIR, `${name}.pdf`));
}

const work = mkdtempSync(path.join(tmpdir(), 'pdf-fixtures-'));
try {
  mkdirSync(OUT_DIR, { recursive: true });
  // Names on the command line remake only those fixtures.
  const only = process.argv.slice(2);
  const documents: [string, () => string, boolean][] = [
    ['ruled-break-footer', breakDocument, false],
    ['landscape-borderless', landscapeBorderlessDocument, false],
    ['double-frame-overflow', doubleFrameDocument, true],
  ];
  for (const [name, make, viaDocx] of documents) {
    if (only.length === 0 || only.includes(name)) convert(name, make(), work, viaDocx);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
