/**
 * `index.html`: a static, self-contained audit report for a browser. One file, no request of any
 * kind (file:// works, and a CSP forbids anything but its own inline script and style). The data is
 * JSON in a <script type="application/json">, escaped so no document text can close it.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { CROSS_YEAR_RULES } from '../../audit/crossYear.ts';
import { RULES } from '../../audit/index.ts';
import type { Report } from '../../report/schema.ts';
import { AtomicFile } from '../files.ts';
import type { OutputOptions, OutputWriter } from '../writer.ts';
import { embedJson, pageDocument } from './data.ts';
import type { GridLayout } from './layout.ts';
import { SCRIPT_DOC } from './script-doc.ts';
import { SCRIPT_LISTS } from './script-lists.ts';
import { STYLE } from './style.ts';

/** Titles of the rules, and of the document errors (rule `document.<code>`) as allFindings names them. */
const RULE_ZH: Record<string, string> = {
  ...Object.fromEntries([...RULES, ...CROSS_YEAR_RULES].map((r) => [r.id, r.zh])),
  'document.unsupported-format': '不是 PDF、DOCX 或 HTML 文件',
  'document.empty': '文件为空或没有文字',
  'document.truncated': '文件不完整（下载中断）',
  'document.corrupt': '文件已损坏，无法解析',
  'document.encrypted': '文件有密码保护',
  'document.scanned-pdf': '扫描版 PDF，没有文字层（需 OCR）',
  'document.no-report-tables': '文件中没有年度报告的表格',
  'document.unsupported-template': '不是 2019 或 2021 年版国家模板',
  'document.read-failed': '无法从磁盘读取文件',
  'document.internal-error': '读取本文件时程序出错',
  'document.timeout': '读取超时',
  'document.out-of-memory': '读取时内存超限',
};

const SCRIPT = `(function () {\n'use strict';\n${SCRIPT_LISTS}\n${SCRIPT_DOC}\n})();\n`;
const hash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
// Only this script and this style may run or apply; nothing may be fetched, framed or submitted.
const CSP = `default-src 'none'; script-src ${hash(SCRIPT)}; style-src ${hash(STYLE)}; img-src 'none'; base-uri 'none'; form-action 'none'`;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export class HtmlReportWriter implements OutputWriter {
  readonly path: string;
  readonly #options: OutputOptions;
  /** Each document's JSON, already escaped: a string is the most compact form to keep. */
  readonly #docs: string[] = [];
  readonly #layouts = new Map<string, GridLayout>();
  readonly #rules = new Set<string>();
  #file: AtomicFile | undefined;

  constructor(options: OutputOptions) {
    this.#options = options;
    this.path = join(options.dir, 'index.html');
  }

  add(report: Report): void {
    const doc = pageDocument(report, this.#docs.length, this.#options.dir, (key, make) => {
      let grid = this.#layouts.get(key);
      if (!grid) this.#layouts.set(key, (grid = make()));
      return grid;
    });
    for (const f of doc.f) this.#rules.add(f.r);
    this.#docs.push(embedJson(doc));
  }

  async finish(): Promise<void> {
    const file = (this.#file = new AtomicFile(this.path));
    const tool = this.#options.tool;
    // Keys sorted: the bytes depend on the batch, not on the order rules were first met.
    const rules = Object.fromEntries([...this.#rules].sort().map((r) => [r, RULE_ZH[r] ?? '']));
    const layouts = Object.fromEntries([...this.#layouts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    file.write(head(tool));
    file.write(`<script type="application/json" id="ogi-data">{"tool":${embedJson(tool)},"rules":${embedJson(rules)},"layouts":${embedJson(layouts)},"docs":[\n`);
    this.#docs.forEach((d, i) => file.write(i ? `,\n${d}` : d));
    file.write(`\n]}</script>\n<script>${SCRIPT}</script>\n</body>\n</html>\n`);
    file.close();
  }

  commit(): void {
    this.#file?.commit();
  }

  abort(): void {
    this.#file?.abort();
  }
}

function head(tool: OutputOptions['tool']): string {
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>政府信息公开年度报告审核</title>
<style>${STYLE}</style>
</head>
<body>
<header class="top"><div class="wrap">
<h1>政府信息公开工作年度报告 · 审核结果</h1>
<nav class="tabs"><a href="#overview" data-tab="overview">概览</a><a href="#docs" data-tab="docs">文件</a><a href="#findings" data-tab="findings">问题</a></nav>
<span class="tool">${escapeHtml(`${tool.name} ${tool.version}`)}</span>
</div></header>
<div class="filters" id="filters"><div class="wrap">
<input type="search" id="f-q" placeholder="搜索：发布机关、文件、规则、说明" aria-label="搜索">
<select id="f-body" aria-label="发布机关"><option value="">全部发布机关</option></select>
<select id="f-year" aria-label="年度"><option value="">全部年度</option></select>
<select id="f-rule" aria-label="规则"><option value="">全部规则</option></select>
<select id="f-sev" aria-label="严重程度"><option value="">全部严重程度</option></select>
<button class="btn" id="f-clear" type="button">清除筛选</button>
</div></div>
<main class="wrap" id="view"><noscript>本页需要启用 JavaScript。</noscript></main>
`;
}
