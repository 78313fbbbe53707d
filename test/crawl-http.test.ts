/**
 * The crawler's network layer (src/crawl/address.ts, http.ts, robots.ts, hosts.ts) against servers
 * this test starts on loopback. NETWORK RULE: only 127.x addresses and 'localhost' are ever used, also
 * where a refusal is expected (a refusal that failed would otherwise send traffic somewhere real).
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import zlib from 'node:zlib';
import JSZip from 'jszip';
import { isPublicAddress } from '../src/crawl/address.ts';
import { HostScheduler } from '../src/crawl/hosts.ts';
import { closeIdleConnections, fetchUrl, sniffKind, USER_AGENT, type FetchOptions } from '../src/crawl/http.ts';
import { Robots } from '../src/crawl/robots.ts';

describe('isPublicAddress', () => {
  test('public IPv4 and IPv6 addresses are public', () => {
    for (const ip of ['1.1.1.1', '8.8.8.8', '202.108.22.5', '114.114.114.114', '100.63.255.255', '100.128.0.0', '172.15.255.255',
      '172.32.0.0', '192.0.1.1', '198.17.255.255', '198.20.0.0', '223.255.255.255',
      '2400:3200::1', '2001:4860:4860::8888', '240e:ff:e020::1', '2001:200::1', '[2400:3200::1]',
      '::ffff:8.8.8.8', '::ffff:808:808', '64:ff9b::808:808', '64:ff9b::8.8.8.8', '2002:808:808::1']) {
      assert.equal(isPublicAddress(ip), true, ip);
    }
  });

  test('private, loopback, link-local, shared, reserved and documentation ranges are not', () => {
    for (const ip of [
      '0.0.0.0', '0.1.2.3', '10.0.0.1', '10.255.255.255', '100.64.0.1', '100.127.255.254', '127.0.0.1', '127.255.0.9',
      '169.254.169.254', '172.16.0.1', '172.31.255.255', '192.0.0.8', '192.0.2.10', '192.88.99.1', '192.168.1.1',
      '198.18.0.1', '198.19.255.255', '198.51.100.7', '203.0.113.200', '224.0.0.1', '239.255.255.250', '240.0.0.1',
      '255.255.255.255',
    ]) {
      assert.equal(isPublicAddress(ip), false, ip);
    }
  });

  test('IPv6 special ranges and IPv6 forms of private IPv4 addresses are not', () => {
    for (const ip of [
      '::', '::1', '[::1]', '0:0:0:0:0:0:0:1', 'fc00::1', 'fd12:3456::1', 'fe80::1', 'fe80::1%eth0', 'febf::1', 'fec0::1',
      'ff02::1', '100::1', '2001:db8::1', '2001::1', '2001:2::1', '2001:10::1', '3fff::1', '5f00::1',
      '::ffff:127.0.0.1', '::ffff:7f00:1', '::FFFF:10.0.0.1', '::ffff:169.254.169.254', '::ffff:a9fe:a9fe', '::127.0.0.1',
      '64:ff9b::127.0.0.1', '64:ff9b::a00:1', '64:ff9b::c0a8:101', '64:ff9b:1::808:808', '2002:7f00:1::1', '2002:c0a8:101::',
    ]) {
      assert.equal(isPublicAddress(ip), false, ip);
    }
  });

  test('what is not an IP address is not public', () => {
    for (const text of ['', 'localhost', 'example.gov.cn', '127.1', '1.2.3', '1.2.3.256', '::g', '1::2::3', '[]']) {
      assert.equal(isPublicAddress(text), false, text);
    }
  });
});

describe('sniffKind', () => {
  test('documents are known by their bytes, not their type', async () => {
    const docx = new JSZip();
    docx.file('[Content_Types].xml', '<Types/>').file('word/document.xml', '<w:document/>');
    const docxBytes = Buffer.from(await docx.generateAsync({ type: 'uint8array' }));
    const xlsx = new JSZip().file('xl/workbook.xml', '<workbook/>');
    const cfb = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(504)]);
    assert.equal(sniffKind(Buffer.from('%PDF-1.7\n...'), 'text/html'), 'pdf');
    assert.equal(sniffKind(Buffer.from('\r\n\0junk %PDF-1.4\n'), 'application/octet-stream'), 'pdf');
    assert.equal(sniffKind(docxBytes, 'application/octet-stream'), 'docx');
    assert.equal(sniffKind(docxBytes.subarray(0, docxBytes.length - 30)), 'docx', 'a cut DOCX without its central directory');
    assert.equal(sniffKind(Buffer.from(await xlsx.generateAsync({ type: 'uint8array' }))), 'other');
    assert.equal(sniffKind(cfb, 'application/msword'), 'doc');
    assert.equal(sniffKind(cfb, 'application/kswps'), 'wps');
    assert.equal(sniffKind(cfb), 'doc');
  });

  test('HTML by its leading markup, or by text/html when nothing else matches', () => {
    assert.equal(sniffKind(Buffer.from('\uFEFF\r\n  <!DOCTYPE html><html></html>')), 'html');
    assert.equal(sniffKind(Buffer.from('<html><body>年度报告</body></html>'), 'application/pdf'), 'html');
    assert.equal(sniffKind(Buffer.from('\uFEFF<html></html>', 'utf16le')), 'html');
    assert.equal(sniffKind(Buffer.from('<?xml version="1.0"?>\n<!DOCTYPE html><html/>')), 'html');
    assert.equal(sniffKind(Buffer.from('<?xml version="1.0"?><urlset/>')), 'other');
    assert.equal(sniffKind(Buffer.from('document.write("x")'), 'text/html; charset=gbk'), 'html');
    assert.equal(sniffKind(Buffer.from('plain text')), 'other');
    assert.equal(sniffKind(Buffer.alloc(0)), 'other');
  });
});

interface TestServer {
  port: number;
  origin: string;
  hits: (path: string) => number;
  connections: () => number;
  close: () => Promise<void>;
}

async function startServer(host: string, handler: (req: http.IncomingMessage, res: http.ServerResponse, hit: number) => void): Promise<TestServer> {
  const counts = new Map<string, number>();
  let connections = 0;
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    counts.set(path, (counts.get(path) ?? 0) + 1);
    handler(req, res, counts.get(path)!);
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    origin: `http://${host}:${port}`,
    hits: (path) => counts.get(path) ?? 0,
    connections: () => connections,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const TEXT = '政府信息公开工作年度报告 '.repeat(200);
let main: TestServer;
let other: TestServer; // on 127.0.0.2: never allowed unless a test says so
let canary: TestServer; // on 127.0.0.1, reached only through refused names
let robotsMode: 'rules' | '500' | '404' = 'rules';
const arrivals: number[] = [];
const slowTimers = new Set<NodeJS.Timeout>();

function route(req: http.IncomingMessage, res: http.ServerResponse, hit: number): void {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  const send = (status: number, body: string | Buffer = '', headers: http.OutgoingHttpHeaders = {}): void => {
    res.writeHead(status, headers).end(body);
  };
  const redirect = (location: string): void => send(302, '', { location });
  switch (path) {
    case '/doc':
      if (req.headers['if-none-match'] === '"v1"') return send(304, '', { etag: '"v1"' });
      return send(200, '<html>报告</html>', { 'content-type': 'text/html; charset="GBK"', etag: '"v1"', 'last-modified': 'Wed, 01 Jan 2025 00:00:00 GMT' });
    case '/ua':
      return send(200, req.headers['user-agent'] ?? '');
    case '/missing':
      return send(404, 'no');
    case '/flaky':
      return hit === 1 ? send(500) : send(200, 'ok');
    case '/down':
      return send(503);
    case '/reset-once':
      return hit === 1 ? void req.socket.destroy() : send(200, 'ok');
    case '/busy':
      return hit === 1 ? send(429, '', { 'retry-after': '1' }) : send(200, 'ok');
    case '/busy-long':
      return send(429, '', { 'retry-after': '3600' });
    case '/slow': {
      res.writeHead(200, { 'content-type': 'text/plain' }).write('start');
      const timer = setTimeout(() => res.end('end'), 5000);
      slowTimers.add(timer);
      res.on('close', () => clearTimeout(timer));
      return;
    }
    case '/big': // chunked: the size is known only by counting
      res.writeHead(200);
      for (let i = 0; i < 20; i++) res.write(Buffer.alloc(64 * 1024, 0x61));
      return void res.end();
    case '/lying':
      res.writeHead(200, { 'content-length': String(100 * 1024 * 1024) }).write('tiny');
      return;
    case '/bomb':
      return send(200, zlib.gzipSync(Buffer.alloc(20 * 1024 * 1024)), { 'content-encoding': 'gzip' });
    case '/gzip':
      return send(200, zlib.gzipSync(TEXT), { 'content-encoding': 'gzip' });
    case '/deflate':
      return send(200, zlib.deflateSync(TEXT), { 'content-encoding': 'deflate' });
    case '/deflate-raw':
      return send(200, zlib.deflateRawSync(TEXT), { 'content-encoding': 'deflate' });
    case '/br':
      return send(200, zlib.brotliCompressSync(TEXT), { 'content-encoding': 'br' });
    case '/r1':
      return redirect('/r2');
    case '/r2':
      return redirect(`${main.origin}/r3`);
    case '/r3':
      return redirect('doc');
    case '/loop':
      return redirect('/loop');
    case '/to-other':
      return redirect(`${other.origin}/x`);
    case '/to-file':
      return redirect('file:///etc/passwd');
    case '/to-localhost':
      return redirect(`http://localhost:${canary.port}/`);
    case '/to-private':
      return redirect('/private/x');
    case '/stamp':
      arrivals.push(performance.now());
      return send(200, 'ok');
    case '/robots.txt':
      if (robotsMode === '500') return send(500);
      if (robotsMode === '404') return send(404);
      return send(200, '\uFEFFUser-agent: *\nDisallow: /private\nCrawl-delay: 2\n', { 'content-type': 'text/plain' });
    default:
      return send(200, 'page');
  }
}

before(async () => {
  main = await startServer('127.0.0.1', route);
  other = await startServer('127.0.0.2', (_req, res) => res.end('other'));
  canary = await startServer('127.0.0.1', (_req, res) => res.end('canary'));
});

after(async () => {
  for (const timer of slowTimers) clearTimeout(timer);
  await Promise.all([main.close(), other.close(), canary.close()]);
  closeIdleConnections();
});

/** Options for the main server: fast retries, no jitter. */
function opts(extra: FetchOptions = {}): FetchOptions {
  return { allowHosts: new Set([`127.0.0.1:${main.port}`]), backoffMs: 20, random: () => 0, timeoutMs: 3000, ...extra };
}

