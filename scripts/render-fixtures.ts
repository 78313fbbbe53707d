// Renders the seed fixtures (HTML, DOCX, PDF and a truth file per variant) into fixtures/seed/.
// Needs LibreOffice (soffice) and fonts-noto-cjk; pdftotext, if present, fills in the layout note.
// Deterministic and idempotent: rerunning rewrites the same bytes.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { buildDocument, type DocModel, type SeedText, type Truth } from './render/model.ts';
import { renderHtml } from './render/html.ts';
import { renderDocx } from './render/docx.ts';
import { docxToPdf, pdfPages } from './render/pdf.ts';
import { layoutNote } from './render/layout.ts';
import { formatJson } from './render/json.ts';
import { VARIANTS } from './render/variants.ts';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'seed');
const readJson = <T>(name: string): T => JSON.parse(readFileSync(join(DIR, name), 'utf8')) as T;

function writeHtml(name: string, doc: DocModel, gbk: boolean): void {
  const html = renderHtml(doc, { gbk });
  if (!gbk) return writeFileSync(join(DIR, `${name}.html`), html, 'utf8');
  const bytes = iconv.encode(html, 'gbk');
  // iconv-lite writes '?' for what GBK lacks: refuse a lossy page rather than ship it.
  if (iconv.decode(bytes, 'gb18030') !== html) throw new Error(`${name}: text not representable in GBK`);
  writeFileSync(join(DIR, `${name}.html`), bytes);
}

async function main(): Promise<void> {
  const seedTruth = readJson<Truth>('seed.truth.json');
  const text = readJson<SeedText>('seed.text.json');
  const work = mkdtempSync(join(tmpdir(), 'ogi-fixtures-'));
  try {
    const truths = new Map<string, Truth>();
    const docxFiles: string[] = [];
    for (const v of VARIANTS) {
      const truth = v.truth(seedTruth);
      truths.set(v.name, truth);
      const doc = buildDocument(truth, text, v.display());
      if (v.formats.includes('html')) writeHtml(v.name, doc, v.gbk === true);
      if (v.formats.includes('docx') || v.formats.includes('pdf')) {
        const file = join(work, `${v.name}.docx`);
        writeFileSync(file, await renderDocx(doc));
        docxFiles.push(file);
        if (v.formats.includes('docx')) copyFileSync(file, join(DIR, `${v.name}.docx`));
      }
    }
    const pdfs = docxFiles.length ? docxToPdf(docxFiles, work) : [];
    for (const v of VARIANTS) {
      const truth = truths.get(v.name) as Truth;
      if (v.formats.includes('pdf')) {
        const pdf = pdfs.find((p) => p.endsWith(`/${v.name}.pdf`)) as string;
        copyFileSync(pdf, join(DIR, `${v.name}.pdf`));
        const note = layoutNote(pdfPages(pdf));
        console.log(`${v.name}.pdf: ${note}`);
        if (v.name !== 'seed') truth.notes.splice(1, 0, note);
        // The seed truth is hand-written: say so when its layout note no longer matches the render.
        else if (!truth.notes.some((n) => n.startsWith('rendered:') && n.includes(note))) {
          console.error(`seed.truth.json: update its "rendered:" note by hand to say: ${note}`);
        }
      }
      // seed.truth.json is the hand-written input: never overwritten.
      if (v.name !== 'seed') writeFileSync(join(DIR, `${v.name}.truth.json`), formatJson(truth));
      console.log(`rendered ${v.name}: ${v.formats.join(', ')}`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
