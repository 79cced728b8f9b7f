/**
 * Scanned reports: Debian's tesseract (chi_sim) reads word boxes from page images, and layout.ts
 * rebuilds the rows from them. Every cell keeps tesseract's confidence, so the matcher and the
 * consistency checks can tell a doubtful reading from a sure one.
 * PDF pages are rendered with poppler's pdftoppm at 300 dpi (150 dpi misreads digits).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ExtractError } from '../errors.ts';
import type { DocumentContent, Warning } from '../types.ts';
import { layoutRows, type Page, type TextItem } from './layout.ts';
import { decodePng, eraseRules, parsePgm, toPgm, type GreyImage } from './raster.ts';

export interface OcrLimits {
  /** pages of a scanned PDF that are OCR'd */
  maxPages: number;
  /** per tesseract or pdftoppm call */
  timeoutMs: number;
  dpi: number;
}

export const DEFAULT_OCR_LIMITS: OcrLimits = { maxPages: 30, timeoutMs: 120_000, dpi: 300 };

/** Body text is scaled to this size so the layout thresholds (in points) fit any image resolution. */
const BODY_SIZE_PT = 10.5;

function run(cmd: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      cmd,
      args,
      { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, OMP_THREAD_LIMIT: '1' } },
      (err, stdout, stderr) => {
        if (!err) return resolve(stdout);
        const e = err as NodeJS.ErrnoException & { killed?: boolean };
        if (e.code === 'ENOENT') {
          return reject(new ExtractError('ocr-unavailable', `${cmd} is not installed (Debian packages tesseract-ocr, tesseract-ocr-chi-sim, poppler-utils)`));
        }
        if (e.killed) return reject(new ExtractError('ocr-timeout', `${cmd} took longer than ${timeoutMs / 1000} s`));
        reject(new ExtractError('ocr-failed', `${cmd} failed: ${String(stderr).trim().split('\n').pop() || e.message}`));
      },
    );
  });
}

/** Word boxes of one image file, as a layout page in points (y up, y = the box's middle). */
export async function ocrImageFile(file: string, limits: OcrLimits = DEFAULT_OCR_LIMITS): Promise<Page> {
  // psm 4 (one column of lines of varying size) keeps table cells apart best; psm 6 merges a table into garbage.
  // preserve_interword_spaces stops tesseract inserting spaces between Chinese characters.
  const tsv = await run('tesseract', [file, '-', '-l', 'chi_sim', '--psm', '4', '-c', 'preserve_interword_spaces=1', 'tsv'], limits.timeoutMs);
  const words: { text: string; left: number; top: number; width: number; height: number; conf: number }[] = [];
  let pageWidth = 0;
  let pageHeight = 0;
  for (const line of tsv.split('\n').slice(1)) {
    const f = line.split('\t');
    if (f.length < 12) continue;
    const [level, , , , , , left, top, width, height, conf] = f.map(Number) as number[];
    if (level === 1) {
      pageWidth = width!;
      pageHeight = height!;
    }
    const text = f.slice(11).join('\t').trim();
    if (level !== 5 || !text || conf! < 0) continue;
    words.push({ text, left: left!, top: top!, width: width!, height: height!, conf: conf! });
  }
  const cjkHeights = words.filter((w) => /[\u3400-\u9fff]/.test(w.text)).map((w) => w.height).sort((a, b) => a - b);
  const median = cjkHeights[Math.floor(cjkHeights.length / 2)] ?? 40;
  const scale = BODY_SIZE_PT / Math.max(1, median);
  const items: TextItem[] = words.map((w) => ({
    text: w.text,
    x: w.left * scale,
    y: (pageHeight - w.top - w.height / 2) * scale,
    width: w.width * scale,
    size: Math.max(w.height, median * 0.8) * scale,
    confidence: Math.round(w.conf),
  }));
  return { width: pageWidth * scale, height: pageHeight * scale, items };
}

function ocrContent(mediaType: string, pages: Page[], warnings: Warning[]): DocumentContent {
  warnings.push({ code: 'ocr', message: 'the values were read by OCR (tesseract chi_sim); check cells with low confidence' });
  return { mediaType, rows: layoutRows(pages), meta: {}, warnings, ocr: true };
}

const IMAGE_TYPES: Record<string, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  bmp: 'image/bmp',
  tiff: 'image/tiff',
};

/** OCR of one image (JPEG, PNG, GIF, BMP, TIFF). PNGs have their table rules erased first. */
export async function readImage(bytes: Uint8Array, type: keyof typeof IMAGE_TYPES | string, limits = DEFAULT_OCR_LIMITS): Promise<DocumentContent> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ogi-ocr-'));
  try {
    const grey = type === 'png' ? decodePng(bytes) : null;
    const file = path.join(dir, grey ? 'image.pgm' : `image.${type}`);
    await writeFile(file, grey ? toPgm(eraseRules(grey)) : bytes);
    const page = await ocrImageFile(file, limits);
    return ocrContent(IMAGE_TYPES[type] ?? 'application/octet-stream', [page], []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** OCR of a PDF without a text layer: pages rendered by pdftoppm, then tesseract page by page. */
export async function readScannedPdf(bytes: Uint8Array, numPages: number, limits = DEFAULT_OCR_LIMITS): Promise<DocumentContent> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ogi-ocr-'));
  const warnings: Warning[] = [];
  try {
    const input = path.join(dir, 'in.pdf');
    await writeFile(input, bytes);
    const last = Math.min(numPages, limits.maxPages);
    if (numPages > last) warnings.push({ code: 'ocr-pages-cut', message: `only the first ${last} of ${numPages} scanned pages were OCR'd` });
    await run('pdftoppm', ['-r', String(limits.dpi), '-gray', '-f', '1', '-l', String(last), input, path.join(dir, 'page')], limits.timeoutMs * last);
    const images = (await readdir(dir)).filter((f) => f.startsWith('page') && f.endsWith('.pgm')).sort();
    const pages: Page[] = [];
    for (const image of images) {
      const file = path.join(dir, image);
      const grey: GreyImage | null = parsePgm(new Uint8Array(await readFile(file)));
      if (grey) await writeFile(file, toPgm(eraseRules(grey)));
      pages.push(await ocrImageFile(file, limits));
    }
    return ocrContent('application/pdf', pages, warnings);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
