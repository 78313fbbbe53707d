/**
 * Link discovery for `ogi crawl`: on a column's list page, which links are annual reports on government
 * information disclosure and which lead to the next list pages; on a report's article page, which links
 * are its attachments (全真版 PDF, 文字版 DOCX…). Pure: the HTML is already decoded (decodeHtml), nothing
 * is fetched. The words are judged in guess.ts; here are the DOM, the URLs and the CMS pagers.
 */
import { type CheerioAPI, load } from 'cheerio';
import { cutTitleSuffix } from '../extract/html.ts';
import {
  guessYearAndBody, isAttachmentText, isNextPageText, isPageNumberText, isUnrelatedAttachmentText, looksLikeReport,
} from './guess.ts';

export { guessYearAndBody } from './guess.ts';

export type AttachmentFormat = 'pdf' | 'docx' | 'doc' | 'wps' | 'xls' | 'xlsx';

export interface FoundLink {
  /** Absolute, without its fragment. */
  url: string;
  /** Link text or title attribute (the fuller of the two), whitespace collapsed. */
  text: string;
  kind: 'page' | 'attachment';
  format?: AttachmentFormat;
  year?: number;
  /** 发布机关 when the text names it. */
  body?: string;
}

export interface Discovered {
  reports: FoundLink[];
  /** Attachments of the report this page is (empty unless the page is a report's article). */
  attachments: FoundLink[];
  /** Further list pages on the same origin: the page's own links first, then those its pager script names. */
  pagination: string[];
  title?: string;
  /** What the crawler should know but cannot follow: list pages only a search API serves. */
  notes?: string[];
}

/** Per-site patterns from the crawl config, tested against a link's URL and its text. */
export interface LinkRules {
  /** Report links the defaults miss (also across sites: the config says so). */
  include?: RegExp[];
  /** Links dropped whatever they look like. */
  exclude?: RegExp[];
  /** More pagination links (same origin only, like every pagination link). */
  pagination?: RegExp[];
}

const READABLE: ReadonlySet<string> = new Set<AttachmentFormat>(['pdf', 'docx', 'doc', 'wps', 'xls', 'xlsx']);
/** Files we can list as attachments but not read (OFD, archives, WPS spreadsheets). */
const OTHER_FILES = new Set(['ofd', 'zip', 'rar', '7z', 'et', 'ceb', 'txt']);
const PAGE_EXTS = new Set(['', 'htm', 'html', 'shtml', 'shtm', 'jhtml', 'xhtml', 'jsp', 'jspx', 'php', 'asp', 'aspx', 'do', 'action']);
/** Scripts that hand out files: Hanweb downfile.jsp?filename=x.pdf, /download?id=… */
const DOWNLOAD_PATH = /download|downfile|fileserver|attach/i;
const PAGER_CLASS = /pag|fenye|pgbar|pager/i;
const MAX_PAGES = 500;

const collapse = (s: string | undefined): string => (s ?? '').replace(/\s+/g, ' ').trim();
const matches = (rules: RegExp[] | undefined, ...texts: string[]): boolean =>
  !!rules?.some((re) => texts.some((t) => t.search(re) !== -1)); // search(): a /g rule keeps no lastIndex state

function resolve(href: string | undefined, base: URL): URL | undefined {
  const h = (href ?? '').replace(/[\u0000-\u001f]/g, '').trim();
  if (!h || h.startsWith('#') || /^(?:javascript|mailto|tel|data|about|vbscript):/i.test(h)) return undefined;
  try {
    const u = new URL(h, base);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    u.hash = '';
    return u;
  } catch {
    return undefined;
  }
}

const fileOf = (u: URL): string => u.pathname.slice(u.pathname.lastIndexOf('/') + 1);
const extOf = (name: string): string => /\.([a-z0-9]{1,5})$/i.exec(name)?.[1].toLowerCase() ?? '';
const decode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** The file a link hands out: its own name, or a query value such as filename=2023年报.pdf. */
function fileNames(u: URL): string[] {
  return [decode(fileOf(u)), ...[...u.searchParams.values()].filter((v) => /\.[a-z0-9]{2,5}$/i.test(v))];
}

/** Pages and attachments by the target's extension; anything else (images, scripts) is neither. */
function kindOf(u: URL): { kind: FoundLink['kind']; format?: AttachmentFormat } | undefined {
  for (const name of fileNames(u)) {
    const ext = extOf(name);
    if (READABLE.has(ext)) return { kind: 'attachment', format: ext as AttachmentFormat };
    if (OTHER_FILES.has(ext)) return { kind: 'attachment' };
  }
  if (!PAGE_EXTS.has(extOf(fileOf(u)))) return undefined;
  return DOWNLOAD_PATH.test(u.pathname) ? { kind: 'attachment' } : { kind: 'page' };
}

