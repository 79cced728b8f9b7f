/** Run by pdf-sources.test.ts with poppler off the PATH: which source is chosen, and does it read? */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { extractBytes } from '../../../src/extract/index.ts';
import { pdfTextSource } from '../../../src/extract/readers/pdf.ts';

const file = path.resolve(import.meta.dirname, '../../fixtures/real/hongze-2024.pdf');
const x = await extractBytes(new Uint8Array(readFileSync(file)), { file });
console.log(JSON.stringify({ source: await pdfTextSource(), ok: x.output.ok, year: x.output.year }));