describe('fetchUrl', () => {
  test('200 with its validators, then 304 to the conditional GET', async () => {
    const first = await fetchUrl(`${main.origin}/doc`, opts());
    assert.ok(first.ok);
    assert.equal(first.status, 200);
    assert.equal(first.notModified, false);
    assert.equal(first.bytes.toString(), '<html>报告</html>');
    assert.equal(first.contentType, 'text/html');
    assert.equal(first.charset, 'gbk');
    assert.equal(first.etag, '"v1"');
    assert.equal(first.lastModified, 'Wed, 01 Jan 2025 00:00:00 GMT');
    assert.deepEqual(first.redirects, []);
    const again = await fetchUrl(`${main.origin}/doc`, opts({ etag: first.etag, lastModified: first.lastModified }));
    assert.ok(again.ok);
    assert.equal(again.status, 304);
    assert.equal(again.notModified, true);
    assert.equal(again.bytes.length, 0);
    assert.equal(again.etag, '"v1"');
  });

  test('our User-Agent by default, or the one given', async () => {
    const ours = await fetchUrl(`${main.origin}/ua`, opts());
    assert.ok(ours.ok);
    assert.match(ours.bytes.toString(), /^ogi-audit\/\d+\.\d+\.\d+ \(\+https:\/\/github\.com\/ogi-audit\)$/);
    assert.equal(ours.bytes.toString(), USER_AGENT);
    const given = await fetchUrl(`${main.origin}/ua`, opts({ userAgent: 'test-agent/1' }));
    assert.ok(given.ok);
    assert.equal(given.bytes.toString(), 'test-agent/1');
  });

  test('404 is not retried', async () => {
    const result = await fetchUrl(`${main.origin}/missing`, opts());
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.reason, 'http-4xx');
    assert.equal(result.status, 404);
    assert.equal(main.hits('/missing'), 1);
  });

  test('500 then 200: retried once, after the backoff', async () => {
    const started = performance.now();
    const result = await fetchUrl(`${main.origin}/flaky`, opts({ backoffMs: 60 }));
    assert.ok(result.ok);
    assert.equal(result.bytes.toString(), 'ok');
    assert.equal(main.hits('/flaky'), 2);
    assert.ok(performance.now() - started >= 59, 'waited the backoff');
  });

  test('503 every time: fails with http-5xx after retries + 1 attempts', async () => {
    const result = await fetchUrl(`${main.origin}/down`, opts({ retries: 2 }));
    assert.equal(!result.ok && result.reason, 'http-5xx');
    assert.equal(result.status, 503);
    assert.equal(main.hits('/down'), 3);
  });

  test('a connection reset is retried', async () => {
    const result = await fetchUrl(`${main.origin}/reset-once`, opts());
    assert.ok(result.ok);
    assert.equal(main.hits('/reset-once'), 2);
  });

  test('429 waits for Retry-After; one beyond maxWaitMs ends the fetch at once', async () => {
    const started = performance.now();
    const result = await fetchUrl(`${main.origin}/busy`, opts({ maxWaitMs: 2000 }));
    assert.ok(result.ok);
    assert.ok(performance.now() - started >= 990, 'waited the second Retry-After asked for');
    const long = await fetchUrl(`${main.origin}/busy-long`, opts({ maxWaitMs: 2000 }));
    assert.equal(!long.ok && long.reason, 'http-4xx');
    assert.equal(long.status, 429);
    assert.equal(main.hits('/busy-long'), 1);
  });

  test('a slow response times out within bound, and the timeout is retried', async () => {
    let started = performance.now();
    const once = await fetchUrl(`${main.origin}/slow`, opts({ timeoutMs: 300, retries: 0 }));
    assert.equal(!once.ok && once.reason, 'timeout');
    assert.ok(performance.now() - started < 2000);
    started = performance.now();
    const twice = await fetchUrl(`${main.origin}/slow`, opts({ timeoutMs: 200, retries: 1 }));
    assert.equal(!twice.ok && twice.reason, 'timeout');
    assert.equal(main.hits('/slow'), 3);
    assert.ok(performance.now() - started < 2000);
  });

  test('an abort signal ends a fetch at once, and is not retried', async () => {
    const controller = new AbortController();
    const hitsBefore = main.hits('/slow');
    const started = performance.now();
    setTimeout(() => controller.abort(), 100);
    const result = await fetchUrl(`${main.origin}/slow`, opts({ timeoutMs: 5000, retries: 3, signal: controller.signal }));
    assert.equal(!result.ok && result.reason, 'network');
    assert.equal(!result.ok && result.message, 'aborted');
    assert.ok(performance.now() - started < 1000);
    assert.equal(main.hits('/slow') - hitsBefore, 1);
  });

  test('too large: a counted body, an announced Content-Length, a gzip bomb', async () => {
    const big = await fetchUrl(`${main.origin}/big`, opts({ maxBytes: 100_000 }));
    assert.equal(!big.ok && big.reason, 'too-large');
    const started = performance.now();
    const lying = await fetchUrl(`${main.origin}/lying`, opts({ maxBytes: 100_000 }));
    assert.equal(!lying.ok && lying.reason, 'too-large');
    assert.ok(performance.now() - started < 1000, 'refused on the header, not by timeout');
    const bomb = await fetchUrl(`${main.origin}/bomb`, opts({ maxBytes: 1024 * 1024 }));
    assert.equal(!bomb.ok && bomb.reason, 'too-large');
    const cut = await fetchUrl(`${main.origin}/big`, opts({ maxBytes: 100_000, truncate: true }));
    assert.ok(cut.ok);
    assert.equal(cut.truncated, true);
    assert.equal(cut.bytes.length, 100_000);
  });

  test('gzip, deflate (zlib and raw) and brotli bodies are decompressed', async () => {
    for (const path of ['/gzip', '/deflate', '/deflate-raw', '/br']) {
      const result = await fetchUrl(`${main.origin}${path}`, opts());
      assert.ok(result.ok, path);
      assert.equal(result.bytes.toString(), TEXT, path);
    }
  });

  test('a redirect chain is followed and kept', async () => {
    const result = await fetchUrl(`${main.origin}/r1`, opts());
    assert.ok(result.ok);
    assert.equal(result.url, `${main.origin}/doc`);
    assert.deepEqual(result.redirects, [`${main.origin}/r1`, `${main.origin}/r2`, `${main.origin}/r3`]);
    const loop = await fetchUrl(`${main.origin}/loop`, opts({ maxRedirects: 3 }));
    assert.equal(!loop.ok && loop.reason, 'too-many-redirects');
    assert.equal(main.hits('/loop'), 4);
  });

  test('a redirect to an address not allowed is refused without connecting to it', async () => {
    const result = await fetchUrl(`${main.origin}/to-other`, opts());
    assert.equal(!result.ok && result.reason, 'refused-address');
    assert.equal(result.url, `${other.origin}/x`);
    assert.deepEqual(result.redirects, [`${main.origin}/to-other`]);
    assert.equal(other.connections(), 0);
    // The control: the same redirect, allowed, does reach that server.
    const allowed = await fetchUrl(`${main.origin}/to-other`, opts({ allowHosts: new Set([`127.0.0.1:${main.port}`, `127.0.0.2:${other.port}`]) }));
    assert.ok(allowed.ok);
    assert.equal(allowed.bytes.toString(), 'other');
    assert.equal(other.connections(), 1);
  });

  test('schemes other than http and https are refused, directly or by redirect', async () => {
    const redirected = await fetchUrl(`${main.origin}/to-file`, opts());
    assert.equal(!redirected.ok && redirected.reason, 'refused-scheme');
    assert.equal(redirected.url, 'file:///etc/passwd');
    for (const url of ['file:///etc/passwd', 'ftp://127.0.0.1/', 'data:text/html,x', 'not a url']) {
      const result = await fetchUrl(url, opts());
      assert.equal(!result.ok && result.reason, 'refused-scheme', url);
    }
  });

  test('loopback by name or by IP literal is refused without connecting', async () => {
    const none: FetchOptions = { ...opts(), allowHosts: new Set([`127.0.0.1:${main.port}`]) };
    for (const url of [`http://localhost:${canary.port}/`, `http://LOCALHOST:${canary.port}/`, `http://127.0.0.1:${canary.port}/`,
      `http://127.1:${canary.port}/`, `http://0x7f000001:${canary.port}/`, `http://[::ffff:127.0.0.1]:${canary.port}/`]) {
      const result = await fetchUrl(url, none);
      assert.equal(!result.ok && result.reason, 'refused-address', url);
    }
    const viaRedirect = await fetchUrl(`${main.origin}/to-localhost`, none);
    assert.equal(!viaRedirect.ok && viaRedirect.reason, 'refused-address');
    assert.equal(canary.connections(), 0);
    // The control: 'localhost' in allowHosts (a bare host: any port) reaches the canary.
    const allowed = await fetchUrl(`http://localhost:${canary.port}/`, { ...opts(), allowHosts: new Set(['localhost']) });
    assert.ok(allowed.ok, allowed.ok ? '' : allowed.message);
    assert.equal(allowed.bytes.toString(), 'canary');
    assert.ok(canary.connections() >= 1);
  });

  test('robots.txt is asked before every hop, redirects included', async () => {
    robotsMode = 'rules';
    const robots = new Robots(opts());
    const direct = await fetchUrl(`${main.origin}/private/x`, opts({ robots }));
    assert.equal(!direct.ok && direct.reason, 'robots');
    const redirected = await fetchUrl(`${main.origin}/to-private`, opts({ robots }));
    assert.equal(!redirected.ok && redirected.reason, 'robots');
    assert.equal(main.hits('/private/x'), 0);
  });
});

