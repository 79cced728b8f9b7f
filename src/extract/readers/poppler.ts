/**
 * PDF text items from poppler (Debian's poppler-utils): `pdftohtml -xml` prints every text run
 * with its box and font size, a few milliseconds a page, where pdfjs spends ~35 ms a page
 * converting embedded CJK fonts it only needs the character map of. Its runs are what pdfjs's
 * are (a run breaks at a font change or a wide gap; a narrow gap is a space), so layout.ts reads
 * both alike; pdfjs stays the reader where poppler is not installed.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { open, readFile, rm, stat, writeFile } from 'node:fs/promises';
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

/**
 * A shell that runs pdftohtml for one PDF after another: a batch spawns one shell per PDF in
 * flight, not a process of ours per PDF. Spawning from Node copies its page tables (a few ms of
 * CPU in a process holding a batch); the shell is small, so its fork is cheap. Each job is one line
 * on its stdin (page limit, PDF, output and error files, all ours: no spaces); it answers with the exit code.
 * `ulimit -f` caps what pdftohtml may write at MAX_OUTPUT (it is killed past that, exit 153).
 */
class PopplerShell {
  private readonly child: ChildProcessByStdio<Writable, Readable, null>;
  private answer: ((line: string) => void) | null = null;
  private buffered = '';
  dead = false;

  constructor() {
    const script = `ulimit -f ${MAX_OUTPUT / 512}; while read -r last pdf out err; do pdftohtml ${POPPLER_ARGS.join(' ')} -l "$last" -stdout "$pdf" >"$out" 2>"$err"; echo "$?"; done`;
    // detached: a job past its time is ended with its pdftohtml, as a process group
    this.child = spawn('sh', ['-c', script], { stdio: ['pipe', 'pipe', 'ignore'], detached: true });
    this.child.on('error', () => this.fail());
    this.child.on('exit', () => this.fail());
    this.child.stdin.on('error', () => this.fail());
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => {
      this.buffered += chunk;
      const nl = this.buffered.indexOf('\n');
      if (nl < 0) return;
      const line = this.buffered.slice(0, nl);
      this.buffered = this.buffered.slice(nl + 1);
      const answer = this.answer;
      this.answer = null;
      answer?.(line);
    });
    this.idle();
  }

  private fail(): void {
    this.dead = true;
    const answer = this.answer;
    this.answer = null;
    answer?.('');
  }

  /** an idle shell does not keep the process alive */
  private idle(): void {
    this.child.unref();
    (this.child.stdout as Readable & { unref(): void }).unref();
    (this.child.stdin as Writable & { unref(): void }).unref();
  }

  /** pdftohtml's exit code for one PDF; null when the shell died or the job ran out of time (then the shell is ended) */
  run(last: number, pdf: string, out: string, err: string): Promise<number | null> {
    this.child.ref();
    (this.child.stdout as Readable & { ref(): void }).ref();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.kill(), TIMEOUT_MS);
      this.answer = (line) => {
        clearTimeout(timer);
        if (!this.dead) this.idle();
        resolve(this.dead || line === '' ? null : Number(line));
      };
      this.child.stdin.write(`${last} ${pdf} ${out} ${err}\n`);
    });
  }

  kill(): void {
    this.dead = true;
    try {
      process.kill(-this.child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

const POPPLER_ARGS = ['-xml', '-i', '-nomerge', '-hidden', '-nodrm', '-noroundcoord', '-zoom', String(ZOOM)];
const idleShells: PopplerShell[] = [];

/** the first bytes of a file, as text: a broken PDF can make poppler print megabytes of complaints */
async function head(file: string, bytes: number): Promise<string> {
  const handle = await open(file);
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** pdftohtml's XML of a PDF file through an idle shell (or a new one); the shell goes back to the pool after */
async function pdftohtml(file: string, last: number): Promise<Result> {
  let shell = idleShells.pop();
  while (shell?.dead) shell = idleShells.pop();
  shell ??= new PopplerShell();
  const [out, err] = [`${file}.xml`, `${file}.err`];
  try {
    const code = await shell.run(last, file, out, err);
    if (code === null) throw new ExtractError('pdf-corrupt', `the PDF cannot be read (pdftohtml did not finish: stopped after ${TIMEOUT_MS / 1000} s, or ended)`);
    if ((await stat(out)).size >= MAX_OUTPUT) throw new ExtractError('pdf-corrupt', 'the PDF yields more text than any report has');
    const [stdout, stderr] = await Promise.all([readFile(out, 'utf8'), head(err, 64 * 1024)]);
    return { code, stdout, stderr };
  } finally {
    if (!shell.dead && idleShells.length < 8) idleShells.push(shell);
    else if (!shell.dead) shell.kill();
    await Promise.all([rm(out, { force: true }), rm(err, { force: true })]);
  }
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
    const last = limits.maxPages + 1;
    // the shell reads a job's fields split at spaces: a temporary folder with spaces in its path gets a process of its own
    result = /\s/.test(file) ? await run('pdftohtml', [...POPPLER_ARGS, '-l', String(last), '-stdout', file]) : await pdftohtml(file, last);
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
