/**
 * Document readers: PDF reports/second (the three real Jiangsu PDFs and the generated PDF fixture,
 * extracted repeatedly in one process; goal ≥ 20/s) and OCR seconds/page (the scanned-PDF fixture).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractBytes } from '../src/extract/index.ts';

const root = join(import.meta.dirname, '..', 'test', 'fixtures');
const pdfs = ['real/hongze-2023.pdf', 'real/hongze-2024.pdf', 'real/huaian-2024.pdf', 'documents/report-2021.pdf'].map((f) => ({
  file: f,
  bytes: readFileSync(join(root, f)),
}));
const ROUNDS = Number(process.env.BENCH_PDF_ROUNDS ?? 15);

for (const p of pdfs) await extractBytes(p.bytes, { file: p.file }); // warm-up: pdfjs loading is not throughput
let ok = 0;
let start = process.hrtime.bigint();
for (let r = 0; r < ROUNDS; r++) for (const p of pdfs) if ((await extractBytes(p.bytes, { file: p.file })).output.ok) ok++;
const pdfSeconds = Number(process.hrtime.bigint() - start) / 1e9;
const pdfRate = (ROUNDS * pdfs.length) / pdfSeconds;
console.log(`pdf: ${ROUNDS * pdfs.length} extractions of ${pdfs.length} text-layer PDFs: ${pdfRate.toFixed(1)} reports/s (goal ≥ 20); ${ok} ok`);

const scanned = readFileSync(join(root, 'documents/scanned-2019.pdf'));
const pages = (scanned.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length || 1;
start = process.hrtime.bigint();
const scan = await extractBytes(scanned, { file: 'scanned-2019.pdf' });
const ocrSeconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(`ocr: scanned PDF of ${pages} page(s) in ${ocrSeconds.toFixed(1)} s: ${(ocrSeconds / pages).toFixed(1)} s/page (tesseract chi_sim); ok=${scan.output.ok}`);
if (pdfRate < 20 || ok !== ROUNDS * pdfs.length || !scan.output.ok) process.exitCode = 1;
