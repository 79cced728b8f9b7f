/**
 * Document reader benchmark: PDF reports per second (text layer, goal ≥ 20/s) over the three real
 * PDFs, and OCR seconds per page over the scanned fixture.
 * Run: node bin/run-ts.js scripts/bench-documents.ts [--rounds N]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { extractBytes } from '../src/extract/index.ts';

const root = path.resolve(import.meta.dirname, '..');
const roundsArg = process.argv.indexOf('--rounds');
const rounds = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 20;
const load = (rel: string) => new Uint8Array(readFileSync(path.join(root, 'test/fixtures', rel)));

const pdfs = ['real/hongze-2023.pdf', 'real/hongze-2024.pdf', 'real/huaian-2024.pdf'].map((f) => ({ f, bytes: load(f) }));
await extractBytes(pdfs[0]!.bytes, { file: 'warm-up' });
let t = performance.now();
for (let r = 0; r < rounds; r++) for (const p of pdfs) await extractBytes(p.bytes, { file: p.f });
const pdfSeconds = (performance.now() - t) / 1000;
console.log(`PDF (text layer): ${((rounds * pdfs.length) / pdfSeconds).toFixed(1)} reports/s (${rounds * pdfs.length} reports in ${pdfSeconds.toFixed(2)} s; goal ≥ 20/s)`);

const scan = load('documents/scanned-2019.pdf');
t = performance.now();
const x = await extractBytes(scan, { file: 'scanned-2019.pdf' });
const ocrSeconds = (performance.now() - t) / 1000;
const pages = 3;
console.log(`OCR (scanned PDF, ${pages} pages, 300 dpi, ok=${x.output.ok}): ${(ocrSeconds / pages).toFixed(2)} s/page`);
