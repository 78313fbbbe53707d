/**
 * The crawler's only way onto the network. Every byte the crawl reads comes through `fetchUrl`, which
 * connects only to public addresses (checked on the address actually connected to, so a DNS answer
 * that changes between a check and the connection cannot slip an intranet address through), follows
 * redirects itself so that each hop is checked again, and bounds every response in bytes and time.
 * Global fetch is not used: it hides the lookup, the socket and the byte count.
 */
import dns from 'node:dns';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import zlib from 'node:zlib';
import { isPublicAddress } from './address.ts';

const VERSION: string = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;
export const USER_AGENT = `ogi-audit/${VERSION} (+https://github.com/ogi-audit)`;

/** Why a fetch failed: the crawl summary counts failed fetches by it. */
export type FetchFailureReason =
  | 'refused-scheme' | 'refused-address' | 'too-many-redirects' | 'too-large' | 'timeout'
  | 'http-4xx' | 'http-5xx' | 'network' | 'robots';

/** What fetchUrl asks before each hop (the Robots class fits): a redirect must not lead around robots.txt. */
export interface RobotsCheck {
  /** When set: the reason to report instead of `robots` (robots.txt itself was refused for its address). */
  refusal?(url: string): Promise<FetchFailureReason | undefined>;
  allowed(url: string): Promise<boolean>;
}

export interface FetchOptions {
  /** 'host:port' or 'host' entries that may be reached whatever their address (tests, intranets). */
  allowHosts?: ReadonlySet<string>;
  /** Redirects followed before giving up (default 5). */
  maxRedirects?: number;
  /** Largest body accepted, counted after decompression (default 50 MiB). */
  maxBytes?: number;
  /** Keep the first maxBytes of a larger body (marked `truncated`) instead of failing: robots.txt. */
  truncate?: boolean;
  /** Time allowed for one attempt: connection, headers and the whole body (default 30 s). */
  timeoutMs?: number;
  /** Further attempts after a 5xx, a 429, a timeout or a transient network error (default 2). */
  retries?: number;
  /** First wait between attempts, doubled each time (default 1 s). */
  backoffMs?: number;
  /** Longest single wait: a Retry-After beyond it ends the fetch instead of waiting (default 60 s). */
  maxWaitMs?: number;
  /** Jitter source in [0, 1): each wait is stretched by up to half. Default Math.random; () => 0 for none. */
  random?: () => number;
  /** Validators from the last fetch: sent as If-None-Match / If-Modified-Since. */
  etag?: string;
  lastModified?: string;
  userAgent?: string;
  /** Consulted before every hop, the first included; a refusal is reason 'robots'. */
  robots?: RobotsCheck;
  /** Stops the fetch (reason 'network', message 'aborted'). */
  signal?: AbortSignal;
}

export interface FetchSuccess {
  ok: true;
  /** The final URL, after redirects. */
  url: string;
  status: number;
  /** 304 to a conditional GET: `bytes` is empty and the stored copy is still current. */
  notModified: boolean;
  bytes: Buffer;
  /** Only with `truncate`: the body was longer than maxBytes and was cut there. */
  truncated: boolean;
  /** The media type of Content-Type, lower case, without parameters. */
  contentType?: string;
  charset?: string;
  etag?: string;
  lastModified?: string;
  /** Every URL that answered with a redirect, in order: the chain is [...redirects, url]. */
  redirects: string[];
}

export interface FetchFailure {
  ok: false;
  /** The URL of the hop that failed (a refused redirect target, for instance). */
  url: string;
  reason: FetchFailureReason;
  status?: number;
  message: string;
  redirects: string[];
}

export type FetchResult = FetchSuccess | FetchFailure;

class FetchError extends Error {
  constructor(readonly reason: FetchFailureReason, message: string, readonly retryable = false, readonly status?: number) {
    super(message);
  }
}

type Settings = Required<Omit<FetchOptions, 'etag' | 'lastModified' | 'robots' | 'signal'>> & FetchOptions;

/**
 * GET `url` under the crawler's rules; never throws. A failure says why in `reason`; only 5xx, 429,
 * timeouts and transient network errors are tried again, each hop at most `retries` more times.
 */
