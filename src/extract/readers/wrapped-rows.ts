/**
 * Rows in which every number cell wrapped. A column too narrow for the row's numbers prints each
 * of them over two or three lines ("259 180 … 359" over "00 0 … 00"): no line of the row is left
 * with fewer numbers than the columns, so wrapped-numbers.ts (which looks for lines of pieces
 * beside a row's whole numbers) sees two full rows, and the row read its first line: every value
 * wrong. Here such lines are read as one row's cells when the geometry shows it: consecutive lines
 * one line height apart (the same gap each time), with the same number of numbers, each set in
 * its column as the one above it, every piece but the last filling its column (as wide as the
 * widest number printed whole in that column of the table) and the joined number wider than it,
 * the lines below the first starting no row, and no row label less than a line under the last (the lines
 * below the first may be that row's, set at its top). The row is the one row label among them: on the
 * first line, or (the label centred in the row's height) on a line between them, with the cells
 * that fit their columns and did not wrap ("（七）总计 900"), if any; the
 * rest of a wrapped label ("量") continues it. When no row label, or more than one, stands among
 * the lines, the lines may be one row or two: every cell is left blank with a warning
 * (PDF_NUMBER_WRAP_AMBIGUOUS), never a guess.
 */
import type { Warning } from '../../domain/report.ts';
import { PDF_NUMBER_WRAP_AMBIGUOUS } from '../warnings.ts';
import { aligned, DIGITS, MAX_LINE_GAP, numbersOf, tableAround, type PlacedText, type TableLine } from './wrapped-numbers.ts';

/** lines of one wrapped cell at most: a 5-digit number in a column of two digits */
const MAX_LINES = 3;
/** the nearest two lines of one cell stand, in font sizes (closer lines are one line or a tight table's stacked header) */
const MIN_CELL_LINE_GAP = 0.9;

/**
 * Joins the lines of rows whose number cells all wrapped into one row each, or blanks them with a
 * warning; returns the lines left (lines emptied are removed). `lines` are top first.
 */