describe('Robots', () => {
  test('Disallow and Crawl-delay for our agent; robots.txt read once per origin', async () => {
    robotsMode = 'rules';
    const hitsBefore = main.hits('/robots.txt');
    const robots = new Robots(opts());
    const answers = await Promise.all([robots.allowed(`${main.origin}/private/a`), robots.allowed(`${main.origin}/public`)]);
    assert.deepEqual(answers, [false, true]);
    assert.equal(await robots.crawlDelayMs(`${main.origin}/anything`), 2000);
    assert.equal(await robots.explain(`${main.origin}/`), undefined);
    assert.equal(main.hits('/robots.txt') - hitsBefore, 1);
    assert.equal(await robots.allowed('file:///etc/passwd'), false);
  });

  test('robots.txt answering 500: the origin is disallowed for the run', async () => {
    robotsMode = '500';
    const hitsBefore = main.hits('/robots.txt');
    const robots = new Robots(opts({ retries: 1 }));
    assert.equal(await robots.allowed(`${main.origin}/public`), false);
    assert.equal(await robots.crawlDelayMs(`${main.origin}/public`), undefined);
    assert.match((await robots.explain(`${main.origin}/`)) ?? '', /^disallow-all/);
    assert.equal(main.hits('/robots.txt') - hitsBefore, 2);
  });

  test('no robots.txt (404): everything allowed', async () => {
    robotsMode = '404';
    const robots = new Robots(opts());
    assert.equal(await robots.allowed(`${main.origin}/private/a`), true);
    assert.equal(await robots.crawlDelayMs(`${main.origin}/`), undefined);
  });

  test('an origin that cannot be reached safely is disallowed', async () => {
    const robots = new Robots({ allowHosts: new Set() });
    assert.equal(await robots.allowed(`http://localhost:${canary.port}/`), false);
    assert.equal(canary.connections(), 1, 'only the earlier allowed request');
  });
});

