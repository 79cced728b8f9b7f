/**
 * Scanned reports: Debian's tesseract (chi_sim) reads page images. Ruled tables are found from
 * their rules (grid.ts) and read cell by cell into exact grid rows; the rest of the page (title,
 * headings, prose, tables without rules) is read as word boxes and laid out by layout.ts.
 * Every OCR'd cell keeps tesseract's confidence, so the matcher and the consistency checks can
 * tell a doubtful reading from a sure one.
 * PDF pages are rendered with poppler's pdftoppm at 300 dpi (150 dpi misreads digits).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ExtractError } from '../errors.ts';
import { parseNumber } from '../normalize.ts';
import type { Warning } from '../../domain/report.ts';
import type { Cell, DocumentContent, Row } from '../types.ts';
import { findGrids, type Grid, type Rect } from './grid.ts';
import { layoutPage, type TextItem } from './layout.ts';
import { decodePng, deskew, eraseRules, parsePgm, ruleThreshold, toPgm, type GreyImage } from './raster.ts';

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

interface Word {
  /** tesseract's block/paragraph/line number: words of one printed line share it */
  line: string;
  text: string;
  left: number;
  top: number;
  width: number;
  height: number;
  conf: number;
}

/** Word boxes (pixels) of an image file. */
async function tesseractWords(file: string, limits: OcrLimits): Promise<{ words: Word[]; width: number; height: number }> {
  // psm 3 (automatic page segmentation) for prose and tables without rules; psm 4 and 6 merge
  // neighbouring lines and cells. preserve_interword_spaces stops tesseract putting spaces
  // between Chinese characters.
  const tsv = await run('tesseract', [file, '-', '-l', 'chi_sim', '--psm', '3', '-c', 'preserve_interword_spaces=1', 'tsv'], limits.timeoutMs);
  const words: Word[] = [];
  let width = 0;
  let height = 0;
  for (const row of tsv.split('\n').slice(1)) {
    const f = row.split('\t');
    if (f.length < 12) continue;
    const [level, page, block, par, ln, , left, top, w, h, conf] = f.map(Number) as number[];
    if (level === 1) {
      width = w!;
      height = h!;
    }
    const line = `${page}.${block}.${par}.${ln}`;
    const text = f.slice(11).join('\t').trim();
    if (level !== 5 || !text || conf! < 0) continue;
    words.push({ line, text, left: left!, top: top!, width: w!, height: h!, conf: conf! });
  }
  return { words, width, height };
}

/** Words of each image of an image list (tesseract reads a .txt of paths as a multi-page input), by page number. */
async function tesseractPages(list: string, psm: string, limits: OcrLimits, whitelist?: string): Promise<Map<number, Word[]>> {
  const extra = whitelist ? ['-c', `tessedit_char_whitelist=${whitelist}`] : [];
  const tsv = await run('tesseract', [list, '-', '-l', 'chi_sim', '--psm', psm, '-c', 'preserve_interword_spaces=1', ...extra, 'tsv'], limits.timeoutMs);
  const pages = new Map<number, Word[]>();
  for (const line of tsv.split('\n').slice(1)) {
    const f = line.split('\t');
    if (f.length < 12) continue;
    const [level, page, block, par, ln, , left, top, w, h, conf] = f.map(Number) as number[];
    const text = f.slice(11).join('\t').trim();
    if (level !== 5 || !text || conf! < 0) continue;
    const words = pages.get(page!) ?? [];
    words.push({ line: `${page}.${block}.${par}.${ln}`, text, left: left!, top: top!, width: w!, height: h!, conf: conf! });
    pages.set(page!, words);
  }
  return pages;
}

/** Pixels → points with body text at BODY_SIZE_PT, from the median height of Chinese words. */
function scaleOf(words: Word[]): number {
  const heights = words.filter((w) => /[\u3400-\u9fff]/.test(w.text)).map((w) => w.height).sort((a, b) => a - b);
  return BODY_SIZE_PT / Math.max(1, heights[Math.floor(heights.length / 2)] ?? 40);
}

