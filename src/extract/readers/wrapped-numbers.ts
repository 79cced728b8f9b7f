/**
 * Numbers wrapped inside their cell. A column too narrow for a 4-digit total prints "104" on one
 * line and "6" on the next, inside one cell; read line by line, the row gets one of the pieces
 * (or neither) and the other becomes a stray row: a wrong number, silently. Here the pieces of
 * such a cell are found by their geometry and read whole ("1046"), or, where the geometry does
 * not make that certain, the cell is left blank with a warning (PDF_NUMBER_WRAP_AMBIGUOUS).
 *
 * Pieces of one cell: digit runs of the same font size on consecutive lines (at most a line and
 * a bit apart), set flush left, right or centred alike, of which all but one stand on lines of
 * their own — lines whose numbers are all such pieces, fewer than the table has columns, beside
 * at most the continuation of a row label (a label wraps as the cell does). The row they belong to
 * ("anchor") is the one line with other cells among them, or, when every piece is on a line of
 * its own (the cell's lines centred on the row's), the one row whose baseline lies between them.
 * The wrap is certain only when the pieces show that the column was full: every piece but the
 * last is at least as wide as the widest number printed whole in that column of the table, and
 * the joined number is wider than it (a number that fits its column is not wrapped).
 * Aligned digits a line or so apart that are no cell's pieces are left alone: a first piece
 * with a leading zero ("0" over "0"), more than three pieces, or full lines (rows whose labels
 * stand apart from their numbers). A chain of pieces running from one row's number to the next
 * row's is cut at its widest gap, or, where no gap is clearly wider, every number in it is
 * blanked with a warning.
 * In a table of one number a row a line of one number without a label may be a piece or a row
 * whose label stands apart: its stack is blanked with a warning, never read.
 * A row in which every number cell wraps (no line of it is left with fewer numbers than the
 * columns, so its lines look like rows) is read before, by wrapped-rows.ts.
 */
import type { Warning } from '../../domain/report.ts';
import { PDF_NUMBER_WRAP_AMBIGUOUS } from '../warnings.ts';

/** A run of text placed on a page: layout.ts's fragments, which this step reads and joins. */
export interface PlacedText {
  text: string;
  x: number;
  end: number;
  y: number;
  size: number;
  confidence?: number;
}

export interface TableLine {
  y: number;
  cells: PlacedText[];
  numeric: boolean;
  /** x where the first number starts (numeric lines) */
  firstNumberX: number;
}

interface Piece {
  frag: PlacedText;
  line: TableLine;
}

/** digits of one number (a thousands separator or decimal point may be cut off with them) */
export const DIGITS = /^[\d,.]+$/;
/**
 * the narrowest: poppler joins a cell's first line to the run of the cell before it when they
 * nearly touch ("30 184" over "0" of 1840), and gives the run that cell's baseline, half a line
 * above the next piece (lines closer than this are one line already: layout.ts)
 */
const MIN_LINE_GAP = 0.25;
/** the widest gap between lines of one cell, in font sizes (Word's "1.5 lines" leading is ~1.9) */
export const MAX_LINE_GAP = 2.2;

export const numbersOf = (line: TableLine): PlacedText[] => (line.numeric ? line.cells.filter((c) => c.x >= line.firstNumberX) : []);

/** set alike in one column: the same left edge, right edge or centre */
export function aligned(a: PlacedText, b: PlacedText): boolean {
  const tol = Math.max(1, 0.25 * Math.min(a.size, b.size));
  return Math.abs(a.x - b.x) <= tol || Math.abs(a.end - b.end) <= tol || Math.abs(a.x + a.end - b.x - b.end) / 2 <= tol;
}

/**
 * Finds the numbers wrapped in their cells on one page and reads them whole, or blanks them with
 * a warning. `lines` are top first, as layout.ts groups them; `startsRow` tells a label that
 * starts a row of its own (a row between the pieces means they are no one cell). Lines left
 * without cells are removed.
 */
