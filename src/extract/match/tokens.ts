/**
 * Turns document rows into logical table rows: a run of label cells followed by a run of value
 * cells. This one shape covers every layout seen: real grids, tab-separated lines, one cell per
 * line, labels wrapped over two lines with the numbers on the second, group labels that span rows.
 */
import { isPageFurniture, isPlaceholderHeader, normLabel, parseNumber, type ParsedNumber } from '../normalize.ts';
import type { Row } from '../types.ts';
import { isGluedRun, splitGluedCell } from './glued.ts';

export interface Token {
  kind: 'label' | 'value' | 'blank' | 'prose';
  raw: string;
  norm: string;
  num?: ParsedNumber;
  exact: boolean;
  confidence?: number;
  /** index of the document row it came from */
  row: number;
  /** index of the cell in that row (tokens split from one cell share it) */
  cell?: number;
  /** Row.source of that row */
  source?: string;
}

export interface LogicalRow {
  labels: Token[];
  values: Token[];
  /** normalised labels joined in reading order */
  label: string;
  exact: boolean;
  /** index of the first token of the logical row in the token list */
  at: number;
}

/** Longest text still read as a table label; longer text is prose. */
const MAX_LABEL = 70;

/**
 * Converters that separate cells with single spaces (pdftotext without -layout, OCR lines) put a
 * row's numbers into its label cell: "一、本年新收政府信息公开申请数量 5 0 0 0 0 0 5".
 * Returns the label and the trailing numbers as separate cells, or null when there are none.
 */
export function splitTrailingNumbers(text: string): string[] | null {
  const parts = text.trim().split(/[\s\u3000]+/);
  if (parts.length < 2) return null;
  let k = parts.length;
  while (k > 0 && parseNumber(parts[k - 1]!)?.kind === 'number') k--;
  if (k === parts.length) return null;
  const label = parts.slice(0, k).join(' ');
  return label ? [label, ...parts.slice(k)] : parts.slice(k);
}

/**
 * A text-rendering cell split into its label and numbers: spaced numbers at its end, and a run of
 * numbers glued to the label ("本年新收政府信息公开申请数量152000118", glued.ts), or null.
 */
function splitCell(text: string): string[] | null {
  // "数据1" is a header (by-order.ts and the table readers know it as one), not 数据 with a 1
  if (isPlaceholderHeader(text)) return null;
  const spaced = /\s/.test(text.trim()) ? splitTrailingNumbers(text) : null;
  const parts = spaced ?? [text];
  if (parseNumber(parts[0]!)?.kind === 'number') return spaced;
  const glued = splitGluedCell(parts[0]!);
  return glued ? [...glued, ...parts.slice(1)] : spaced;
}

/** Whether a token is a run of numbers that ran together ("152000118", "76-38844"): several cells, not yet split. */
export const isGluedRunToken = (t: Token): boolean => t.kind === 'value' && t.num === undefined;

/** A value cell read from the digits of a glued run (its raw text is those digits). */
export function gluedToken(from: Token, text: string): Token {
  const num = parseNumber(text);
  return { ...from, kind: 'value', raw: text, norm: text, ...(num ? { num } : {}) };
}

/**
 * The raw texts of value tokens grouped by the document cell they came from, in order: a glued
 * run may be split at the spaces inside a cell, never across cells (glued.ts).
 */
export function cellSegments(tokens: Token[]): string[][] {
  const out: string[][] = [];
  let last: Token | undefined;
  for (const t of tokens) {
    if (last && last.row === t.row && last.cell === t.cell) out[out.length - 1]!.push(t.raw);
    else out.push([t.raw]);
    last = t;
  }
  return out;
}

export function tokenize(rows: Row[]): Token[] {
  const tokens: Token[] = [];
  for (let index = 0; index < rows.length; index++) {
    const row = rows[index]!;
    const exact = row.exact === true;
    for (const [at, cell] of row.cells.entries()) {
      if (cell.copy) continue;
      // a real grid keeps one value per cell; only text renderings run numbers into labels
      const split = exact || isPageFurniture(cell.text) ? null : splitCell(cell.text);
      for (const raw of split ?? [cell.text]) {
        let token: Token;
        const num = parseNumber(raw);
        if (num && num.kind === 'blank') {
          token = { kind: 'blank', raw, norm: '', exact, row: index };
        } else if (num) {
          token = { kind: 'value', raw, norm: raw.trim(), num, exact, row: index };
        } else if (isPageFurniture(raw)) {
          continue;
        } else if (!exact && isGluedRun(raw)) {
          // numbers that ran together ("76-38844"): a value whose cells the table readers split
          token = { kind: 'value', raw, norm: raw.trim(), exact, row: index };
        } else {
          const norm = normLabel(raw);
          const prose = norm.length > MAX_LABEL || /[。；;]$/.test(norm);
          token = { kind: prose ? 'prose' : 'label', raw, norm, exact, row: index };
        }
        token.cell = at;
        if (cell.confidence !== undefined) token.confidence = cell.confidence;
        if (row.source !== undefined) token.source = row.source;
        tokens.push(token);
      }
    }
  }
  return tokens;
}

export function logicalRows(tokens: Token[]): LogicalRow[] {
  const out: LogicalRow[] = [];
  let labels: Token[] = [];
  let values: Token[] = [];
  let at = 0;
  let lastRow = -1;
  const close = (): void => {
    if (labels.length > 0 && values.length > 0) {
      out.push({ labels, values, label: labels.map((t) => t.norm).join(''), exact: values.some((v) => v.exact), at });
      labels = [];
    }
    values = [];
  };
  tokens.forEach((t, i) => {
    // in a real grid a new physical row always starts a new logical row once values were seen
    if (t.exact && t.row !== lastRow && values.length > 0) close();
    lastRow = t.row;
    if (t.kind === 'prose') {
      close();
      labels = [];
    } else if (t.kind === 'label') {
      if (values.length > 0) close();
      if (labels.length === 0) at = i;
      labels.push(t);
    } else if (labels.length > 0) {
      values.push(t);
    }
  });
  close();
  return out;
}

/**
 * The values of a logical row, fitted to `expected` columns. Blanks in a real grid are real
 * blanks; blanks in text renderings are usually merge artefacts, so they count only when the
 * numbers alone do not fill the row.
 */
export function fitValues(row: LogicalRow, expected: number): { values: Token[]; extra: number } {
  let cells = row.values;
  if (!row.exact) {
    const numbers = cells.filter((t) => t.kind === 'value');
    if (numbers.length >= expected) return { values: numbers, extra: numbers.length - expected };
    // keep inner blanks, drop leading/trailing ones beyond what the row can hold
    while (cells.length > expected && cells[0]?.kind === 'blank') cells = cells.slice(1);
  }
  while (cells.length > expected && cells[cells.length - 1]?.kind === 'blank') cells = cells.slice(0, -1);
  return { values: cells, extra: cells.length - expected };
}