/** Same site: the same host, or hosts under one registrable domain (xx.gov.cn counts as a suffix). */
export function sameSite(a: string, b: string): boolean {
  return siteOf(new URL(a).hostname) === siteOf(new URL(b).hostname);
}

/** Registrable part of a host, roughly: www.shuyang.gov.cn and xxgk.shuyang.gov.cn are one site. */
function siteOf(host: string): string {
  if (/^[\d.]+$|:/.test(host)) return host;
  const labels = host.toLowerCase().split('.');
  const n = labels.length >= 3 && /^(?:gov|com|org|net|edu|ac)$/.test(labels.at(-2)!) && labels.at(-1)!.length === 2 ? 3 : 2;
  return labels.slice(-n).join('.');
}

const PAGE_PARAM = /^(?:page|pageindex|pagenum|pageno|pagenumber|curpage|currpage|currentpage|cpage|pn|p)$/i;
/** index_2.html → index. Not t20240308_8787.htm: a TRS article id is no page number. */
const stemOf = (file: string): string => file.replace(/\.\w+$/, '').replace(/(?<=[^\d_])_\d{1,4}$/, '');

/** Another page of this list: index_2.html beside index.html, or the same path with another ?pageNum=. */
function isSiblingPage(u: URL, page: URL): boolean {
  if (u.origin !== page.origin) return false;
  if (u.pathname === page.pathname) {
    return [...u.searchParams].some(([k, v]) => PAGE_PARAM.test(k) && /^\d{1,4}$/.test(v) && page.searchParams.get(k) !== v);
  }
  const dir = (p: string) => p.slice(0, p.lastIndexOf('/') + 1);
  if (dir(u.pathname) !== dir(page.pathname)) return false;
  const file = fileOf(u);
  const own = fileOf(page);
  if (!own) return /^(?:index|list|default)_\d{1,4}\.\w+$/i.test(file); // the column's folder URL
  return file !== own && stemOf(file) === stemOf(own) && extOf(file) === extOf(own);
}

interface Candidate {
  url: URL;
  text: string;
  /** Every label the link carries: title attribute, text, image alt, file name. */
  labels: string[];
  inPager: boolean;
}

function candidates($: CheerioAPI, base: URL, out: Candidate[]): void {
  $('a[href], area[href]').each((_, el) => {
    const a = $(el);
    const url = resolve(a.attr('href'), base);
    if (!url) return;
    const text = collapse(a.text()) || collapse(a.find('img').attr('alt'));
    const title = collapse(a.attr('title'));
    // list templates cut long titles ("…政府信息公开工作年…"): the title attribute then holds the whole
    const cut = text.replace(/(?:\.{2,}|…+)$/, '');
    const shown = !text ? title : title && (cut !== text || (title.length > text.length && title.startsWith(cut))) ? title : text;
    const pager = a.parents().slice(0, 4).toArray().some((p) => PAGER_CLASS.test(`${$(p).attr('class') ?? ''} ${$(p).attr('id') ?? ''}`));
    out.push({ url, text: shown, labels: [title, text, ...fileNames(url).map((f) => f.replace(/\.\w+$/, ''))], inPager: pager });
  });
}

const parse = (html: string): CheerioAPI =>
  load(html, { xml: { xmlMode: false, decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true } });

/** The page's title, and whether it is a report's article (its title or its heading names a report). */
function pageTitle($: CheerioAPI): { title?: string; report: boolean } {
  const meta = collapse($('meta').filter((_, m) => $(m).attr('name')?.toLowerCase() === 'articletitle').first().attr('content'));
  const raw = collapse($('title').first().text());
  const cut = raw ? cutTitleSuffix(raw) : '';
  // an article's heading holds no link; list templates that put every item in an <h3><a> do
  const headings = $('h1, h2, h3, [class*="title"], [id*="title"]').filter((_, h) => $(h).find('a').length === 0).map((_, h) => collapse($(h).text())).get();
  const reportHeading = headings.find(looksLikeReport);
  const title = meta || reportHeading || cut || collapse($('h1').first().text()) || undefined;
  return { title, report: [meta, cut, reportHeading].some(looksLikeReport) };
}