function toItems(words: Word[], pageHeight: number, scale: number): TextItem[] {
  const median = BODY_SIZE_PT / scale;
  // one y per printed line: the glyph boxes of Chinese characters differ in height, and a line
  // must not be split by them
  // and one size: a box around 《》 or a tall glyph is not a bigger font
  const byLine = new Map<string, Word[]>();
  for (const w of words) byLine.set(w.line, [...(byLine.get(w.line) ?? []), w]);
  const lineOf = new Map<string, { y: number; size: number }>();
  for (const [line, ws] of byLine) {
    const middle = <T>(xs: T[]): T => xs[Math.floor(xs.length / 2)]!;
    lineOf.set(line, {
      y: middle(ws.map((w) => w.top + w.height / 2).sort((a, b) => a - b)),
      size: middle(ws.map((w) => w.height).sort((a, b) => a - b)),
    });
  }
  return words.map((w) => ({
    text: w.text,
    x: w.left * scale,
    y: (pageHeight - lineOf.get(w.line)!.y) * scale,
    width: w.width * scale,
    size: Math.max(lineOf.get(w.line)!.size, median * 0.8) * scale,
    confidence: Math.round(w.conf),
  }));
}

/**
 * Reads every cell of the page's grids: each cell's ink is cut out with a white margin and all
 * cuts go to one tesseract call as an image list, single-line cells as one line (psm 7, which
 * also reads a lone digit that page segmentation drops), taller ones as a block (psm 6).
 */
async function readCells(image: GreyImage, cells: Rect[], columns: string[], dir: string, name: string, limits: OcrLimits): Promise<Cell[]> {
  let cuts = cells.map((c) => inkCut(image, c));
  const heights = cuts.filter((c): c is GreyImage => c !== null).map((c) => c.height).sort((a, b) => a - b);
  let lineHeight = heights[Math.floor(heights.length / 4)] ?? 60;
  // short single-line cells (digits) under 52 px with their margins: print under ~9 pt at 300 dpi,
  // read it at twice the size
  if (lineHeight < 52) {
    cuts = cuts.map((c) => c && upscale(c));
    lineHeight *= 2;
  }
  const texts: Cell[] = cuts.map(() => ({ text: '' }));
  const read = async (pass: string, chosen: number[], psm: string, digits = false): Promise<void> => {
    if (chosen.length === 0) return;
    const files: string[] = [];
    for (const i of chosen) {
      const file = path.join(dir, `${name}-${pass}-cell${i}.pgm`);
      await writeFile(file, toPgm(cuts[i]!));
      files.push(file);
    }
    const list = path.join(dir, `${name}-${pass}.txt`);
    await writeFile(list, `${files.join('\n')}\n`);
    const words = await tesseractPages(list, psm, limits, digits ? '0123456789.,-' : undefined);
    chosen.forEach((i, k) => (texts[i] = cellText(words.get(k + 1) ?? [])));
  };
  const inked = cuts.flatMap((c, i) => (c ? [i] : []));
  await read('line', inked.filter((i) => cuts[i]!.height <= 1.5 * lineHeight), '7');
  await read('block', inked.filter((i) => cuts[i]!.height > 1.5 * lineHeight), '6');
  // last tries for cells with ink and no reading: one word (psm 8), one character (psm 10)
  await read('word', inked.filter((i) => texts[i]!.text === ''), '8');
  await read('char', inked.filter((i) => texts[i]!.text === ''), '10');
  // a column of numbers: what does not read as a number there ("]" for 1, "D05" for 505) is
  // read again with digits only
  const isNum = (i: number) => parseNumber(texts[i]!.text)?.kind === 'number';
  const numeric = new Set(
    [...new Set(columns)].filter((col) => {
      const inCol = inked.filter((i) => columns[i] === col);
      return inCol.length >= 3 && inCol.filter(isNum).length >= 0.6 * inCol.length;
    }),
  );
  const doubtful = inked.filter((i) => numeric.has(columns[i]!) && !isNum(i) && texts[i]!.text.length <= 12);
  await read('digits', doubtful, '7', true);
  await read('digit', doubtful.filter((i) => !isNum(i)), '10', true);
  return texts;
}

