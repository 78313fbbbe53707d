// The catalogue of layout variants (format.md "What real documents look like"), each one switch,
// and the formats and producers each can be made by.
import type { Display, Layout } from '../../scripts/render/model.ts';
import type { Rng } from './rng.ts';
import { splitHeaders, typoLabels, wrappedLabels } from './layout.ts';

export type Format = 'html' | 'docx' | 'pdf';
export type Producer = 'plain' | 'word-cms' | 'docx-js' | 'libreoffice-html' | 'libreoffice' | 'chromium';

export const PRODUCERS: { format: Format; producer: Producer; how: string }[] = [
  { format: 'html', producer: 'plain', how: 'semantic HTML (scripts/render/html.ts)' },
  { format: 'html', producer: 'word-cms', how: 'a CMS page of Word-pasted markup (bench/corpus/cms.ts)' },
  { format: 'docx', producer: 'docx-js', how: 'written directly with the docx package (scripts/render/docx.ts)' },
  { format: 'docx', producer: 'libreoffice-html', how: 'LibreOffice Writer from the plain HTML' },
  { format: 'pdf', producer: 'libreoffice', how: 'LibreOffice from the docx-js DOCX' },
  { format: 'pdf', producer: 'chromium', how: 'headless Chromium print-to-pdf of the plain HTML (borders are filled rectangles)' },
];

export interface Variant {
  name: string;
  says: string;
  /** producers this variant is made by (default: all) */
  producers?: Producer[];
  template?: '2019';
  unitemized?: boolean;
  /** value switches */
  zeroRows?: boolean;
  scale?: [number, number];
  decimals?: boolean;
  /** how zero cells print: blank, dash/slash, or as a number */
  zeros?: 'blank' | 'dash';
  fullWidth?: boolean;
  charset?: 'gbk-late' | 'gbk-none';
  splitTable?: boolean;
  landscape?: boolean;
  retitled?: boolean;
  /** more text before 表三, so its page break falls elsewhere */
  pageBreak?: boolean;
  layout?: (r: Rng) => Layout;
}

const HTML: Producer[] = ['plain', 'word-cms'];
const PDF: Producer[] = ['libreoffice', 'chromium'];

export const VARIANTS: Variant[] = [
  { name: 'base', says: '2021 template, explicit numbers everywhere' },
  { name: 'template-2019', says: '2019 template: 表二 of 国办公开办函〔2019〕60号 (signed 本年增/减, （九） with 元 amounts), one （六）其他处理 row', template: '2019', unitemized: true },
  { name: 'other-unitemized', says: '2021 template keeping the single （六）其他处理 row', unitemized: true },
  { name: 'blanks', says: 'zero cells mostly left empty (&nbsp; in the CMS page)', zeros: 'blank' },
  { name: 'dashes', says: 'zero cells mostly printed -, — or /', zeros: 'dash' },
  { name: 'zero-rows', says: 'most result rows all zero', zeroRows: true, scale: [0, 2] },
  { name: 'large-counts', says: '6-digit 表三 counts, 7-digit 表二 counts', scale: [5, 5] },
  { name: 'fee-decimals', says: '万元 amounts with 6 decimals', decimals: true },
  { name: 'fullwidth-digits', says: 'numbers in full-width digits (０-９)', fullWidth: true },
  { name: 'label-typos', says: 'row labels with typos and variants (其他法律行政止公开, （七）合计, 结转下一年度 …)', layout: (r) => ({ label: typoLabels(r) }) },
  { name: 'retitled-sections', says: 'sections retitled or renumbered (总体工作情况, 行政法复议, 七、其他需要报告的事项, tables under 一/二/三)', retitled: true },
  { name: 'split-table', says: '表三 as two tables, the second repeating the header and the merged row labels', splitTable: true },
  { name: 'gbk-late', says: 'GBK bytes, charset declared after 3 KB of script', producers: HTML, charset: 'gbk-late' },
  { name: 'gbk-undeclared', says: 'GBK bytes, no charset declared', producers: HTML, charset: 'gbk-none' },
  { name: 'wrapped-labels', says: 'labels wrapped mid-word over lines (（四）无 / 法提供)', layout: (r) => ({ label: wrappedLabels(r) }) },
  { name: 'vertical-labels', says: '三、本年度办理结果 one character a line', layout: () => ({ verticalResults: true }) },
  { name: 'split-headers', says: 'header words split over lines (商业 / 企业)', layout: (r) => ({ header: splitHeaders(r) }) },
  { name: 'landscape', says: 'A4 landscape pages', producers: [...PDF, 'docx-js'], landscape: true },
  { name: 'page-break', says: 'longer text before 表三 so that it breaks across pages at another row, a page number between the halves', producers: PDF, pageBreak: true },
];

/** Every (producer, variant) pair the generator makes. */
export function combos(): { format: Format; producer: Producer; variant: Variant }[] {
  const out: { format: Format; producer: Producer; variant: Variant }[] = [];
  for (const v of VARIANTS) {
    for (const p of PRODUCERS) if (!v.producers || v.producers.includes(p.producer)) out.push({ format: p.format, producer: p.producer, variant: v });
  }
  return out;
}

const FULL = '０１２３４５６７８９';
const toFullWidth = (s: string): string => s.replace(/[0-9]/gu, (d) => FULL[Number(d)]);

/** An amount in 万元 printed exactly (no float noise): 24252.311082. */
export function amountText(v: number): string {
  const micro = Math.round(v * 1e6);
  const int = Math.floor(micro / 1e6);
  const frac = String(micro % 1e6).padStart(6, '0').replace(/0+$/u, '');
  return frac ? `${int}.${frac}` : String(int);
}

/** 万元 as 元 (251000元 for 25.1 万元), the way 2019 reports fill in 采购总金额. */
function yuanText(v: number): string {
  const cents = Math.round(v * 1e6); // 1 万元 = 10^4 元 = 10^6 分
  const int = Math.floor(cents / 100);
  const frac = String(cents % 100).padStart(2, '0').replace(/0+$/u, '');
  return `${frac ? `${int}.${frac}` : int}元`;
}

/**
 * How a document prints its values. `explicit` collects the paths printed as numbers, so that an
 * injected change only ever lands on an explicit number.
 */
export function display(r: Rng, v: Variant, explicit: Set<string>, blankish: Set<string>): Display {
  const yuan = r.chance(0.5);
  const dashes = ['-', '—', '/', '－'];
  return (value, path) => {
    if (value === 0 && v.zeros && r.chance(0.8)) {
      blankish.add(path);
      return v.zeros === 'blank' ? '' : r.pick(dashes);
    }
    explicit.add(path);
    let s = path.endsWith('.amount') ? (path === 'active.procurement.amount' && yuan ? yuanText(value) : amountText(value)) : String(value);
    if (v.fullWidth && r.chance(0.8)) s = toFullWidth(s);
    return s;
  };
}