export function discoverLinks(html: string, pageUrl: string, rules: LinkRules = {}): Discovered {
  const page = new URL(pageUrl);
  page.hash = '';
  const $ = parse(html);
  const base = resolve($('base[href]').first().attr('href'), page) ?? page;
  const found: Candidate[] = [];
  candidates($, base, found);
  // Hanweb (大汉) lists keep their items as CDATA records in a <script type="text/xml"> data store,
  // which no HTML parser reads as markup; its dataproxy.jsp answers with the same records.
  const records = [...html.matchAll(/<record>\s*<!\[CDATA\[([\s\S]*?)\]\]>\s*<\/record>/gi)].map((m) => m[1]);
  if (records.length) candidates(parse(records.join('\n')), base, found);

  const { title, report: titleIsReport } = pageTitle($);
  const own = title ? guessYearAndBody(title) : {};
  const self = page.href;
  // Reports other than this page's own (a different year or body): an article links to one or two
  // (上一篇/下一篇), a list page (even one titled like a report: a year's sub-column) to many.
  const others = new Set<string>();
  for (const c of found) {
    const label = c.labels.find(looksLikeReport);
    const g = label ? guessYearAndBody(label) : undefined;
    if (g && c.url.href !== self && (g.year !== own.year || (g.body && g.body !== own.body))) others.add(c.url.href);
  }
  const isArticle = titleIsReport && others.size < 3;

  const reports = new Map<string, FoundLink>();
  const attachments = new Map<string, FoundLink>();
  const pagination: string[] = [];
  for (const c of found) {
    const href = c.url.href;
    if (href === self || matches(rules.exclude, href, ...c.labels)) continue;
    const kind = kindOf(c.url);
    const included = matches(rules.include, href, ...c.labels);
    const reportLabel = c.labels.find(looksLikeReport);
    const sameOrigin = c.url.origin === page.origin;
    if (sameOrigin && !reportLabel && !included && kind?.kind !== 'attachment' &&
      (isNextPageText(c.text) || (c.inPager && isPageNumberText(c.text)) || isSiblingPage(c.url, page) || matches(rules.pagination, href, c.text))) {
      pagination.push(href);
      continue;
    }
    const sameSite = siteOf(c.url.hostname) === siteOf(page.hostname);
    if (!kind && !included) continue;
    const link: FoundLink = { url: href, text: reportLabel ?? (c.text || decode(fileOf(c.url))), kind: kind?.kind ?? 'page' };
    if (kind?.format) link.format = kind.format;
    if ((reportLabel && sameSite) || included) {
      Object.assign(link, guessYearAndBody(reportLabel ?? c.text));
      // the article's own 全真版/文字版 named after the report: its attachment, not another report
      const ofThisPage = isArticle && link.kind === 'attachment' && (link.year === undefined || link.year === own.year);
      const into = ofThisPage ? attachments : reports;
      if (!into.has(href) || (reportLabel && !looksLikeReport(into.get(href)!.text))) into.set(href, link);
      continue;
    }
    // by its words only when the target can hand out a file (a script, a query): 文件下载 → /wjxz/ is a column
    const handsOutFiles = !!c.url.search || /^(?:jsp|jspx|php|asp|aspx|do|action)$/.test(extOf(fileOf(c.url)));
    const attachmentLike = kind?.kind === 'attachment' || (handsOutFiles && c.labels.some(isAttachmentText));
    if (isArticle && sameSite && attachmentLike && !c.labels.some(isUnrelatedAttachmentText) && !attachments.has(href)) {
      const format = kind?.format ?? (c.labels.map((l) => extOf(l)).find((e) => READABLE.has(e)) as AttachmentFormat | undefined);
      attachments.set(href, { ...link, kind: 'attachment', ...(format ? { format } : {}) });
    }
  }

  const notes: string[] = [];
  const scripts = $('script').map((_, s) => $(s).text()).get().join('\n');
  pagination.push(...scriptPages(scripts, html, page, records.length, notes));
  const out: Discovered = {
    reports: [...reports.values()],
    attachments: [...attachments.values()],
    pagination: [...new Set(pagination)].filter((u) => u !== self && !reports.has(u)),
  };
  if (title) out.title = title;
  if (notes.length) out.notes = notes;
  return out;
}