describe('HostScheduler', () => {
  /** Runs tasks and records when each started and ended (ms, performance.now). */
  function recorder() {
    const log: { name: string; start: number; end: number }[] = [];
    const task = (name: string, ms = 0, fail = false) => async () => {
      const entry = { name, start: performance.now(), end: 0 };
      log.push(entry);
      await new Promise((r) => setTimeout(r, ms));
      entry.end = performance.now();
      if (fail) throw new Error(name);
      return name;
    };
    return { log, task };
  }
  const SLACK = 2; // ms between the scheduler's clock reading and the task's

  test('one host: in order, starts at least delayMs apart, within bound', async () => {
    const scheduler = new HostScheduler({ delayMs: 120 });
    const { log, task } = recorder();
    const began = performance.now();
    const names = await Promise.all(['a', 'b', 'c'].map((n) => scheduler.run('http://127.0.0.1/x', task(n))));
    assert.deepEqual(names, ['a', 'b', 'c']);
    assert.deepEqual(log.map((e) => e.name), ['a', 'b', 'c']);
    assert.ok(log[0].start - began < 50, 'the first starts at once');
    for (let i = 1; i < log.length; i++) assert.ok(log[i].start - log[i - 1].start >= 120 - SLACK, `gap ${i}`);
    assert.ok(performance.now() - began < 240 + 800);
  });

  test('one connection per host: the next starts after the previous ends', async () => {
    const scheduler = new HostScheduler({ delayMs: 0 });
    const { log, task } = recorder();
    await Promise.all(['a', 'b', 'c'].map((n) => scheduler.run('https://localhost:8443/', task(n, 60))));
    for (let i = 1; i < log.length; i++) assert.ok(log[i].start >= log[i - 1].end - SLACK, `overlap ${i}`);
  });

  test('connectionsPerHost 2 runs two at once; different hosts run in parallel', async () => {
    const scheduler = new HostScheduler({ connectionsPerHost: 2, delayMs: 0 });
    const { log, task } = recorder();
    const began = performance.now();
    await Promise.all([
      scheduler.run('http://127.0.0.1/', task('a1', 100)),
      scheduler.run('http://127.0.0.1/', task('a2', 100)),
      scheduler.run('http://127.0.0.1/', task('a3', 100)),
    ]);
    const a3 = log.find((e) => e.name === 'a3')!;
    assert.ok(log[1].start - began < 50, 'two at once');
    assert.ok(a3.start >= Math.min(log[0].end, log[1].end) - SLACK, 'the third waits for a slot');

    const spaced = new HostScheduler({ delayMs: 300 });
    const hosts = recorder();
    const began2 = performance.now();
    await Promise.all([
      spaced.run('http://127.0.0.1/', hosts.task('one', 50)),
      spaced.run('http://127.0.0.2/', hosts.task('two', 50)),
      spaced.run('http://localhost/', hosts.task('three', 50)),
    ]);
    for (const e of hosts.log) assert.ok(e.start - began2 < 50, `${e.name} did not wait for another host`);
  });

  test('the largest of the delays applies: scheduler, per call, Crawl-delay per host', async () => {
    const scheduler = new HostScheduler({ delayMs: 20 });
    const { log, task } = recorder();
    await scheduler.run('http://127.0.0.1/', task('a'));
    await scheduler.run('http://127.0.0.1/', task('b'), { delayMs: 150 });
    scheduler.setCrawlDelay('http://127.0.0.1/robots.txt', 200);
    await scheduler.run('http://127.0.0.1/', task('c'), { delayMs: 50 });
    assert.ok(log[1].start - log[0].start >= 150 - SLACK);
    assert.ok(log[2].start - log[1].start >= 200 - SLACK);
    assert.ok(log[2].start - log[0].start < 350 + 800);
  });

  test('a failing task frees its slot', async () => {
    const scheduler = new HostScheduler({ delayMs: 0 });
    const { task } = recorder();
    await assert.rejects(scheduler.run('http://127.0.0.1/', task('bad', 0, true)), /bad/);
    assert.equal(await scheduler.run('http://127.0.0.1/', task('good')), 'good');
    assert.equal(scheduler.pending('127.0.0.1'), 0);
  });

  test('real fetches to one loopback server arrive about delayMs apart', async () => {
    const scheduler = new HostScheduler({ delayMs: 200 });
    arrivals.length = 0;
    const results = await Promise.all([0, 1, 2].map(() => scheduler.run(`${main.origin}/stamp`, () => fetchUrl(`${main.origin}/stamp`, opts()))));
    assert.ok(results.every((r) => r.ok));
    assert.equal(arrivals.length, 3);
    // Gaps on arrival: the latency of one request (a new connection, a busy machine) may differ from
    // the next one's, so the bound is looser than the 200 ms the starts are apart.
    for (let i = 1; i < arrivals.length; i++) assert.ok(arrivals[i] - arrivals[i - 1] >= 150, `gap ${i}: ${arrivals[i] - arrivals[i - 1]}`);
  });
});
