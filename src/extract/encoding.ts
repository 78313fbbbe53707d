/**
 * Decoding HTML bytes to text. Chinese government sites still serve GBK/GB2312 pages, often declaring
 * the charset after long scripts (beyond the 1 KB that cheerio/encoding-sniffer look at), sometimes
 * declaring the wrong one, sometimes none at all.
 */
import iconv from 'iconv-lite';
import chardet from 'chardet';

export type DecodeHow = 'bom' | 'http' | 'meta' | 'detected' | 'utf-8';

export interface Decoded {
  text: string;
  /** Encoding actually used, lower case (e.g. 'utf-8', 'gb18030'). */
  encoding: string;
  how: DecodeHow;
  /** Set when the declaration was overruled by the bytes, or detection was a guess. */
  note?: string;
}

const META_WINDOW = 64 * 1024;
/** Below this many non-ASCII bytes chardet guesses wildly (Shift_JIS on a 12-byte GBK snippet). */
const MIN_DETECT_NON_ASCII = 200;

const GB_ALIASES = new Set([
  'gb2312', 'gbk', 'x-gbk', 'gb_2312-80', 'gb_2312', 'cp936', 'ms936', 'windows-936', 'csgb2312',
  'chinese', 'iso-ir-58', 'euc-cn', 'gb18030', 'gb-18030', 'hz-gb-2312',
]);

/** Map a charset label to an iconv-lite name, or undefined when unknown. */
export function normalizeCharset(label: string | undefined): string | undefined {
  if (!label) return undefined;
  const l = label.trim().replace(/^["']|["']$/g, '').toLowerCase();
  if (!l) return undefined;
  if (GB_ALIASES.has(l)) return 'gb18030'; // GB18030 is a superset of GBK and GB2312
  if (l === 'utf8' || l === 'utf-8' || l === 'unicode-1-1-utf-8') return 'utf-8';
  if (l === 'big5-hkscs' || l === 'x-x-big5') return 'big5';
  if (l === 'unicode' || l === 'utf-16') return 'utf-16le';
  if (l === 'iso-8859-1' || l === 'latin1' || l === 'us-ascii' || l === 'ascii') return 'windows-1252'; // as browsers do
  return iconv.encodingExists(l) ? l : undefined;
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    // stream: true tolerates a multi-byte character cut at the very end (a truncated download)
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

function countNonAscii(bytes: Uint8Array): number {
  let n = 0;
  for (const b of bytes) if (b >= 0x80) n++;
  return n;
}

function replacementCount(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\ufffd'); i !== -1; i = s.indexOf('\ufffd', i + 1)) n++;
  return n;
}

function decodeAs(bytes: Uint8Array, enc: string): string {
  if (enc === 'utf-8') return new TextDecoder('utf-8').decode(bytes);
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), enc, { stripBOM: true });
}

/** GB18030 decode if it is clean (few replacement characters), else undefined. */
function cleanGb18030(bytes: Uint8Array): string | undefined {
  const text = decodeAs(bytes, 'gb18030');
  return replacementCount(text) <= Math.max(2, countNonAscii(bytes) / 1000) ? text : undefined;
}

/** The charset a `<meta>` declares anywhere in the first 64 KB (read as Latin-1: ASCII is enough). */
export function sniffMetaCharset(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, META_WINDOW)).toString('latin1');
  const re = /<meta\b[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)/gi;
  for (let m = re.exec(head); m; m = re.exec(head)) {
    const label = m[1].toLowerCase();
    // A meta cannot truthfully declare UTF-16 (the meta itself would not be ASCII): HTML says utf-8
    if (label.startsWith('utf-16')) return 'utf-8';
    if (normalizeCharset(label)) return label;
  }
  return undefined;
}

/**
 * What the detector looks at: 64 KB from the first non-ASCII byte. Its statistics settle within a
 * few thousand characters of text, and it costs time in proportion to what it reads (whole Word-
 * pasted pages are hundreds of KB, mostly ASCII markup).
 */
const DETECT_SAMPLE = 64 * 1024;