/** A cell's ink with a white margin, or null for an empty cell. */
function inkCut(image: GreyImage, c: Rect, inset = 5, margin = 12): GreyImage | null {
  let x0 = Number.POSITIVE_INFINITY;
  let y0 = Number.POSITIVE_INFINITY;
  let x1 = -1;
  let y1 = -1;
  for (let y = Math.round(c.y0 + inset); y < Math.round(c.y1 - inset); y++) {
    for (let x = Math.round(c.x0 + inset); x < Math.round(c.x1 - inset); x++) {
      if (image.data[y * image.width + x]! >= 160) continue;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
  }
  // a few specks are dust, not text
  if (x1 - x0 < 3 || y1 - y0 < 3) return null;
  const width = x1 - x0 + 1 + 2 * margin;
  const height = y1 - y0 + 1 + 2 * margin;
  const data = new Uint8Array(width * height).fill(255);
  for (let y = y0; y <= y1; y++) data.set(image.data.subarray(y * image.width + x0, y * image.width + x1 + 1), (y - y0 + margin) * width + margin);
  return { width, height, data };
}

/** Twice the size, bilinear: small print is read better so (tesseract wants characters 30+ pixels tall). */
function upscale(image: GreyImage): GreyImage {
  const width = image.width * 2;
  const height = image.height * 2;
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(image.height - 1, (y - 0.5) / 2);
    const y0 = Math.max(0, Math.floor(sy));
    const y1 = Math.min(image.height - 1, y0 + 1);
    const fy = Math.max(0, sy - y0);
    for (let x = 0; x < width; x++) {
      const sx = Math.min(image.width - 1, (x - 0.5) / 2);
      const x0 = Math.max(0, Math.floor(sx));
      const x1 = Math.min(image.width - 1, x0 + 1);
      const fx = Math.max(0, sx - x0);
      const top = image.data[y0 * image.width + x0]! * (1 - fx) + image.data[y0 * image.width + x1]! * fx;
      const bottom = image.data[y1 * image.width + x0]! * (1 - fx) + image.data[y1 * image.width + x1]! * fx;
      data[y * width + x] = Math.round(top * (1 - fy) + bottom * fy);
    }
  }
  return { width, height, data };
}

/** One cell's words as text: lines top to bottom (wrapped labels), words left to right. */
function cellText(ws: Word[]): Cell {
  // ink that OCR could not read: a doubtful cell, not a blank one
  if (ws.length === 0) return { text: '', confidence: 0 };
  ws.sort((a, b) => a.top - b.top);
  const lines: Word[][] = [];
  for (const w of ws) {
    const line = lines.find((l) => Math.abs(l[0]!.top + l[0]!.height / 2 - (w.top + w.height / 2)) < Math.max(l[0]!.height, w.height) / 2);
    if (line) line.push(w);
    else lines.push([w]);
  }
  const text = lines
    .map((l) => l.sort((a, b) => a.left - b.left).map((w) => w.text).join(''))
    .join('')
    .replace(/\s+/g, '');
  return { text, confidence: Math.round(Math.min(...ws.map((w) => w.conf))) };
}

function gridRows(grid: Grid, texts: Cell[], table: number): Row[] {
  const rows: Row[] = [];
  for (let r = 0; r < grid.rows; r++) {
    const cells: Cell[] = [];
    for (let c = 0; c < grid.cols; c++) {
      const k = grid.cells.findIndex((g) => r >= g.row && r < g.row + g.rowSpan && c >= g.col && c < g.col + g.colSpan);
      const cell = texts[k] ?? { text: '' };
      const g = grid.cells[k];
      cells.push(g && (g.row !== r || g.col !== c) ? { ...cell, copy: true } : cell);
    }
    if (cells.some((cell) => !cell.copy || cell.text)) rows.push({ cells, exact: true, table });
  }
  return rows;
}

