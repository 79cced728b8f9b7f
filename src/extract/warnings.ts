/**
 * Warnings are read by people: one that quotes a whole damaged row, or a hundred of one kind, hides
 * the rest. Messages are cut to a readable length (saying how much was left out), and past a number
 * of warnings of one code the rest are counted in one summary warning.
 */
import type { Warning } from '../domain/report.ts';

/*
 * Codes of the matching of rows to the template (src/extract/match/), each stable:
 * - row-missing: a template row was not found in the document; its values are blank.
 * - row-short / row-misaligned: a row has fewer / more cells than columns and no single reading
 *   fits; its values are blank. row-repaired: the surplus cells dropped are the only reading the
 *   consistency rules accept.
 * - row-labels-merged: two row labels ran together in front of one row of numbers; blank.
 * - rows-by-order: the table prints its row labels apart from its numbers (converter output: the
 *   labels as loose lines, then unlabelled rows of numbers); rows matched to labels by order and
 *   count (match/by-order.ts).
 * - row-unplaced: in such a table, a label whose row of numbers cannot be placed in exactly one way
 *   (the counts disagree and the consistency rules leave several pairings): its values are blank;
 *   or a row of numbers no label takes in exactly one way: left out, its numbers quoted.
 */

/** characters of a message kept */
export const MAX_WARNING_CHARS = 400;
/** warnings of one code kept before the rest are summarised */
export const MAX_WARNINGS_PER_CODE = 20;

export function capMessage(message: string, max = MAX_WARNING_CHARS): string {
  const chars = [...message];
  if (chars.length <= max) return message;
  return `${chars.slice(0, max).join('')} … (${chars.length - max} more characters)`;
}

export function summariseWarnings(warnings: Warning[]): Warning[] {
  const kept: Warning[] = [];
  const dropped = new Map<string, number>();
  const perCode = new Map<string, number>();
  for (const w of warnings) {
    const n = (perCode.get(w.code) ?? 0) + 1;
    perCode.set(w.code, n);
    if (n <= MAX_WARNINGS_PER_CODE) kept.push({ ...w, message: capMessage(w.message) });
    else dropped.set(w.code, (dropped.get(w.code) ?? 0) + 1);
  }
  for (const [code, n] of dropped) kept.push({ code, message: `${n} more ${code} warning${n === 1 ? '' : 's'} like the above` });
  return kept;
}

/**
 * Warning codes of glued cells (match/glued.ts: a text row whose numbers ran together,
 * "152000118" for 15 2 0 0 0 1 18). Both messages quote the digits as printed.
 * - `digits-glued-split`: the digits were split into the row's cells, the only reading the
 *   consistency rules (tables 3 and 4) or the digits themselves (table 2) allow; the message
 *   gives the reading, so the choice can be checked.
 * - `digits-glued-ambiguous`: several readings remain, none does, or too many to check; the row's
 *   cells are left null.
 */
export const DIGITS_GLUED_SPLIT = 'digits-glued-split';
export const DIGITS_GLUED_AMBIGUOUS = 'digits-glued-ambiguous';

/**
 * Warning code of a number printed over two or more lines inside its cell (a narrow column wraps
 * "1046" as "104" over "6"; readers/wrapped-numbers.ts). Where the layout shows the pieces are
 * one cell's (aligned alike, a line apart, one row level with them, the column too narrow for the
 * whole number), they are read whole without a warning. Otherwise the cell is left blank (null)
 * with `pdf-number-wrap-ambiguous`: the message quotes the pieces, the page and the row, and why
 * they could not be read as one number; neither piece is read as the cell's value.
 */
export const PDF_NUMBER_WRAP_AMBIGUOUS = 'pdf-number-wrap-ambiguous';