function detectionSample(bytes: Uint8Array): Uint8Array {
  if (bytes.length <= DETECT_SAMPLE) return bytes;
  let first = 0;
  while (first < bytes.length && bytes[first] < 0x80) first++;
  const from = Math.max(0, Math.min(first, bytes.length - DETECT_SAMPLE));
  return bytes.subarray(from, from + DETECT_SAMPLE);
}

/** Byte-level detection for pages without a usable declaration. */
function detect(bytes: Uint8Array): Decoded {
  if (isUtf8(bytes)) return { text: decodeAs(bytes, 'utf-8'), encoding: 'utf-8', how: 'utf-8' };
  if (countNonAscii(bytes) < MIN_DETECT_NON_ASCII) {
    return {
      text: decodeAs(bytes, 'gb18030'),
      encoding: 'gb18030',
      how: 'detected',
      note: 'not UTF-8 and too short to detect: decoded as GB18030',
    };
  }
  const guess = normalizeCharset(chardet.detect(detectionSample(bytes)) ?? undefined);
  if (guess && guess !== 'utf-8') {
    const text = decodeAs(bytes, guess);
    // A detector's second-best guess on Chinese pages is often Big5/Shift_JIS/EUC-KR: prefer GB18030
    // when it decodes more cleanly.
    if (guess !== 'gb18030') {
      const gb = cleanGb18030(bytes);
      if (gb !== undefined && replacementCount(gb) < replacementCount(text)) {
        return { text: gb, encoding: 'gb18030', how: 'detected' };
      }
    }
    return { text, encoding: guess, how: 'detected' };
  }
  return { text: decodeAs(bytes, 'gb18030'), encoding: 'gb18030', how: 'detected' };
}

/**
 * Decode an HTML page: BOM, then the HTTP charset, then a `<meta>` declaration in the first 64 KB,
 * then UTF-8 if the bytes are valid UTF-8, then detection (GB18030 when the input is too short to tell).
 */
export function decodeHtml(bytes: Uint8Array, httpCharset?: string): Decoded {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: decodeAs(bytes.subarray(3), 'utf-8'), encoding: 'utf-8', how: 'bom' };
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: decodeAs(bytes.subarray(2), 'utf-16le'), encoding: 'utf-16le', how: 'bom' };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: decodeAs(bytes.subarray(2), 'utf-16be'), encoding: 'utf-16be', how: 'bom' };
  }
  const fromHttp = normalizeCharset(httpCharset);
  const metaLabel = fromHttp ? undefined : sniffMetaCharset(bytes);
  const declared = fromHttp ?? normalizeCharset(metaLabel);
  const how: DecodeHow = fromHttp ? 'http' : 'meta';
  if (!declared) return detect(bytes);

  const source = fromHttp ? `HTTP charset ${httpCharset}` : `<meta> charset ${metaLabel}`;
  if (declared === 'utf-8') {
    if (isUtf8(bytes)) return { text: decodeAs(bytes, 'utf-8'), encoding: 'utf-8', how };
    const gb = cleanGb18030(bytes);
    if (gb !== undefined) {
      return { text: gb, encoding: 'gb18030', how: 'detected', note: `${source} contradicts the bytes (not UTF-8): decoded as GB18030` };
    }
    return { text: decodeAs(bytes, 'utf-8'), encoding: 'utf-8', how, note: `${source}: bytes are not valid UTF-8` };
  }
  // A page re-saved as UTF-8 that kept its old GBK declaration: long GBK text is never valid UTF-8 by
  // chance, so valid multi-byte UTF-8 overrules the declaration.
  if (declared !== 'utf-16le' && declared !== 'utf-16be' && countNonAscii(bytes) >= 32 && isUtf8(bytes)) {
    return { text: decodeAs(bytes, 'utf-8'), encoding: 'utf-8', how: 'detected', note: `${source} contradicts the bytes (valid UTF-8): decoded as UTF-8` };
  }
  return { text: decodeAs(bytes, declared), encoding: declared, how };
}
