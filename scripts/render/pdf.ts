// PDF through LibreOffice (the same engine real reports pass through less often than WPS, but the
// only one we can run headless), then stripped of what changes from run to run.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Converts every .docx in one soffice run (start-up dominates) and returns the PDF paths. */
export function docxToPdf(docxPaths: string[], outDir: string): string[] {
  // A private profile: no clash with a running LibreOffice, no user settings leaking in.
  const profile = mkdtempSync(join(tmpdir(), 'ogi-lo-'));
  try {
    execFileSync('soffice', [
      `-env:UserInstallation=${pathToFileURL(profile).href}`,
      '--headless', '--convert-to', 'pdf', '--outdir', outDir, ...docxPaths,
    // TZ=UTC: the date LibreOffice stamps (overwritten below) then has the same length everywhere.
    ], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000, env: { ...process.env, TZ: 'UTC' } });
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
  return docxPaths.map((p) => {
    const pdf = join(outDir, basename(p).replace(/\.docx$/, '.pdf'));
    writeFileSync(pdf, normalisePdf(readFileSync(pdf)));
    return pdf;
  });
}

/**
 * Overwrites the creation date, the document /ID and the checksum with fixed text of the same length, so the
 * cross-reference offsets stay valid and a re-render gives the same bytes.
 */
export function normalisePdf(buf: Buffer): Buffer {
  let s = buf.toString('latin1');
  // Only the digits change, so the date keeps its form (D:YYYYMMDDHHmmSSZ') and its length.
  s = s.replace(/(\/(?:CreationDate|ModDate)\s*\(D:)\d{14}/g, (_m, head: string) => `${head}20240101000000`);
  s = s.replace(/\/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]/g, (m, a: string, b: string) =>
    m.replace(a, '0'.repeat(a.length)).replace(b, '0'.repeat(b.length)));
  // LibreOffice's checksum covers the original dates, so it changes with them.
  s = s.replace(/\/DocChecksum \/([0-9A-Fa-f]+)/g, (_m, h: string) => `/DocChecksum /${'0'.repeat(h.length)}`);
  return Buffer.from(s, 'latin1');
}

/** Page texts through poppler, or null where pdftotext is not installed. */
export function pdfPages(pdf: string): string[] | null {
  try {
    const text = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' });
    return text.split('\f').filter((p, i, all) => i < all.length - 1 || p.trim() !== '');
  } catch {
    return null;
  }
}