export function joinWrappedNumbers<L extends TableLine>(lines: L[], startsRow: (text: string) => boolean, pageNo: number, warnings: Warning[]): L[] {
  // OCR boxes are too loose to tell a cell's lines from rows
  const pieces: Piece[] = lines.flatMap((line) =>
    numbersOf(line)
      .filter((f) => f.confidence === undefined && DIGITS.test(f.text))
      .map((frag) => ({ frag, line })),
  );
  if (pieces.length < 2) return lines;
  // each piece's next line down in its cell: the nearest aligned piece below, a line or so lower
  const below = new Map<Piece, Piece>();
  const above = new Map<Piece, Piece>();
  for (const p of pieces) {
    let best: Piece | undefined;
    for (const q of pieces) {
      const gap = p.frag.y - q.frag.y;
      if (q.line === p.line || Math.abs(p.frag.size - q.frag.size) > 0.5 || gap < MIN_LINE_GAP * p.frag.size || gap > MAX_LINE_GAP * p.frag.size) continue;
      if (aligned(p.frag, q.frag) && (!best || q.frag.y > best.frag.y)) best = q;
    }
    if (best && !above.has(best)) {
      below.set(p, best);
      above.set(best, p);
    }
  }
  // a line of its own: no label, and every number on it is a piece of a stack
  const linked = (p: Piece) => below.has(p) || above.has(p);
  const byFrag = new Map(pieces.map((p) => [p.frag, p]));
  // a line whose numbers are all pieces, fewer than the table has columns: beside them at most a
  // row label's lines, which wrap as the cell does ("一、本年新收…申请数" / "量" level with "173" /
  // "90"); a row whose numbers all stand over the next row's is full
  const fullest = (line: TableLine): number => {
    const numbers = numbersOf(line);
    const table = tableAround(lines, line, Math.min(...numbers.map((f) => f.x)), Math.max(...numbers.map((f) => f.end)));
    return Math.max(0, ...table.map((l) => numbersOf(l).length));
  };
  const pureMemo = new Map<TableLine, boolean>();
  const pure = (line: TableLine): boolean => {
    let v = pureMemo.get(line);
    if (v === undefined) {
      const numbers = numbersOf(line);
      const pieceOf = (f: PlacedText) => byFrag.get(f);
      v =
        line.numeric &&
        numbers.every((f) => {
          const p = pieceOf(f);
          return p !== undefined && linked(p);
        }) &&
        numbers.length < fullest(line);
      pureMemo.set(line, v);
    }
    return v;
  };
  // a line of its own: a pure line that starts no row (its label, if any, continues one)
  const startsItsRow = (line: TableLine): boolean => line.cells.some((c) => c.x < line.firstNumberX && startsRow(c.text));
  // a row label set in the middle of its row, the numbers at the top: the label stands level with
  // the second lines of the wrapped numbers ("250 0 400 … 300" over "（一）予以公开 0 … 0"), under
  // the row's first line, a full line without a label (nor one on the line above it): the row is one, so
  // the numbers under its numbers are their pieces
  const labelOfRowAbove = (line: TableLine): boolean => {
    let j = lines.indexOf(line as L) - 1;
    for (; j >= 0 && !lines[j]!.numeric; j--) if (startsItsRow(lines[j]!)) return false;
    const first = lines[j];
    if (!first || pure(first) || first.cells.some((c) => c.x < first.firstNumberX) || first.y - line.y > MAX_LINE_GAP * first.cells[0]!.size) return false;
    const over = lines[j - 1];
    return !over || over.numeric || !startsItsRow(over);
  };
  // a line of one number and no label in a table of one number a row ("398.299999" over
  // "行政事业性收费 99999995"): a cell's piece, or a row whose label stands apart; its stack is
  // never read, only blanked with a warning
  const lone = (line: TableLine): boolean => {
    const numbers = numbersOf(line);
    const p = numbers.length === 1 ? byFrag.get(numbers[0]!) : undefined;
    return p !== undefined && linked(p) && fullest(line) === 1 && !line.cells.some((c) => c.x < line.firstNumberX);
  };
  const ownLine = (line: TableLine): boolean => (pure(line) && (!startsItsRow(line) || labelOfRowAbove(line))) || lone(line);
  const stacks: Piece[][] = [];
  const torn: Piece[][] = [];
  for (const p of pieces) {
    if (above.has(p) || !below.has(p)) continue;
    const chain = [p];
    for (let q = below.get(p); q; q = below.get(q)) chain.push(q);
    for (const run of splitAtWideGaps(chain)) {
      const parts = splitAtRows(run, ownLine);
      if (parts) stacks.push(...parts.filter((part) => part.length > 1 && isCandidate(part, ownLine)));
      else if (isCandidate(run, ownLine, run.length)) torn.push(run);
    }
  }
  if (stacks.length === 0 && torn.length === 0) return lines;
  const inStack = new Set([...stacks, ...torn].flat().map((s) => s.frag));
  for (const chain of torn) {
    // a piece as near to the row above as to the row below: any of the rows' numbers may be wrong
    for (const s of chain) {
      if (pure(s.line)) remove(s);
      else s.frag.text = '';
    }
    warnings.push({
      code: PDF_NUMBER_WRAP_AMBIGUOUS,
      message: `page ${pageNo}: numbers printed over lines ("${chain.map((s) => s.frag.text).join('" over "')}") stand as near to one row as to the next, so no row's cell can be read with certainty; the cells are left blank`,
    });
  }
  for (const stack of stacks) {
    const top = stack[0]!.frag;
    const bottom = stack[stack.length - 1]!.frag;
    const shown = `"${stack.map((s) => s.frag.text).join('" over "')}"`;
    const fail = (why: string, anchor?: TableLine): void => {
      for (const s of stack) {
        if (s.line === anchor) s.frag.text = '';
        else remove(s);
      }
      const where = anchor ? ` in the row ${rowName(anchor)}` : '';
      warnings.push({
        code: PDF_NUMBER_WRAP_AMBIGUOUS,
        message: `page ${pageNo}: a number printed over lines (${shown})${where} cannot be read with certainty (${why}); the cell is left blank`,
      });
    };
    const others = [...new Set(stack.filter((s) => !pure(s.line) && !lone(s.line)).map((s) => s.line))];
    if (stack.some((s) => lone(s.line))) {
      fail('its table prints one number a row, so a line of one number may be a row whose label stands apart', others[0]);
      continue;
    }
    // rows between the top and bottom piece, other than the pieces' own lines (a label alone
    // between them is their row's, centred in it: a row below would print its numbers level with
    // or under its label)
    const between = lines.filter((l) => l.y < top.y + 0.5 && l.y > bottom.y - 0.5 && !stack.some((s) => s.line === l) && l.numeric);
    let anchor = others[0];
    if (anchor) {
      if (between.length > 0) {
        fail('another row stands between its pieces', anchor);
        continue;
      }
    } else {
      // every piece on a line of its own: the cell's lines centred on its row's line
      const rows = between.filter((l) => !numbersOf(l).some((f) => f.x < Math.max(...stack.map((s) => s.frag.end)) && f.end > Math.min(...stack.map((s) => s.frag.x))));
      // no row between: every cell of the row wrapped, and the row is the line with its label
      // (or, its label centred apart, the first line, which the label then joins)
      const labelled = [...new Set(stack.map((s) => s.line))].filter((l) => l.cells.some((c) => c.x < l.firstNumberX && startsRow(c.text)));
      if (between.length === 0 && labelled.length <= 1) anchor = labelled[0] ?? stack[0]!.line;
      else if (rows.length === 1 && between.length === 1) anchor = rows[0]!;
      else {
        fail(rows.length === 0 ? 'no row is level with it' : 'several rows are level with it');
        continue;
      }
    }
    // the column was full: the pieces are as wide as the widest number printed whole under it
    const from = Math.min(...stack.map((s) => s.frag.x));
    const to = Math.max(...stack.map((s) => s.frag.end));
    const whole = tableAround(lines, anchor, from, to)
      .flatMap(numbersOf)
      .filter((f) => !inStack.has(f) && f.text !== '' && f.x < to && f.end > from && alignedLike(stack, f));
    const widest = Math.max(0, ...whole.map((f) => f.end - f.x));
    const slack = 0.25 * top.size;
    const width = (f: PlacedText) => f.end - f.x;
    const joinedWidth = stack.reduce((n, s) => n + width(s.frag), 0);
    if (stack.slice(0, -1).some((s) => width(s.frag) < widest - slack) || joinedWidth <= widest + slack) {
      fail(`its column prints wider numbers whole`, anchor);
      continue;
    }
    const joined: PlacedText = { text: stack.map((s) => s.frag.text).join(''), x: from, end: to, y: anchor.y, size: top.size };
    stack.forEach(remove);
    const at = anchor.cells.findIndex((c) => c.x > joined.x);
    anchor.cells.splice(at < 0 ? anchor.cells.length : at, 0, joined);
    anchor.firstNumberX = Math.min(anchor.firstNumberX, joined.x);
    anchor.numeric = true;
  }
  return lines.filter((l) => l.cells.length > 0);
}

