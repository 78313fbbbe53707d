// Turns specs into files: HTML and DOCX directly, DOCX from HTML and PDF from DOCX through
// LibreOffice (many files per start), PDF from HTML through headless Chromium.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import iconv from 'iconv-lite';
import { normaliseZip, renderDocx } from '../../scripts/render/docx.ts';
import { renderHtml } from '../../scripts/render/html.ts';
import { formatJson } from '../../scripts/render/json.ts';
import { normalisePdf } from '../../scripts/render/pdf.ts';
import { renderCms } from './cms.ts';
import type { Spec } from './generate.ts';
import { rng } from './rng.ts';

const run = promisify(execFile);

/** Print CSS for Chromium: A4, "- N -" page numbers in the bottom margin, CJK serif. */
function printCss(landscape: boolean): string {
  return [
    `@page { size: A4${landscape ? ' landscape' : ''}; margin: 25mm 20mm 22mm 22mm; @bottom-center { content: "- " counter(page) " -"; font-size: 12pt; } }`,
    'body { font-family: "Noto Serif CJK SC", serif; font-size: 14pt; line-height: 1.6; }',
    'h1 { text-align: center; font-size: 20pt; } h2, h3 { font-size: 14pt; }',
    'table { width: 100%; } th, td { border: 1px solid #000; font-size: 9pt; padding: 2px 3px; font-weight: normal; }',
  ].join('\n');
}

function gbk(html: string, name: string): Buffer {
  const bytes = iconv.encode(html, 'gbk');
  if (iconv.decode(bytes, 'gb18030') !== html) throw new Error(`${name}: text not representable in GBK`);
  return bytes;
}

function htmlBytes(s: Spec): Buffer {
  const cs = s.variant.charset;
  if (s.producer === 'word-cms') {
    const html = renderCms(rng(`${s.seed}:cms`), s.doc, { charset: cs ?? 'utf-8', published: s.published });
    return cs ? gbk(html, s.name) : Buffer.from(html, 'utf8');
  }
  const html = renderHtml(s.doc, { gbk: cs === 'gbk-late', undeclared: cs === 'gbk-none' });
  return cs ? gbk(html, s.name) : Buffer.from(html, 'utf8');
}

/** Runs soffice once over many inputs; returns when every output exists. */
function soffice(args: string[], inputs: string[], outDir: string): void {
  const profile = mkdtempSync(join(tmpdir(), 'ogi-lo-'));
  try {
    for (let i = 0; i < inputs.length; i += 200) {
      execFileSync('soffice', [`-env:UserInstallation=${pathToFileURL(profile).href}`, '--headless', ...args, '--outdir', outDir, ...inputs.slice(i, i + 200)],
        { stdio: ['ignore', 'pipe', 'pipe'], timeout: 1_800_000, env: { ...process.env, TZ: 'UTC' } });
    }
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

async function chromium(html: string, pdf: string): Promise<void> {
  const profile = mkdtempSync(join(tmpdir(), 'ogi-chromium-'));
  try {
    await run('chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`, `--print-to-pdf=${pdf}`, '--no-pdf-header-footer',
      pathToFileURL(html).href], { timeout: 120_000 });
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

export async function produce(specs: Spec[], outDir: string, log: (s: string) => void): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'ogi-corpus-'));
  try {
    const toDocx: string[] = [];
    const toPdf: string[] = [];
    const printJobs: { html: string; pdf: string }[] = [];
    for (const s of specs) {
      writeFileSync(join(outDir, `${s.name}.truth.json`), formatJson(s.truth));
      if (s.format === 'html') writeFileSync(join(outDir, `${s.name}.html`), htmlBytes(s));
      else if (s.producer === 'docx-js') writeFileSync(join(outDir, `${s.name}.docx`), await renderDocx(s.doc, { landscape: s.variant.landscape }));
      else if (s.producer === 'libreoffice-html') {
        const f = join(work, `${s.name}.html`);
        writeFileSync(f, renderHtml(s.doc));
        toDocx.push(f);
      } else if (s.producer === 'libreoffice') {
        const f = join(work, `${s.name}.docx`);
        writeFileSync(f, await renderDocx(s.doc, { landscape: s.variant.landscape }));
        toPdf.push(f);
      } else {
        const f = join(work, `${s.name}.html`);
        writeFileSync(f, renderHtml(s.doc, { css: printCss(s.variant.landscape === true) }));
        printJobs.push({ html: f, pdf: join(work, `${s.name}.pdf`) });
      }
    }
    if (toDocx.length) {
      log(`LibreOffice: ${toDocx.length} HTML → DOCX`);
      soffice(['--infilter=HTML (StarWriter)', '--convert-to', 'docx:MS Word 2007 XML'], toDocx, work);
      for (const f of toDocx) {
        const docx = f.replace(/\.html$/u, '.docx');
        writeFileSync(join(outDir, docx.split('/').pop()!), await normaliseZip(readFileSync(docx)));
      }
    }
    if (toPdf.length) {
      log(`LibreOffice: ${toPdf.length} DOCX → PDF`);
      soffice(['--convert-to', 'pdf'], toPdf, work);
      for (const f of toPdf) {
        const pdf = f.replace(/\.docx$/u, '.pdf');
        writeFileSync(join(outDir, pdf.split('/').pop()!), normalisePdf(readFileSync(pdf)));
      }
    }
    if (printJobs.length) {
      log(`Chromium: ${printJobs.length} HTML → PDF`);
      let next = 0;
      const worker = async () => {
        while (next < printJobs.length) {
          const job = printJobs[next++];
          await chromium(job.html, job.pdf);
          if (!existsSync(job.pdf)) throw new Error(`chromium wrote no ${job.pdf}`);
          writeFileSync(join(outDir, job.pdf.split('/').pop()!), normalisePdf(readFileSync(job.pdf)));
        }
      };
      await Promise.all([worker(), worker()]);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