/** A script argument: a number or a string literal, or a variable assigned one somewhere in the scripts. */
function argValue(arg: string, scripts: string): string | undefined {
  const a = arg.trim();
  const lit = /^(["'])(.*)\1$/.exec(a)?.[2] ?? (/^\d+$/.test(a) ? a : undefined);
  if (lit !== undefined || !/^[A-Za-z_$][\w$]*$/.test(a)) return lit;
  const assigned = new RegExp(`(?<![\\w$.])${a.replace(/\$/g, '\\$')}\\s*=(?!=)\\s*(["']?)([\\w.-]*)\\1`).exec(scripts);
  return assigned?.[2];
}

/** List pages 0..count-1 as a static TRS-like pager names them: index.html, index_1.html, … */
function staticPages(count: number, current: number, name: string, ext: string, page: URL, notes: string[]): string[] {
  if (!(count > 1) || !name || !/^\w+$/.test(ext)) return [];
  if (count > MAX_PAGES) notes.push(`pager announces ${count} pages: only the first ${MAX_PAGES} are listed`);
  const out: string[] = [];
  for (let i = 0; i < Math.min(count, MAX_PAGES); i++) {
    if (i !== current) out.push(new URL(`${name}${i ? `_${i}` : ''}.${ext}`, page).href);
  }
  return out;
}

/** Pagers written by script: no <a> exists for their pages until a browser runs them. */
function scriptPages(scripts: string, html: string, page: URL, storedRecords: number, notes: string[]): string[] {
  const out: string[] = [];
  // TRS WCM: createPageHTML(7, 0, "index", "html"), sometimes with a div id before and a record count after
  for (const m of scripts.matchAll(/(?<!function\s+)createPageHTML\s*\(([^()]*)\)/gi)) {
    const args = m[1].split(',').map((a) => argValue(a, scripts) ?? '');
    const i = args.findIndex((a, k) => /^\d+$/.test(a) && /^\d+$/.test(args[k + 1] ?? '') && /^[A-Za-z_]\w*$/.test(args[k + 2] ?? ''));
    if (i >= 0) out.push(...staticPages(Number(args[i]), Number(args[i + 1]), args[i + 2], args[i + 3] ?? 'html', page, notes));
  }
  // Beijing-style TRS pager object: Pager({size:7, current:0, prefix:'index', suffix:'html'})
  for (const m of scripts.matchAll(/Pager\s*\(\s*\{([^{}]*)\}/g)) {
    const field = (k: string) => new RegExp(`\\b${k}\\s*:\\s*(["']?)(\\w+)\\1`).exec(m[1])?.[2];
    out.push(...staticPages(Number(field('size')), Number(field('current')), field('prefix') ?? '', field('suffix') ?? '', page, notes));
  }
  // TRS list2.trsapi "动静结合": the pages up to maxStaticIndex are published as files named like this
  // page (index.htm → index_1.htm); later pages exist only behind the search API. maxStaticIndex is
  // read as the last static page's index (0 = this page), as its name says.
  const maxStatic = /maxStaticIndex\s*:\s*["']?(\d+)/.exec(scripts);
  const perPage = /prepage\s*:\s*["']?(\d+)/.exec(scripts);
  const recordCount = /recordCount\s*:\s*["']?(\d+)/.exec(scripts);
  if (maxStatic && perPage && recordCount && Number(perPage[1]) > 0) {
    const pages = Math.ceil(Number(recordCount[1]) / Number(perPage[1]));
    const last = Math.min(pages - 1, Number(maxStatic[1]));
    const own = fileOf(page);
    const ext = extOf(own) || mostCommonExt(html);
    const current = Number(/_(\d{1,4})\.\w+$/.exec(own)?.[1] ?? 0);
    out.push(...staticPages(last + 1, current, own ? stemOf(own) : 'index', ext, page, notes));
    if (pages - 1 > last) notes.push(`list2.trsapi: ${recordCount[1]} records in ${pages} pages, pages after ${last + 1} only from the TRS search API`);
  }
  // Hanweb jpage: the page holds the first group of records, dataproxy.jsp serves the others by range
  const total = Number(/totalRecord\s*:\s*["']?(\d+)/i.exec(scripts)?.[1] ?? 0);
  const proxy = /<nextgroup>\s*<!\[CDATA\[[\s\S]*?href\s*=\s*["']([^"']+)["']/i.exec(html)?.[1];
  if (proxy && total > storedRecords && storedRecords > 0) {
    const per = Number(/perPage\s*:\s*["']?(\d+)/i.exec(scripts)?.[1] ?? 0);
    const group = Number(/groupSize\s*:\s*["']?(\d+)/i.exec(scripts)?.[1] ?? 0);
    const step = per && group ? per * group : storedRecords;
    for (let start = storedRecords + 1, n = 0; start <= total && n < MAX_PAGES; start += step, n++) {
      const u = resolve(proxy.replace(/&amp;/g, '&'), page);
      if (!u || u.origin !== page.origin) break;
      u.searchParams.set('startrecord', String(start));
      u.searchParams.set('endrecord', String(Math.min(start + step - 1, total)));
      u.searchParams.set('perpage', String(per || step));
      out.push(u.href);
    }
  }
  return out;
}

/** The extension of the list's article links (.htm on many TRS sites), for a column given as a folder URL. */
function mostCommonExt(html: string): string {
  const counts = new Map<string, number>();
  for (const m of html.matchAll(/href\s*=\s*["'][^"'?#]*\.(s?html?)["']/gi)) counts.set(m[1].toLowerCase(), (counts.get(m[1].toLowerCase()) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'html';
}