/** One page image: ruled tables cell by cell, everything else as laid-out word boxes. */
async function ocrPage(page0: GreyImage, dir: string, name: string, firstTable: number, limits: OcrLimits): Promise<{ rows: Row[]; tables: number }> {
  const grey = deskew(page0);
  const dark = ruleThreshold(grey);
  const grids = findGrids(grey, dark);
  const clean = eraseRules(grey, dark);
  // the page without its tables, for the prose around them
  const prose = { ...clean, data: new Uint8Array(clean.data) };
  for (const g of grids) {
    for (let y = Math.max(0, Math.floor(g.bounds.y0) - 4); y < Math.min(prose.height, g.bounds.y1 + 4); y++) {
      prose.data.fill(255, y * prose.width + Math.max(0, Math.floor(g.bounds.x0) - 4), y * prose.width + Math.min(prose.width, Math.ceil(g.bounds.x1) + 4));
    }
  }
  const proseFile = path.join(dir, `${name}-prose.pgm`);
  await writeFile(proseFile, toPgm(prose));
  const page = await tesseractWords(proseFile, limits);
  const scale = scaleOf(page.words);
  const ordered = layoutPage({ width: grey.width * scale, height: grey.height * scale, items: toItems(page.words, grey.height, scale) });

  if (grids.length > 0) {
    const cells = grids.flatMap((g) => g.cells);
    const columns = grids.flatMap((g, k) => g.cells.map((c) => (c.colSpan === 1 ? `${k}:${c.col}` : `${k}:span`)));
    const texts = await readCells(clean, cells, columns, dir, name, limits);
    let offset = 0;
    grids.forEach((g, i) => {
      const rows = gridRows(g, texts.slice(offset, offset + g.cells.length), firstTable + i);
      offset += g.cells.length;
      const top = (grey.height - g.bounds.y0) * scale;
      rows.forEach((row, k) => ordered.push({ y: top - k * 0.001, row }));
    });
    ordered.sort((a, b) => b.y - a.y);
  }
  return { rows: ordered.map((o) => o.row), tables: grids.length };
}

function ocrContent(mediaType: string, rows: Row[], warnings: Warning[]): DocumentContent {
  warnings.push({ code: 'ocr', message: 'the values were read by OCR (tesseract chi_sim); check cells with low confidence' });
  return { mediaType, rows, meta: {}, warnings, ocr: true };
}

const IMAGE_TYPES: Record<string, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  bmp: 'image/bmp',
  tiff: 'image/tiff',
};

/** OCR of one image (JPEG, PNG, GIF, BMP, TIFF). PNGs get table detection; other formats plain word boxes. */
export async function readImage(bytes: Uint8Array, type: string, limits = DEFAULT_OCR_LIMITS): Promise<DocumentContent> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ogi-ocr-'));
  try {
    const mediaType = IMAGE_TYPES[type] ?? 'application/octet-stream';
    const grey = type === 'png' ? decodePng(bytes) : null;
    if (grey) return ocrContent(mediaType, (await ocrPage(grey, dir, 'image', 0, limits)).rows, []);
    const file = path.join(dir, `image.${type}`);
    await writeFile(file, bytes);
    const { words, height, width } = await tesseractWords(file, limits);
    const scale = scaleOf(words);
    const rows = layoutPage({ width: width * scale, height: height * scale, items: toItems(words, height, scale) }).map((o) => o.row);
    return ocrContent(mediaType, rows, []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** OCR of a PDF without a text layer: pages rendered by pdftoppm, then read page by page. */
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
    const rows: Row[] = [];
    let tables = 0;
    for (const image of images) {
      const grey = parsePgm(new Uint8Array(await readFile(path.join(dir, image))));
      if (!grey) throw new ExtractError('ocr-failed', `pdftoppm wrote an unreadable page image (${image})`);
      const page = await ocrPage(grey, dir, image.replace(/\.pgm$/, ''), tables, limits);
      rows.push(...page.rows);
      tables += page.tables;
    }
    return ocrContent('application/pdf', rows, warnings);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