export async function fetchUrl(url: string, options: FetchOptions = {}): Promise<FetchResult> {
  // `??`, not a spread: callers pass `{ retries: undefined }` for "the default".
  const settings: Settings = {
    ...options,
    allowHosts: options.allowHosts ?? new Set(),
    maxRedirects: options.maxRedirects ?? 5,
    maxBytes: options.maxBytes ?? 50 * 1024 * 1024,
    truncate: options.truncate ?? false,
    timeoutMs: options.timeoutMs ?? 30_000,
    retries: options.retries ?? 2,
    backoffMs: options.backoffMs ?? 1000,
    maxWaitMs: options.maxWaitMs ?? 60_000,
    random: options.random ?? Math.random,
    userAgent: options.userAgent ?? USER_AGENT,
  };
  const redirects: string[] = [];
  const fail = (at: string, e: FetchError): FetchFailure => ({
    ok: false, url: at, reason: e.reason, ...(e.status === undefined ? {} : { status: e.status }), message: e.message, redirects,
  });
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return fail(url, new FetchError('refused-scheme', 'not a valid URL'));
  }
  // One pass per hop: bounded by maxRedirects.
  for (;;) {
    try {
      const allowed = await admit(target, settings);
      const response = await withRetries(target, allowed, settings);
      const location = utf8Header(response.headers.location);
      if (response.status >= 300 && response.status < 400 && response.status !== 304 && location) {
        if (redirects.length >= settings.maxRedirects) {
          throw new FetchError('too-many-redirects', `more than ${settings.maxRedirects} redirects`, false, response.status);
        }
        redirects.push(target.href);
        try {
          target = new URL(location, target);
        } catch {
          throw new FetchError('refused-scheme', `redirect to an invalid URL: ${location}`);
        }
        continue;
      }
      if (response.status !== 304 && (response.status < 200 || response.status >= 300)) {
        throw new FetchError('network', `unexpected HTTP ${response.status}`, false, response.status);
      }
      const [mediaType, charset] = parseContentType(response.headers['content-type']);
      const etag = response.headers.etag ?? (response.status === 304 ? options.etag : undefined);
      const lastModified = response.headers['last-modified'] ?? (response.status === 304 ? options.lastModified : undefined);
      return {
        ok: true, url: target.href, status: response.status, notModified: response.status === 304,
        bytes: response.bytes, truncated: response.truncated, redirects,
        ...(mediaType ? { contentType: mediaType } : {}), ...(charset ? { charset } : {}),
        ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}),
      };
    } catch (e) {
      return fail(target.href, e instanceof FetchError ? e : new FetchError('network', String(e)));
    }
  }
}

/**
 * Node reads header bytes as Latin-1; servers put raw UTF-8 in Location (/附件/2023年报.pdf).
 * Bytes above 0x7F that form valid UTF-8 are read as UTF-8, as browsers do.
 */
function utf8Header(value: string | undefined): string | undefined {
  if (!value || !/[\x80-\xff]/.test(value) || /[^\x00-\xff]/.test(value)) return value;
  const decoded = Buffer.from(value, 'latin1').toString('utf8');
  return decoded.includes('\ufffd') ? value : decoded;
}

/**
 * The checks made before any connection to `target`: scheme, an IP-literal host (Node does not call
 * `lookup` for those), robots.txt. Returns whether the host is in allowHosts (no address check then).
 */
async function admit(target: URL, settings: Settings): Promise<boolean> {
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new FetchError('refused-scheme', `${target.protocol} is not http or https`);
  }
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  const allowed = settings.allowHosts.has(`${target.hostname}:${port}`) || settings.allowHosts.has(target.hostname);
  const host = bareHost(target.hostname);
  if (!allowed && net.isIP(host) && !isPublicAddress(host)) {
    throw new FetchError('refused-address', `${host} is not a public address`);
  }
  if (settings.robots && !(await settings.robots.allowed(target.href))) {
    const refused = await settings.robots.refusal?.(target.href);
    if (refused) throw new FetchError(refused, `${target.host} is refused: ${refused === 'refused-address' ? 'not a public address' : 'not http or https'}`);
    throw new FetchError('robots', 'disallowed by robots.txt');
  }
  return allowed;
}

