/**
 * PDF text items from poppler (Debian's poppler-utils): `pdftohtml -xml` prints every text run
 * with its box and font size, a few milliseconds a page, where pdfjs spends ~35 ms a page
 * converting embedded CJK fonts it only needs the character map of. Its runs are what pdfjs's
 * are (a run breaks at a font change or a wide gap; a narrow gap is a space), so layout.ts reads
 * both alike; pdfjs stays the reader where poppler is not installed.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ExtractError } from '../errors.ts';
import type { Warning } from '../../domain/report.ts';
import type { Page, TextItem } from './layout.ts';
import type { PdfLimits, PdfText } from './pdf-text.ts';

/** pdftohtml rounds font sizes to whole units (at its zoom, which it caps at 3 for fonts): thirds of a point */
const ZOOM = 3;
/** the XML of a 60-page report is well under a few MB: more means something is wrong */
const MAX_OUTPUT = 64 * 1024 * 1024;
const TIMEOUT_MS = 60_000;

let available: Promise<boolean> | undefined;
/** Whether pdftohtml and pdfinfo can be run here (checked once per process). */
export function popplerAvailable(): Promise<boolean> {
  available ??= Promise.all(['pdftohtml', 'pdfinfo'].map(runs)).then((ok) => ok.every(Boolean));
  return available;
}