/**
 * Takes a piece off its line (each piece is in one chain, so it is there to take); a line left
 * with a label alone is a label line (its label joins its row's in layout.ts).
 */
function remove(piece: Piece): void {
  const line = piece.line;
  const i = line.cells.indexOf(piece.frag);
  if (i >= 0) line.cells.splice(i, 1);
  if (line.numeric && numbersOf(line).length === 0) {
    line.numeric = false;
    line.firstNumberX = Number.POSITIVE_INFINITY;
  }
}

/**
 * The lines of the anchor's table in the column from..to: the lines up and down from it until a
 * line with text over the column that is no row (a header, a heading, prose). Another table on
 * the page may have numbers wider than the column under the same x.
 */
export function tableAround(lines: TableLine[], anchor: TableLine, from: number, to: number): TableLine[] {
  const i = lines.indexOf(anchor);
  const over = (l: TableLine) => !l.numeric && l.cells.some((c) => c.x < to && c.end > from);
  let first = i;
  while (first > 0 && !over(lines[first - 1]!)) first--;
  let last = i;
  while (last < lines.length - 1 && !over(lines[last + 1]!)) last++;
  return lines.slice(first, last + 1);
}

/** A number set in the column as the pieces are: flush left, right or centred with all of them. */
function alignedLike(stack: Piece[], f: PlacedText): boolean {
  const tol = Math.max(1, 0.25 * f.size);
  const edges: ((g: PlacedText) => number)[] = [(g) => g.x, (g) => g.end, (g) => (g.x + g.end) / 2];
  return edges.some((edge) => stack.every((s) => Math.abs(edge(s.frag) - edge(f)) <= tol));
}