async function withRetries(target: URL, allowed: boolean, settings: Settings): Promise<Exchange> {
  for (let attempt = 0; ; attempt++) {
    let failure: FetchError;
    let retryAfterMs: number | undefined;
    try {
      const response = await exchange(target, allowed, settings);
      const { status } = response;
      if (status < 400) return response;
      const retryable = status >= 500 || status === 429;
      failure = new FetchError(status >= 500 ? 'http-5xx' : 'http-4xx', `HTTP ${status}`, retryable, status);
      retryAfterMs = parseRetryAfter(response.headers['retry-after']);
    } catch (e) {
      failure = e instanceof FetchError ? e : new FetchError('network', String(e));
    }
    if (!failure.retryable || attempt >= settings.retries || settings.signal?.aborted) throw failure;
    if (retryAfterMs !== undefined && retryAfterMs > settings.maxWaitMs) {
      throw new FetchError(failure.reason, `${failure.message}, Retry-After ${Math.round(retryAfterMs / 1000)} s is too long`, false, failure.status);
    }
    const backoff = settings.backoffMs * 2 ** attempt * (1 + settings.random() / 2);
    await sleep(Math.min(settings.maxWaitMs, Math.max(backoff, retryAfterMs ?? 0)), settings.signal);
  }
}

interface Exchange {
  status: number;
  headers: http.IncomingHttpHeaders;
  bytes: Buffer;
  truncated: boolean;
}

// Sockets kept alive are reused only for the same host:port; a socket opened for an allowHosts
// request must never serve a request that needs the address check, hence separate pools.
const agents = {
  checked: { http: new http.Agent({ keepAlive: true, timeout: 5000 }), https: new https.Agent({ keepAlive: true, timeout: 5000 }) },
  allowed: { http: new http.Agent({ keepAlive: true, timeout: 5000 }), https: new https.Agent({ keepAlive: true, timeout: 5000 }) },
};

/** Closes the idle kept-alive connections, at the end of a crawl (idle ones do not keep Node running). */
export function closeIdleConnections(): void {
  for (const pool of Object.values(agents)) {
    for (const agent of Object.values(pool)) for (const sockets of Object.values(agent.freeSockets)) sockets?.forEach((s) => s.destroy());
  }
}

/** One request and its whole response, within timeoutMs. Only 2xx bodies are read. */
function exchange(target: URL, allowed: boolean, settings: Settings): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    if (settings.signal?.aborted) return reject(new FetchError('network', 'aborted'));
    const secure = target.protocol === 'https:';
    const headers: http.OutgoingHttpHeaders = {
      'user-agent': settings.userAgent,
      accept: 'text/html,application/xhtml+xml,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,*/*;q=0.8',
      'accept-language': 'zh-CN,zh;q=0.9',
      'accept-encoding': 'gzip, deflate, br',
    };
    if (settings.etag) headers['if-none-match'] = settings.etag;
    if (settings.lastModified) headers['if-modified-since'] = settings.lastModified;
    const request = (secure ? https : http).request({
      hostname: bareHost(target.hostname),
      port: target.port || undefined,
      path: `${target.pathname}${target.search}`,
      method: 'GET',
      headers,
      agent: agents[allowed ? 'allowed' : 'checked'][secure ? 'https' : 'http'],
      lookup: checkedLookup(allowed),
    });
    let settled = false;
    const settle = (error: FetchError | undefined, value?: Exchange) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      settings.signal?.removeEventListener('abort', onAbort);
      if (error) {
        request.destroy();
        reject(error);
      } else resolve(value!);
    };
    const timer = setTimeout(() => settle(new FetchError('timeout', `no complete response within ${settings.timeoutMs} ms`, true)), settings.timeoutMs);
    const onAbort = () => settle(new FetchError('network', 'aborted'));
    settings.signal?.addEventListener('abort', onAbort, { once: true });
    request.on('error', (e) => settle(asFetchError(e)));
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      if (status < 200 || status >= 300) {
        // Redirects, 304 and errors are judged by status and headers alone.
        response.destroy();
        return settle(undefined, { status, headers: response.headers, bytes: Buffer.alloc(0), truncated: false });
      }
      readBody(response, settings.maxBytes, settings.truncate).then(
        ({ bytes, truncated }) => settle(undefined, { status, headers: response.headers, bytes, truncated }),
        (e) => settle(asFetchError(e)),
      );
    });
    request.end();
  });
}

/**
 * Resolves like dns.lookup but refuses, before any connection, unless every address the name has is
 * public: Node connects to one of the addresses given here, so what is checked is what is used.
 */