function runs(command: string): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(command, ['-v'], { stdio: 'ignore' });
    child.on('error', () => resolve(false));
    child.on('close', (code) => resolve(code === 0));
  });
}

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], input?: Uint8Array): Promise<Result> {
  return new Promise((resolve, reject) => {
    // a PDF that keeps poppler busy this long is not a report (reports take milliseconds)
    const child = spawn(command, args, { stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'], timeout: TIMEOUT_MS, killSignal: 'SIGKILL' });
    if (input) {
      // a reader that stops early (a corrupt file) closes the pipe: not an error of ours
      child.stdin!.on('error', () => undefined);
      child.stdin!.end(input);
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    child.stdout!.on('data', (b: Buffer) => {
      size += b.length;
      if (size > MAX_OUTPUT) child.kill('SIGKILL');
      else out.push(b);
    });
    child.stderr!.on('data', (b: Buffer) => err.length < 64 && err.push(b));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (size > MAX_OUTPUT) reject(new ExtractError('pdf-corrupt', 'the PDF yields more text than any report has'));
      else if (signal) reject(new ExtractError('pdf-corrupt', `the PDF cannot be read (${command} was stopped after ${TIMEOUT_MS / 1000} s)`));
      else resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
const unescape = (s: string): string =>
  s.replace(/&(?:(amp|lt|gt|quot|apos|nbsp)|#(\d+)|#x([0-9a-f]+));/gi, (m, name?: string, dec?: string, hex?: string) =>
    dec ? String.fromCodePoint(Number(dec)) : hex ? String.fromCodePoint(parseInt(hex, 16)) : (ENTITIES[name!.toLowerCase()] ?? m),
  );

const attr = (tag: string, name: string): number => Number(tag.match(new RegExp(`\\b${name}="([-\\d.]+)"`))?.[1] ?? NaN);

/** points: watermarks are set large; table text is 9–12 pt */
const WATERMARK_SIZE = 14;
const CJK = /[\u3400-\u9fff\uf900-\ufaff]/g;

/**
 * Whether a run is turned (a diagonal watermark, Latin text written sideways): pdftohtml prints
 * it like level text, with the width its advance takes across the page. CJK glyphs advance one
 * em each, so a CJK run much narrower than that is turned: below 0.6 em a character it goes
 * down the page (a vertical label, which layout.ts reads); between that and 0.85 it is diagonal
 * — if it is watermark-sized, since table text squeezed into a cell (80% character scaling)
 * is that narrow too. A run of several glyphs and no width goes up or down the page; without
 * CJK it cannot be a vertical label.
 */
function turned(item: TextItem): boolean {
  const glyphs = item.text.replace(/\s/g, '').length;
  const cjk = item.text.match(CJK)?.length ?? 0;
  if (cjk >= 2 && cjk === glyphs) {
    const perGlyph = item.width / (cjk * item.size);
    return perGlyph >= 0.6 && perGlyph < 0.85 && item.size >= WATERMARK_SIZE;
  }
  return glyphs >= 2 && cjk === 0 && item.width < 0.01;
}

/** Pages of pdftohtml's XML as layout.ts's pages (PDF coordinates: y up from the page bottom). */
export function parsePdfXml(xml: string): Page[] {
  const pages: Page[] = [];
  const sizes = new Map<string, number>();
  for (const page of xml.matchAll(/<page\b([^>]*)>([\s\S]*?)<\/page>/g)) {
    const width = attr(page[1]!, 'width') / ZOOM;
    const height = attr(page[1]!, 'height') / ZOOM;
    // font ids are numbered across the document; each page declares the ones it adds
    for (const f of page[2]!.matchAll(/<fontspec\b([^>]*)\/>/g)) {
      sizes.set(f[1]!.match(/\bid="([^"]*)"/)?.[1] ?? '', attr(f[1]!, 'size') / ZOOM);
    }
    const items: TextItem[] = [];
    for (const t of page[2]!.matchAll(/<text\b([^>]*)>([\s\S]*?)<\/text>/g)) {
      // bold, italic and link markup inside a run is not text
      const text = unescape(t[2]!.replace(/<[^>]*>/g, ''));
      if (!text.trim()) continue;
      const top = attr(t[1]!, 'top') / ZOOM;
      const boxHeight = attr(t[1]!, 'height') / ZOOM;
      const size = sizes.get(t[1]!.match(/\bfont="([^"]*)"/)?.[1] ?? '') || boxHeight;
      // y: the box's bottom (the baseline less the font's descent), close enough to keep level runs level
      const item = { text, x: attr(t[1]!, 'left') / ZOOM, y: height - (top + boxHeight), width: attr(t[1]!, 'width') / ZOOM, size };
      if (!turned(item)) items.push(item);
    }
    pages.push({ width, height, items });
  }
  return pages;
}

/** pdfinfo's Title line (pdfinfo decodes whatever encoding the PDF stored it in). */
async function infoTitle(bytes: Uint8Array): Promise<string | undefined> {
  const result = await run('pdfinfo', ['-enc', 'UTF-8', '-'], bytes);
  const title = result.stdout.match(/^Title:[ \t]*(.*)$/m)?.[1]?.trim();
  return title || undefined;
}

/** Text runs of every page with PDF coordinates; the info title is read only when asked for. */
export async function popplerPages(bytes: Uint8Array, limits: PdfLimits): Promise<PdfText> {
  // pdftohtml reads only files
  const file = path.join(tmpdir(), `ogi-${randomUUID()}.pdf`);
  await writeFile(file, bytes);
  let result: Result;
  try {
    // -l reads one page past the limit, to tell whether the document was cut;
    // -hidden keeps the invisible text layer of OCR'd scans; -nodrm ignores "no copying" flags
    const args = ['-xml', '-i', '-nomerge', '-hidden', '-nodrm', '-noroundcoord', '-zoom', String(ZOOM), '-l', String(limits.maxPages + 1), '-stdout', file];
    result = await run('pdftohtml', args);
  } finally {
    await rm(file, { force: true });
  }
  if (result.code !== 0) {
    if (/password/i.test(result.stderr)) throw new ExtractError('pdf-encrypted', 'the PDF is protected by a password');
    const reason = result.stderr.trim().split('\n').pop() || `pdftohtml exit code ${result.code}`;
    throw new ExtractError('pdf-corrupt', `the PDF cannot be read (${reason})`);
  }
  const pages = parsePdfXml(result.stdout);
  // a truncated file pdftohtml finds no page in is unreadable, not an empty report
  if (pages.length === 0) throw new ExtractError('pdf-corrupt', 'the PDF cannot be read (no pages found)');
  const warnings: Warning[] = [];
  if (pages.length > limits.maxPages) {
    pages.length = limits.maxPages;
    warnings.push({ code: 'pdf-pages-cut', message: `only the first ${limits.maxPages} pages were read` });
  }
  let title: Promise<string | undefined> | undefined;
  return { pages, warnings, infoTitle: () => (title ??= infoTitle(bytes)) };
}
