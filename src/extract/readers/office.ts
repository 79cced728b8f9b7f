/**
 * Office documents. DOCX goes through mammoth to HTML (tables keep rowspan/colspan) and then the
 * HTML reader. Legacy Word and WPS files (OLE2) are converted to DOCX by LibreOffice headless.
 * XLS and XLSX are read by SheetJS (@e965/xlsx) into exact grid rows with merged cells expanded.
 * ZIP containers are checked for zip bombs before any library inflates them.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as XLSX from '@e965/xlsx';
import mammoth from 'mammoth';
import { ExtractError } from '../errors.ts';
import type { Cell, DocumentContent, Row } from '../types.ts';
import { readHtml } from './html.ts';
import { zipProblem } from './zip.ts';

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface OfficeLimits {
  /** LibreOffice conversion time limit */
  timeoutMs: number;
  /** rows read per sheet */
  maxSheetRows: number;
  /** columns read per sheet */
  maxSheetColumns: number;
}

export const DEFAULT_OFFICE_LIMITS: OfficeLimits = { timeoutMs: 90_000, maxSheetRows: 2000, maxSheetColumns: 100 };

function assertSafeZip(bytes: Uint8Array): void {
  const problem = zipProblem(bytes);
  if (problem) throw new ExtractError(problem.code, problem.message);
}

export async function readDocx(bytes: Uint8Array): Promise<DocumentContent> {
  assertSafeZip(bytes);
  let html: string;
  try {
    html = (await mammoth.convertToHtml({ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) })).value;
  } catch (err) {
    throw new ExtractError('docx-corrupt', `the Word (DOCX) file cannot be read (${(err as Error).message})`);
  }
  return { ...readHtml(html), mediaType: DOCX_TYPE };
}

export function readXlsx(bytes: Uint8Array, limits: OfficeLimits = DEFAULT_OFFICE_LIMITS): DocumentContent {
  assertSafeZip(bytes);
  return { ...readWorkbook(bytes, limits), mediaType: XLSX_TYPE };
}

/** Which kind of OLE2 compound file this is, from the stream names in its directory (UTF-16LE). */
function ole2Kind(bytes: Uint8Array): 'word' | 'excel' | 'other' {
  const has = (name: string): boolean => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(Buffer.from(name, 'utf16le'));
  if (has('WordDocument')) return 'word';
  if (has('Workbook') || has('Book\0')) return 'excel';
  return 'other';
}

/** .doc, Word-compatible .wps, .xls and WPS .et: all OLE2 compound files. */
export async function readOle2(bytes: Uint8Array, limits: OfficeLimits = DEFAULT_OFFICE_LIMITS): Promise<DocumentContent> {
  const kind = ole2Kind(bytes);
  if (kind === 'excel') return { ...readWorkbook(bytes, limits), mediaType: 'application/vnd.ms-excel' };
  if (kind === 'other') throw new ExtractError('unsupported-format', 'the OLE2 file is neither a Word/WPS document nor an Excel workbook');
  const docx = await convertWithLibreOffice(bytes, 'doc', 'docx', limits.timeoutMs);
  return { ...(await readDocx(docx)), mediaType: 'application/msword' };
}

function readWorkbook(bytes: Uint8Array, limits: OfficeLimits): Omit<DocumentContent, 'mediaType'> {
  let book: XLSX.WorkBook;
  try {
    book = XLSX.read(bytes, { type: 'array', sheetRows: limits.maxSheetRows, cellHTML: false, cellFormula: false });
  } catch (err) {
    throw new ExtractError('spreadsheet-corrupt', `the spreadsheet cannot be read (${(err as Error).message})`);
  }
  const rows: Row[] = [];
  let table = 0;
  for (const name of book.SheetNames) {
    const sheet = book.Sheets[name];
    if (!sheet?.['!ref']) continue;
    const grid = sheetGrid(sheet, limits);
    // a blank row separates tables stacked on one sheet
    let inTable = false;
    for (const cells of grid) {
      const blank = cells.every((c) => c.text === '');
      if (blank) {
        if (inTable) table++;
        inTable = false;
        continue;
      }
      inTable = true;
      rows.push({ cells, exact: true, table });
    }
    if (inTable) table++;
  }
  const title = rows[0]?.cells.find((c) => c.text)?.text;
  return { rows, meta: title ? { title } : {}, warnings: [] };
}