function checkedLookup(allowed: boolean): net.LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '');
      const refused = addresses.find((a) => !isPublicAddress(a.address));
      if (!allowed && (refused || addresses.length === 0)) {
        return callback(new FetchError('refused-address', `${hostname} resolves to ${refused?.address ?? 'nothing'}, not a public address`), '');
      }
      if (options.all) callback(null, addresses);
      else callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/** Reads a body, decompressing it, and stops as soon as maxBytes (compressed or not) is passed. */
function readBody(response: http.IncomingMessage, maxBytes: number, truncate: boolean): Promise<{ bytes: Buffer; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const announced = Number(response.headers['content-length']);
    if (!truncate && announced > maxBytes) return reject(new FetchError('too-large', `Content-Length ${announced} is over ${maxBytes} bytes`));
    const coding = (response.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (!['identity', '', 'gzip', 'x-gzip', 'deflate', 'br'].includes(coding)) {
      return reject(new FetchError('network', `unsupported Content-Encoding ${coding}`));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let raw = 0;
    let done = false;
    let decoder: zlib.Gunzip | zlib.Inflate | zlib.InflateRaw | zlib.BrotliDecompress | undefined;
    const finish = (error?: Error, truncated = false) => {
      if (done) return;
      done = true;
      if (error || truncated) {
        decoder?.destroy();
        response.destroy();
      }
      if (error) reject(error);
      else resolve({ bytes: Buffer.concat(chunks, size), truncated });
    };
    const take = (chunk: Buffer) => {
      if (done) return;
      if (size + chunk.length > maxBytes) {
        if (!truncate) return finish(new FetchError('too-large', `body over ${maxBytes} bytes`));
        chunks.push(chunk.subarray(0, maxBytes - size));
        size = maxBytes;
        return finish(undefined, true);
      }
      chunks.push(chunk);
      size += chunk.length;
    };
    response.on('data', (chunk: Buffer) => {
      // The compressed size is bounded too: a decoder fed faster than it drains must not buffer a flood.
      raw += chunk.length;
      if (raw > maxBytes && !truncate) return finish(new FetchError('too-large', `body over ${maxBytes} bytes`));
      if (coding === 'identity' || coding === '') return take(chunk);
      if (!decoder) {
        decoder = makeDecoder(coding, chunk);
        decoder.on('data', take);
        decoder.on('end', () => finish());
        decoder.on('error', (e) => finish(new FetchError('network', `bad ${coding} body: ${e.message}`)));
      }
      if (!decoder.write(chunk)) {
        response.pause();
        decoder.once('drain', () => response.resume());
      }
    });
    response.on('end', () => (decoder ? decoder.end() : finish()));
    response.on('error', (e) => finish(asFetchError(e)));
    response.on('close', () => {
      if (!response.complete) finish(new FetchError('network', 'connection closed before the end of the body', true));
    });
  });
}

function makeDecoder(coding: string, first: Buffer): zlib.Gunzip | zlib.Inflate | zlib.InflateRaw | zlib.BrotliDecompress {
  // Tolerate a cut stream the way browsers do; a cut document is then reported by the audit.
  const flush = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
  if (coding === 'br') return zlib.createBrotliDecompress({ finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH });
  if (coding === 'deflate') {
    // "deflate" should be zlib-wrapped (first byte 0x?8) but some servers send raw deflate.
    return (first[0] & 0x0f) === 8 ? zlib.createInflate(flush) : zlib.createInflateRaw(flush);
  }
  return zlib.createGunzip(flush);
}

const TRANSIENT = new Set(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

function asFetchError(e: unknown): FetchError {
  if (e instanceof FetchError) return e;
  const code = (e as NodeJS.ErrnoException)?.code;
  const message = e instanceof Error ? e.message : String(e);
  return new FetchError('network', code && !message.includes(code) ? `${code}: ${message}` : message, code !== undefined && TRANSIENT.has(code));
}

function bareHost(hostname: string): string {
  return hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
}

function parseContentType(value: string | undefined): [string | undefined, string | undefined] {
  if (!value) return [undefined, undefined];
  const mediaType = value.split(';')[0].trim().toLowerCase() || undefined;
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(value)?.[1]?.toLowerCase();
  return [mediaType, charset];
}

/** Retry-After as milliseconds from now: delta-seconds or an HTTP date. */
function parseRetryAfter(value: string | undefined): number | undefined {
  if (!value) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export { type ContentKind, sniffKind } from './sniff.ts';