/**
 * A cell's lines are one line height apart: a link in a chain wider than its narrowest (by a
 * fifth of the font size) goes from one cell to the next row's ("0" of a row, then "115" over
 * "07" of the next row's cell, centred a bit further down).
 */
function splitAtWideGaps(chain: Piece[]): Piece[][] {
  const gaps = chain.slice(1).map((s, i) => chain[i]!.frag.y - s.frag.y);
  const narrowest = Math.min(...gaps);
  const runs: Piece[][] = [[chain[0]!]];
  gaps.forEach((gap, i) => {
    if (gap > narrowest + 0.2 * chain[0]!.frag.size) runs.push([]);
    runs[runs.length - 1]!.push(chain[i + 1]!);
  });
  return runs.filter((run) => run.length > 1);
}

/**
 * A chain of aligned pieces through two rows' lines ("104" of one row, "6" on a line of its own,
 * "0" of the next row) is cut where the gap between two rows' pieces is widest: a cell's lines are
 * a line apart, a row's first line further from the cell above it. Null where the widest gap is
 * not clearly wider than the rest (the pieces between may belong to either row).
 */
function splitAtRows(chain: Piece[], ownLine: (l: TableLine) => boolean): Piece[][] | null {
  const rows = chain.map((s, i) => (ownLine(s.line) ? -1 : i)).filter((i) => i >= 0);
  const cuts: number[] = [];
  for (let k = 1; k < rows.length; k++) {
    const gaps = [];
    for (let m = rows[k - 1]!; m < rows[k]!; m++) gaps.push({ at: m + 1, gap: chain[m]!.frag.y - chain[m + 1]!.frag.y });
    gaps.sort((a, b) => b.gap - a.gap);
    if (gaps.length > 1 && gaps[0]!.gap - gaps[1]!.gap < 0.1 * chain[0]!.frag.size) return null;
    cuts.push(gaps[0]!.at);
  }
  return [0, ...cuts].map((from, i) => chain.slice(from, cuts[i] ?? chain.length));
}

/** pieces of a number at most: a 5-digit number in a column of two digits */
const MAX_PIECES = 3;

/**
 * Whether the pieces may be one cell's lines at all (else they are left as they are, rows of
 * their own): a few pieces, the first no leading zero ("0" over "0" are two rows' zeros), at most
 * one of them on a line with other cells (lines of their own hold fewer numbers than the table
 * has columns: full rows without labels are rows whose labels stand apart).
 */
function isCandidate(stack: Piece[], ownLine: (l: TableLine) => boolean, maxPieces = MAX_PIECES): boolean {
  if (stack.length > maxPieces || /^0\d*$/.test(stack[0]!.frag.text)) return false;
  const own = stack.filter((s) => ownLine(s.line));
  if (own.length === 0 || (maxPieces === MAX_PIECES && stack.length - own.length > 1)) return false;
  // a piece of a cell is never more than MAX_PIECES - 1 lines from its row
  return own.length <= (stack.length - own.length + 1) * (MAX_PIECES - 1);
}

/** The row's label as printed, or its numbers when it has none, to find it by in a warning. */
function rowName(line: TableLine): string {
  const label = line.cells.filter((c) => c.x < line.firstNumberX).map((c) => c.text).join('');
  return `"${label || numbersOf(line).map((c) => c.text || '∅').join(' ')}"`;
}
