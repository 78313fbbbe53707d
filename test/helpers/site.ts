/**
 * A government site for crawler tests, served on 127.0.0.1 by the test itself: a TRS-like column
 * with script pagination, a Hanweb-like column with 下一页, the real 平潭 list page where the corpus
 * is present, report pages in UTF-8 and GBK, PDF and DOCX attachments, robots.txt with a
 * disallowed path and a crawl delay, a redirect to a loopback address that is not allowed, 404,
 * 500-then-200, a slow response and an oversized file. Every response carries an ETag and answers
 * If-None-Match with 304. A second server on 127.0.0.2 records any connection (there must be none).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CORPUS_DIR, SAMPLE_DIR } from './sample-reports.ts';

export const CRAWL_DELAY_S = 0.3;
const sample = (name: string) => readFileSync(join(SAMPLE_DIR, name));

export interface Hit {
  path: string;
  status: number;
  at: number;
}

const li = (href: string, text: string) => `<li><a href="${href}" target="_blank" title="${text}">${text}</a><span>2024-03-08</span></li>`;

function trsList(page: number): string {
  const items =
    page === 0
      ? [
          li('./202403/t20240308_1.htm', '淮安市数据局2024年度政府信息公开工作年度报告'),
          li('./202303/t20230301_2.htm', '福州市公安局2023年政府信息公开工作年度报告'),
          li('./202203/t20220301_3.htm', '宿迁市农业农村局2022年政府信息公开工作年度报告'),
          li('/private/2021.htm', '2021年政府信息公开工作年度报告'),
          li('/go/2020.htm', '2020年政府信息公开工作年度报告'),
          li('./201903/t20190301_5.htm', '2019年政府信息公开工作年度报告'),
        ]
      : [
          li('./201803/t20180301_6.htm', '泗阳县人力资源和社会保障局2018年政府信息公开工作年度报告'),
          li('./201703/t20170301_7.htm', '2017年政府信息公开工作年度报告'),
          li('/att/big.pdf', '2016年度政府信息公开工作年度报告（全文）'),
        ];
  const sidebar = [
    li('/fz/2023.htm', '2023年法治政府建设年度报告'),
    li('/zn.htm', '政府信息公开指南'),
    li('/js/2023.htm', '2023年部门决算'),
    li('/zd.htm', '政府信息公开制度'),
  ];
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开年报_某市人民政府</title></head><body>
<div class="nav"><a href="/">首页</a> &gt; <a href="/col/nb/index.html">政府信息公开年报</a></div>
<div class="side"><ul>${sidebar.join('')}</ul></div>
<div class="list"><ul>${items.join('\n')}</ul>
<script>createPageHTML(2, ${page}, "index", "html");</script></div>
<div class="foot"><a href="http://127.0.0.3:9/col/nb/2023.htm">上级政府2023年政府信息公开工作年度报告</a></div></body></html>`;
}

function hanwebList(page: number): string {
  const item =
    page === 1
      ? li('/hanweb/art/2025/3/1/art_123_1.html', '淮阴区交通运输局2024年政府信息公开工作年度报告')
      : li('/hanweb/art/2021/3/1/art_123_2.html', '淮安市金湖县数据局2020年政府信息公开工作年度报告');
  const next = page === 1 ? '<a href="/hanweb/col/col123/index.html?uid=1&amp;pageNum=2">下一页</a>' : '<a href="/hanweb/col/col123/index.html?uid=1&amp;pageNum=1">上一页</a>';
  return `<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><title>年报</title></head><body>
<div id="123"><table><tr><td>${item}</td></tr></table></div><div class="page">${next}</div></body></html>`;
}

const ARTICLE_WITH_ATTACHMENTS = `<html><head><meta charset="utf-8"><title>宿迁市农业农村局2022年政府信息公开工作年度报告_宿迁市</title></head><body>
<h1>宿迁市农业农村局2022年政府信息公开工作年度报告</h1><p>详见附件。</p>
<p>附件：<a href="/att/2022-qzb.pdf">宿迁市农业农村局2022年政府信息公开工作年度报告（全真版）.pdf</a></p>
<p><a href="/att/2022-wzb.docx">宿迁市农业农村局2022年政府信息公开工作年度报告（文字版）.docx</a></p>
<p><a href="/">返回首页</a> <a href="/zn.htm">政府信息公开指南</a></p></body></html>`;

export class FixtureSite {
  readonly hits: Hit[] = [];
  /** Connections the 127.0.0.2 server saw: a refused redirect must open none. */
  forbiddenConnections = 0;
  /** What /col/nb/202403/t20240308_1.htm serves: the test changes it between crawls. */
  changing: Buffer = sample('00007-html-word-cms-fee-decimals-narrative.html');
  #failedOnce = false;
  #server!: Server;
  #forbidden!: Server;
  #mirror!: Server;
  port = 0;
  /** A second origin on the same host (another port) serving the same site: redirects across origins. */
  mirrorPort = 0;

  get mirrorOrigin(): string {
    return `http://127.0.0.1:${this.mirrorPort}`;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get starts(): string[] {
    const starts = [`${this.origin}/col/nb/index.html`, `${this.origin}/hanweb/col/col123/index.html?uid=1&pageNum=1`];
    if (existsSync(join(CORPUS_DIR, 'pingtan-list-index.html'))) starts.push(`${this.origin}/pingtan/zfxxgknb/index.htm`);
    return starts;
  }

  async start(): Promise<void> {
    this.#server = createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((done) => this.#server.listen(0, '127.0.0.1', done));
    this.port = (this.#server.address() as AddressInfo).port;
    this.#mirror = createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((done) => this.#mirror.listen(0, '127.0.0.1', done));
    this.mirrorPort = (this.#mirror.address() as AddressInfo).port;
    this.#forbidden = createServer((_req, res) => res.end('must never be reached'));
    this.#forbidden.on('connection', () => this.forbiddenConnections++);
    await new Promise<void>((done) => this.#forbidden.listen(this.port, '127.0.0.2', done));
  }

  async stop(): Promise<void> {
    for (const s of [this.#server, this.#mirror, this.#forbidden]) s.closeAllConnections();
    await Promise.all([this.#server, this.#mirror, this.#forbidden].map((s) => new Promise((d) => s.close(d))));
  }

  /** Requests in the order they arrived, with the status they got (0: none, the client had gone). */
  requested(since = 0): Hit[] {
    return this.hits.slice(since);
  }

  #send(req: IncomingMessage, res: ServerResponse, body: Buffer | string, type: string): void {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    const etag = `"${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}"`;
    if (req.headers['if-none-match'] === etag) return this.#status(req, res, 304, '', { ETag: etag });
    this.#status(req, res, 200, bytes, { 'Content-Type': type, ETag: etag });
  }

  #status(req: IncomingMessage, res: ServerResponse, status: number, body: Buffer | string, headers: Record<string, string> = {}): void {
    const hit = this.#arrived.get(req);
    if (hit) hit.status = status;
    res.writeHead(status, headers);
    res.end(body);
  }

  readonly #arrived = new WeakMap<IncomingMessage, Hit>();

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = req.url ?? '/';
    // Logged when the request arrives (status 0 until answered): gaps are between request starts.
    const hit: Hit = { path, status: 0, at: Date.now() };
    this.hits.push(hit);
    this.#arrived.set(req, hit);
    const html = 'text/html; charset=utf-8';
    switch (path) {
      case '/robots.txt':
        return this.#send(req, res, `User-agent: *\nDisallow: /private/\nCrawl-delay: ${CRAWL_DELAY_S}\n`, 'text/plain');
      case '/col/nb/index.html':
        return this.#send(req, res, trsList(0), html);
      case '/col/nb/index_1.html':
        return this.#send(req, res, trsList(1), html);
      case '/col/nb/202403/t20240308_1.htm':
        return this.#send(req, res, this.changing, html);
      case '/col/nb/202303/t20230301_2.htm':
        // GBK, declared late, and no charset in the HTTP header: the encoding ladder must find it.
        return this.#send(req, res, sample('00012-html-plain-gbk-late.html'), 'text/html');
      case '/col/nb/202203/t20220301_3.htm':
        return this.#send(req, res, ARTICLE_WITH_ATTACHMENTS, html);
      case '/att/2022-qzb.pdf':
        // Served as octet-stream: the content says PDF.
        return this.#send(req, res, sample('00005-pdf-chromium-zero-rows-cell.pdf'), 'application/octet-stream');
      case '/att/2022-wzb.docx':
        return this.#send(req, res, sample('00002-docx-docx-js-other-unitemized.docx'), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
      case '/go/2020.htm':
        return this.#status(req, res, 302, '', { Location: `http://127.0.0.2:${this.port}/2020.htm` });
      case '/col/nb/201903/t20190301_5.htm':
        return this.#status(req, res, 404, 'not found');
      case '/col/nb/201803/t20180301_6.htm':
        if (!this.#failedOnce) {
          this.#failedOnce = true;
          return this.#status(req, res, 500, 'busy');
        }
        return this.#send(req, res, sample('00000-html-plain-base.html'), html);
      case '/col/nb/201703/t20170301_7.htm':
        await new Promise((d) => setTimeout(d, 4_000));
        if (res.destroyed) return;
        return this.#send(req, res, '<html><body>too late</body></html>', html);
      case '/att/big.pdf':
        return this.#send(req, res, Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(3 << 20, 32)]), 'application/pdf');
      case '/hanweb/col/col123/index.html?uid=1&pageNum=1':
        return this.#send(req, res, hanwebList(1), html);
      case '/hanweb/col/col123/index.html?uid=1&pageNum=2':
        return this.#send(req, res, hanwebList(2), html);
      case '/hanweb/art/2025/3/1/art_123_1.html':
        return this.#send(req, res, sample('00021-html-plain-other-unitemized-cell.html'), html);
      case '/hanweb/art/2021/3/1/art_123_2.html':
        return this.#send(req, res, sample('00001-html-word-cms-template-2019-cell.html'), html);
      case '/moved/index.html':
        // The column moved to another origin of the same host (http → https looks like this).
        return this.#status(req, res, 301, '', { Location: `${this.mirrorOrigin}/col/nb/index.html` });
      case '/misc/index.html':
        return this.#send(req, res, `<html><head><meta charset="utf-8"></head><body><ul>${li('/go/local.htm', '2015年政府信息公开工作年度报告')}</ul></body></html>`, html);
      case '/go/local.htm':
        // A name that resolves to loopback: refused after resolution, like an intranet name.
        return this.#status(req, res, 302, '', { Location: `http://localhost:${this.port}/local-target` });
      case '/pingtan/zfxxgknb/index.htm':
        return this.#send(req, res, readFileSync(join(CORPUS_DIR, 'pingtan-list-index.html')), html);
      case '/pingtan/zfxxgknb/202302/t20230220_80629.htm':
        return this.#send(req, res, readFileSync(join(CORPUS_DIR, 'pingtan-2022.html')), html);
      default:
        return this.#status(req, res, 404, 'not found');
    }
  }
}