export function joinWrappedRows<L extends TableLine>(lines: L[], startsRow: (text: string) => boolean, pageNo: number, warnings: Warning[]): L[] {
  const labelStarts = (l: TableLine): boolean => l.cells.some((c) => c.x < l.firstNumberX && startsRow(c.text));
  // OCR boxes are too loose to tell a cell's lines from rows
  const plain = (l: TableLine): boolean => {
    const numbers = numbersOf(l);
    return numbers.length >= 2 && numbers.every((f) => f.confidence === undefined && DIGITS.test(f.text));
  };
  for (let i = 0; i < lines.length; i++) {
    const first = lines[i]!;
    if (!plain(first)) continue;
    const group: L[] = [first];
    const between: L[] = [];
    let firstGap: number | undefined;
    let at = i;
    while (group.length < MAX_LINES) {
      const last = group[group.length - 1]!;
      const labels: L[] = [];
      let j = at + 1;
      // between them: label lines, and the row's label line with the cells that did not wrap,
      // centred in the row ("（七）总计 900" between "457 160 _ 100 …" and "00 0 _ 0 …")
      const apart = (l: TableLine) => numbersOf(l).every((f) => !numbersOf(last).some((g) => f.x < g.end && f.end > g.x));
      while (j < lines.length && (!lines[j]!.numeric || (group.length === 1 && labelStarts(lines[j]!) && apart(lines[j]!)))) labels.push(lines[j++]!);
      const next = lines[j];
      if (!next || !plain(next) || labelStarts(next)) break;
      const above = numbersOf(last);
      const below = numbersOf(next);
      const size = above[0]!.size;
      const gap = last.y - next.y;
      if (gap < MIN_CELL_LINE_GAP * size || gap > MAX_LINE_GAP * size || (firstGap !== undefined && Math.abs(gap - firstGap) > 0.2 * size)) break;
      if (below.length !== above.length || below.some((f, c) => Math.abs(f.size - above[c]!.size) > 0.5 || !aligned(f, above[c]!))) break;
      firstGap ??= gap;
      between.push(...labels);
      group.push(next);
      at = j;
    }
    if (group.length < 2) continue;
    const columns = numbersOf(first).map((_, c) => group.map((l) => numbersOf(l)[c]!));
    if (!columns.every((pieces) => fillsColumn(pieces, lines, group))) continue;
    const rowLabels = [first, ...between].filter(labelStarts);
    // a row label less than a line under the last line (the next row's stands a line and its
    // padding below): the lines below the first may be that row's numbers,
    // set at its top ("100 200 500" of 二、 over "250 0 300" over "（一）予以公开"): not one row for certain
    const last = group[group.length - 1]!;
    const under = lines.slice(at + 1).filter((l) => last.y - l.y < firstGap! - 0.2 * numbersOf(last)[0]!.size);
    if (rowLabels.length === 1 && under.some(labelStarts)) continue;
    const shown = group.map((l) => numbersOf(l).map((f) => f.text).join(' ')).join('" over "');
    if (rowLabels.length !== 1) {
      for (const line of group) blankNumbers(line, line === first && labelStarts(first));
      warnings.push({
        code: PDF_NUMBER_WRAP_AMBIGUOUS,
        message: `page ${pageNo}: a row's numbers printed over lines ("${shown}") stand beside ${rowLabels.length === 0 ? 'no row label' : 'several row labels'}, so they may be one row's or two rows' cells; the cells are left blank`,
      });
    } else {
      const anchor = rowLabels[0]!;
      const joined: PlacedText[] = columns.map((pieces) => ({
        text: pieces.map((f) => f.text).join(''),
        x: Math.min(...pieces.map((f) => f.x)),
        end: Math.max(...pieces.map((f) => f.end)),
        y: anchor.y,
        size: pieces[0]!.size,
      }));
      for (const line of group) blankNumbers(line, false);
      anchor.cells = [...anchor.cells, ...joined].sort((a, b) => a.x - b.x);
      anchor.firstNumberX = anchor.numeric ? Math.min(anchor.firstNumberX, joined[0]!.x) : joined[0]!.x;
      anchor.numeric = true;
    }
    i = at;
  }
  return lines.filter((l) => l.cells.length > 0);
}

/**
 * The pieces show that their column was full: every piece but the last at least as wide as the
 * widest number the column prints whole elsewhere in the table (there is one), the joined number
 * wider than it, and the first piece no leading zero ("0" over "0" are two rows' zeros).
 */
function fillsColumn(pieces: PlacedText[], lines: TableLine[], group: TableLine[]): boolean {
  if (/^0\d*$/.test(pieces[0]!.text)) return false;
  const from = Math.min(...pieces.map((f) => f.x));
  const to = Math.max(...pieces.map((f) => f.end));
  const width = (f: PlacedText) => f.end - f.x;
  const whole = tableAround(lines, group[0]!, from, to)
    .filter((l) => !group.includes(l))
    .flatMap(numbersOf)
    .filter((f) => f.x < to && f.end > from && pieces.every((p) => aligned(p, f)));
  if (whole.length === 0) return false;
  const widest = Math.max(...whole.map(width));
  const slack = 0.25 * pieces[0]!.size;
  return pieces.slice(0, -1).every((p) => width(p) >= widest - slack) && pieces.reduce((n, p) => n + width(p), 0) > widest + slack;
}

/** Takes a line's numbers off it, or (keep) leaves them as blank cells; a line left with a label alone is a label line. */
function blankNumbers(line: TableLine, keep: boolean): void {
  const numbers = numbersOf(line);
  if (keep) {
    for (const f of numbers) f.text = '';
    return;
  }
  line.cells = line.cells.filter((c) => !numbers.includes(c));
  line.numeric = false;
  line.firstNumberX = Number.POSITIVE_INFINITY;
}