/** One sheet as a grid of cells; a merged range's text is copied into every position it covers. */
function sheetGrid(sheet: XLSX.WorkSheet, limits: OfficeLimits): Cell[][] {
  const range = XLSX.utils.decode_range(sheet['!ref']!);
  const lastRow = Math.min(range.e.r, range.s.r + limits.maxSheetRows - 1);
  const lastCol = Math.min(range.e.c, range.s.c + limits.maxSheetColumns - 1);
  const text = (r: number, c: number): string => {
    const cell = sheet[XLSX.utils.encode_cell({ r, c })] as XLSX.CellObject | undefined;
    if (!cell || cell.v === undefined || cell.v === null) return '';
    // numbers as stored (formats add currency signs, percent or rounding); text as shown
    if (cell.t === 'n') return String(cell.v);
    return String(cell.w ?? cell.v).replace(/\s+/g, ' ').trim();
  };
  const grid: Cell[][] = [];
  for (let r = range.s.r; r <= lastRow; r++) {
    const row: Cell[] = [];
    for (let c = range.s.c; c <= lastCol; c++) row.push({ text: text(r, c) });
    grid.push(row);
  }
  for (const m of sheet['!merges'] ?? []) {
    const value = text(m.s.r, m.s.c);
    for (let r = m.s.r; r <= Math.min(m.e.r, lastRow); r++) {
      for (let c = m.s.c; c <= Math.min(m.e.c, lastCol); c++) {
        if (r === m.s.r && c === m.s.c) continue;
        const row = grid[r - range.s.r];
        if (row) row[c - range.s.c] = { text: value, copy: true };
      }
    }
  }
  return grid;
}

let conversions = 0;

/**
 * Converts a document with LibreOffice headless. Each call gets its own profile directory
 * (parallel runs sharing one profile silently drop outputs) and a writable HOME, and the whole
 * process group is killed at the time limit.
 */
export async function convertWithLibreOffice(bytes: Uint8Array, fromExt: string, toExt: string, timeoutMs: number): Promise<Uint8Array> {
  const dir = await mkdtemp(path.join(tmpdir(), `ogi-lo-${process.pid}-${conversions++}-`));
  try {
    const input = path.join(dir, `input.${fromExt}`);
    await writeFile(input, bytes);
    const out = path.join(dir, 'out');
    const args = [
      '--headless', '--norestore', '--nolockcheck', '--nodefault', '--nofirststartwizard',
      `-env:UserInstallation=file://${path.join(dir, 'profile')}`,
      '--convert-to', toExt, '--outdir', out, input,
    ];
    await new Promise<void>((resolve, reject) => {
      const child = spawn('soffice', args, { detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, HOME: dir } });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
        reject(new ExtractError('convert-timeout', `LibreOffice took longer than ${timeoutMs / 1000} s to convert the ${fromExt} file`));
      }, timeoutMs);
      child.on('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(
          err.code === 'ENOENT'
            ? new ExtractError('convert-unavailable', 'LibreOffice (soffice) is not installed (Debian libreoffice-writer-nogui, libreoffice-calc-nogui)')
            : new ExtractError('convert-failed', `LibreOffice could not be started (${err.message})`),
        );
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        if (code === 0) resolve();
        else reject(new ExtractError('convert-failed', `LibreOffice exited with code ${code}: ${stderr.trim().split('\n').pop() ?? ''}`));
      });
    });
    const produced = (await readdir(out).catch(() => [] as string[])).find((f) => f.endsWith(`.${toExt}`));
    // LibreOffice exits 0 even when it could not read the input; then there is no output
    if (!produced) throw new ExtractError('convert-failed', `LibreOffice could not read the ${fromExt} file`);
    return new Uint8Array(await readFile(path.join(out, produced)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
