/** Opening a .docx container: magic bytes, legacy/encrypted CFB files, cut downloads, zip bombs. */
import JSZip from 'jszip';
import { DocumentError } from '../../errors.ts';

const CFB_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
/** Uncompressed size above which a part is refused: a real report's document.xml is a few MB. */
export const MAX_PART_BYTES = 200 * 1024 * 1024;

export function isCfb(b: Uint8Array): boolean {
  return b.length >= 8 && CFB_MAGIC.every((x, i) => b[i] === x);
}

export function isZip(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && ((b[2] === 3 && b[3] === 4) || (b[2] === 5 && b[3] === 6));
}

function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  outer: for (let i = from; i <= hay.length - needle.length; i++) {
    for (let k = 0; k < needle.length; k++) if (hay[i + k] !== needle[k]) continue outer;
    return i;
  }
  return -1;
}

/** An encrypted OOXML file is a CFB container with an "EncryptedPackage" stream (name in UTF-16LE). */
export function cfbIsEncryptedOoxml(b: Uint8Array): boolean {
  const name = Buffer.from('EncryptedPackage', 'utf16le');
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).indexOf(name) !== -1;
}

/** Throws the DocumentError a CFB (OLE) file deserves: we read neither encrypted OOXML nor .doc/.wps. */
export function rejectCfb(b: Uint8Array, what: string): never {
  if (cfbIsEncryptedOoxml(b)) throw new DocumentError('encrypted', `${what}a password-protected (encrypted) Office document`);
  throw new DocumentError(
    'unsupported-format',
    `${what}a legacy Word/WPS binary document (.doc/.wps): legacy formats are not read; convert it with LibreOffice (soffice --headless --convert-to docx)`,
  );
}

/** The zip's end-of-central-directory record must be in its last 64 KB + 22 bytes; a cut download loses it. */
function hasEndOfCentralDirectory(b: Uint8Array): boolean {
  const from = Math.max(0, b.length - (65535 + 22));
  return indexOfBytes(b, Uint8Array.of(0x50, 0x4b, 0x05, 0x06), from) !== -1;
}

export async function openZip(bytes: Uint8Array, what: string): Promise<JSZip> {
  if (!hasEndOfCentralDirectory(bytes)) throw new DocumentError('truncated', `${what}the zip container ends early (cut download?)`);
  try {
    return await JSZip.loadAsync(bytes);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const code = /end of data|missing \d+ bytes|invalid zip64|outside of/i.test(msg) ? 'truncated' : 'corrupt';
    throw new DocumentError(code, `${what}broken zip container: ${msg}`, { cause: e });
  }
}

function findEntry(zip: JSZip, name: string): JSZip.JSZipObject | undefined {
  const direct = zip.file(name);
  if (direct) return direct;
  const lower = name.toLowerCase();
  return Object.values(zip.files).find((f) => !f.dir && f.name.toLowerCase() === lower);
}

/**
 * The text of one part, or undefined when absent. The inflated size is counted while streaming, so
 * a zip bomb stops at `cap` bytes instead of filling memory (the declared size can lie).
 */
export async function readPart(zip: JSZip, name: string, what: string, cap = MAX_PART_BYTES): Promise<string | undefined> {
  const entry = findEntry(zip, name);
  if (!entry) return undefined;
  const declared = (entry as unknown as { _data?: { uncompressedSize?: number } })._data?.uncompressedSize;
  const tooBig = () => new DocumentError('corrupt', `${what}${name} inflates to more than ${cap >> 20} MB (zip bomb?)`);
  if (typeof declared === 'number' && declared > cap) throw tooBig();
  const data = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const stream = entry.nodeStream('nodebuffer');
    stream.on('data', (c: Buffer) => {
      if (done) return;
      size += c.length;
      if (size > cap) {
        done = true;
        stream.pause();
        reject(tooBig());
        return;
      }
      chunks.push(c);
    });
    stream.on('error', (e: unknown) => {
      if (done) return;
      done = true;
      const msg = e instanceof Error ? e.message : String(e);
      reject(new DocumentError(/end of data|missing/i.test(msg) ? 'truncated' : 'corrupt', `${what}cannot inflate ${name}: ${msg}`, { cause: e }));
    });
    stream.on('end', () => {
      if (done) return;
      done = true;
      resolve(Buffer.concat(chunks, size));
    });
  });
  // XML parts are UTF-8, or UTF-16 with a BOM
  if (data[0] === 0xff && data[1] === 0xfe) return data.subarray(2).toString('utf16le');
  if (data[0] === 0xfe && data[1] === 0xff) return new TextDecoder('utf-16be').decode(data.subarray(2));
  return new TextDecoder('utf-8').decode(data);
}
