/**
 * Turns document rows into logical table rows: a run of label cells followed by a run of value
 * cells. This one shape covers every layout seen: real grids, tab-separated lines, one cell per
 * line, labels wrapped over two lines with the numbers on the second, group labels that span rows.
 */
import { isPageFurniture, normLabel, parseNumber, type ParsedNumber } from '../normalize.ts';
import type { Row } from '../types.ts';

export interface Token {
  kind: 'label' | 'value' | 'blank' | 'prose';
  raw: string;
  norm: string;
  num?: ParsedNumber;
  exact: boolean;
  confidence?: number;
  /** index of the document row it came from */
  row: number;
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

export function tokenize(rows: Row[]): Token[] {
  const tokens: Token[] = [];
  for (let index = 0; index < rows.length; index++) {
    const row = rows[index]!;
    const exact = row.exact === true;
    for (const cell of row.cells) {
      if (cell.copy) continue;
      // a real grid keeps one value per cell; only text renderings run numbers into labels
      const split = exact || isPageFurniture(cell.text) || !/\s/.test(cell.text.trim()) ? null : splitTrailingNumbers(cell.text);
      for (const raw of split ?? [cell.text]) {
        let token: Token;
        const num = parseNumber(raw);
        if (num && num.kind === 'blank') {
          token = { kind: 'blank', raw, norm: '', exact, row: index };
        } else if (num) {
          token = { kind: 'value', raw, norm: raw.trim(), num, exact, row: index };
        } else if (isPageFurniture(raw)) {
          continue;
        } else {
          const norm = normLabel(raw);
          const prose = norm.length > MAX_LABEL || /[。；;]$/.test(norm);
          token = { kind: prose ? 'prose' : 'label', raw, norm, exact, row: index };
        }
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
