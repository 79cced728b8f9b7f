/**
 * Labels and numbers printed apart. PDF-to-markdown and PDF-to-text converters often print a
 * table's row labels as loose lines and then its numbers as unlabelled rows
 * (`| 12 | 0 | 1 | 0 | 0 | 0 | 13 |`) in the same order, sometimes page by page, with page footers,
 * shredded headers, placeholder headers (`数据1 … 数据7`) and group labels as an extra leading cell
 * among them. Here the number rows are matched to the labels by order and count: each stretch of
 * labels followed by rows of numbers pairs them one to one when the counts agree; when they do
 * not, every order-keeping pairing is tried and the table's consistency rules reject the wrong
 * ones. A label whose numbers are not the same in every pairing left standing stays blank, with a
 * `row-unplaced` warning naming it: numbers are only ever placed, never guessed.
 *
 * The matcher works on the logical rows (tokens.ts) of the table's region and gives them back with
 * each placed label moved next to its numbers, so that the table reader reads them as usual.
 */
import type { Warning } from '../../domain/report.ts';
import { normLabel, startsNumberedLabel } from '../normalize.ts';
import { couldBeGlued } from './glued.ts';
import { cellSegments, isGluedRunToken, logicalRows, type LogicalRow, type Token } from './tokens.ts';

/**
 * How a table's labels and rows are told apart. Every property is set, `undefined` where a table
 * has none: both tables' specs then have one shape, which keeps the matcher's compiled code from
 * being thrown away each time the other table's spec comes in.
 */
export interface OrderSpec {
  /** 'table 3', for messages */
  table: string;
  /** cells in one row of numbers, when every row has as many (a row broken over two lines is joined) */
  width: number | undefined;
  /**
   * Whether row labels are numbered (一、 （一） 1.): then a label runs on over lines until the next
   * numbered one starts, and a numbered label naming no row still takes a row of numbers. Labels
   * that are not numbered (规章, 行政许可) are one line each and only those naming a row count.
   */
  numbered: boolean;
  /** fewest numbers on a line that makes it a row of numbers (1 where rows hold a single number) */
  minNumbers: number;
  /** the template's row codes in order */
  order: readonly string[];
  /** the first logical row of the table's region */
  starts(row: LogicalRow): boolean;
  /** a label that ends the region (the next section or table) */
  stops(label: string): boolean;
  /** the row code a label names; `previous` is the code named before it */
  codeOf(label: string, previous: string | undefined): string | undefined;
  /** a header piece (column names, placeholder headers, the note on the table's arithmetic) */
  isHeader(cell: string): boolean;
  /**
   * A group label over rows (（三）不予公开), not a row of its own; `code` is what it names, if
   * anything, and `named` every code the table's labels name (（六）其他处理 is a row of the 2019
   * template and a group label over three rows in the 2021 one).
   */
  isGroup(label: string, code: string | undefined, named: ReadonlySet<string>): boolean;
  /**
   * judges a placement of rows of numbers on codes: false = a consistency rule fails, null = cannot
   * tell; a table with no rules to judge by has none (every pairing stands)
   */
  accept: ((placed: ReadonlyMap<string, Token[]>) => boolean | null) | undefined;
  /** whether a row of numbers can be a code's row at all (its count of numbers), when that can be told */
  fits: ((code: string, tokens: Token[]) => boolean) | undefined;
  /** the printed label of a code, for messages */
  labelOf(code: string): string;
  /**
   * Whether the table reads the placement only when every loose label and row of numbers is
   * placed: then a table that must leave one out (a stretch with more labels than rows, or more
   * rows than labels) is not worked out, and null is returned.
   */
  wholeOnly: boolean;
}

export interface OrderedRows {
  rows: LogicalRow[];
  /** index of the table's first row in `rows` */
  start: number;
  warnings: Warning[];
  /** codes whose label is printed but whose numbers could not be placed in exactly one way */
  unplaced: Set<string>;
}

/**
 * A loose label: its pieces (a label wrapped over lines has several), whether it is a row's label
 * (numbered, not a group label) and the code it names: a row label that names none (misprinted)
 * still takes its row of numbers.
 */
interface Item {
  text: string;
  pieces: Token[];
  slot?: boolean;
  code?: string;
}

/** A line of numbers with no label of its own (a group label printed in front of it is kept). */
interface NumberRow {
  tokens: Token[];
  count: number;
}

/** A document line of the region. */
type Line =
  | { kind: 'labels'; pieces: { token: Token; item?: Item }[]; rest: Token[]; attached?: boolean }
  | { kind: 'numbers'; tokens: Token[]; row?: NumberRow };

/** Loose labels followed by the rows of numbers printed for them. */
interface Stretch {
  slots: Item[];
  rows: NumberRow[];
}

/** Most pairings tried for one table before the stretches whose counts disagree are given up. */
const MAX_PAIRINGS = 5000;
/** Largest difference between labels and rows of numbers in one stretch that is still matched. */
const MAX_SURPLUS = 3;

const numbersIn = (tokens: Token[]): number => tokens.filter((t) => t.kind === 'value').length;
/**
 * Whether a line's numbers ran together (glued.ts): a run with dashes ("76-38844"), or in a table
 * whose rows have `width` cells, few pieces with a digit for every cell ("841000186"). Such a line
 * is a whole row of numbers, never a lone page number nor part of a broken row; the table reader
 * splits it once it is placed.
 */
function holdsGluedRun(tokens: Token[], width: number | undefined): boolean {
  const values = tokens.filter((t) => t.kind === 'value');
  if (values.some(isGluedRunToken)) return true;
  return width !== undefined && values.length > 0 && values.length < width && couldBeGlued(cellSegments(values), width);
}
const rawOf = (tokens: Token[]): string => tokens.filter((t) => t.kind !== 'label').map((t) => t.raw.trim() || '∅').join(' ');

/** Splits a label where a numbered label starts inside it ("4.保护第三方合法权益5.属于三类…"). */
function labelParts(text: string): string[] {
  return text
    .split(/(?=(?<![\d.])\d{1,2}[.、．](?!\d))|(?=[（(](?:[一二三四五六七八九十]{1,3}|\d{1,2})[)）])|(?=(?<![一二三四五六七八九十])[一二三四五六七八九十]{1,3}、)/)
    .filter((p) => p.trim() !== '');
}

/** A label's own start: 一、 （一） 1. as the template numbers them, or (1) as some documents do. */
const startsLabel = (text: string): boolean => startsNumberedLabel(text) || /^\s*[（(]\d{1,2}[)）]/.test(text);

/** Every way to choose `k` of `n` positions, in order. */
function choose(n: number, k: number): number[][] {
  const out: number[][] = [];
  const pick = (start: number, acc: number[]): void => {
    if (acc.length === k) {
      out.push(acc.slice());
      return;
    }
    for (let i = start; i <= n - (k - acc.length); i++) {
      acc.push(i);
      pick(i + 1, acc);
      acc.pop();
    }
  };
  pick(0, []);
  return out;
}

/** The order-keeping pairings of a stretch: for each slot, the index of its row of numbers or -1. */
function pairings(stretch: Stretch): number[][] {
  const m = stretch.slots.length;
  const n = stretch.rows.length;
  if (m === n) return [stretch.slots.map((_, i) => i)];
  if (Math.abs(m - n) > MAX_SURPLUS) return [];
  if (n < m) {
    return choose(m, n).map((withRow) => {
      const out = Array<number>(m).fill(-1);
      withRow.forEach((s, r) => (out[s] = r));
      return out;
    });
  }
  return choose(n, m);
}

/**
 * The document lines of the region, and the loose labels they print; null when no line of numbers
 * follows a loose label (then no stretch pairs a label with a row of numbers: not this layout).
 */
function readLines(tokens: Token[], spec: OrderSpec): { lines: Line[]; named: Set<string> } | null {
  const grouped: Token[][] = [];
  for (const t of tokens) {
    const last = grouped[grouped.length - 1];
    if (last && last[0]!.row === t.row) last.push(t);
    else grouped.push([t]);
  }
  // which lines are rows of numbers; a loose label is any label on another line that is not a
  // header piece: the layout needs a row of numbers after one (checked before any label is read)
  const isNumbers = grouped.map((tokens) => numbersIn(tokens) >= spec.minNumbers || holdsGluedRun(tokens, spec.width));
  let looseLabel = false;
  let numbersAfterLabel = false;
  for (let i = 0; i < grouped.length && !numbersAfterLabel; i++) {
    if (isNumbers[i]) numbersAfterLabel = looseLabel;
    else looseLabel ||= grouped[i]!.some((t) => t.kind === 'label' && !spec.isHeader(t.norm));
  }
  if (!numbersAfterLabel) return null;
  const lines: Line[] = [];
  const items: Item[] = [];
  let pending: Item | null = null;
  for (const [i, tokens] of grouped.entries()) {
    if (isNumbers[i]) {
      pending = null;
      lines.push({ kind: 'numbers', tokens });
      continue;
    }
    const pieces: { token: Token; item?: Item }[] = [];
    for (const cell of tokens) {
      if (cell.kind !== 'label') continue;
      if (spec.isHeader(cell.norm)) {
        pieces.push({ token: cell });
        continue;
      }
      // full-width numbering (１．) read as ASCII
      for (const part of spec.numbered ? labelParts(cell.raw.normalize('NFKC')) : [cell.raw]) {
        const token: Token = { ...cell, raw: part, norm: normLabel(part) };
        if (pending && spec.numbered && !startsLabel(part)) {
          // the rest of a label wrapped onto the next line
          pending.text += token.norm;
          pending.pieces.push(token);
        } else {
          pending = { text: token.norm, pieces: [token] };
          items.push(pending);
        }
        pieces.push({ token, item: pending });
      }
    }
    lines.push({ kind: 'labels', pieces, rest: tokens.filter((t) => t.kind !== 'label') });
  }
  // the codes the labels name, in the template's order; a label naming an earlier row or one named
  // before is not a row label here
  let previous: string | undefined;
  let rank = -1;
  for (const item of items) {
    if (spec.numbered && !startsLabel(item.pieces[0]!.raw)) continue;
    const code = spec.codeOf(item.text, previous);
    // numbered labels before the table's first row are headings (三、收到和处理政府信息公开申请情况)
    if (!code && (rank < 0 || !spec.numbered)) continue;
    item.slot = true;
    const at = code ? spec.order.indexOf(code) : -1;
    if (!code || at <= rank) continue;
    item.code = code;
    previous = code;
    rank = at;
  }
  const named = new Set(items.flatMap((i) => (i.code ? [i.code] : [])));
  for (const item of items) {
    if (!item.slot || !spec.isGroup(item.text, item.code, named)) continue;
    delete item.slot;
    delete item.code;
  }
  return { lines, named };
}

/**
 * The logical rows with each loose label of the table paired to its row of numbers, or null when
 * the table has no labels printed apart from their numbers (every other layout is left as it is).
 */
export function placeByOrder(rows: LogicalRow[], spec: OrderSpec): OrderedRows | null {
  const from = rows.findIndex((r) => spec.starts(r));
  // a real grid keeps each label with its numbers (the region below starts with this row)
  if (from < 0 || rows[from]!.exact) return null;
  let to = from + 1;
  while (to < rows.length && !spec.stops(rows[to]!.labels[0]?.norm ?? '')) to++;
  const region = rows.slice(from, to);
  // a real grid keeps each label with its numbers
  if (region.some((r) => r.exact)) return null;
  const read = readLines(region.flatMap((r) => [...r.labels, ...r.values]), spec);
  if (!read) return null;
  const { lines, named } = read;

  // stretches: loose labels, then the rows of numbers after them
  const stretches: Stretch[] = [];
  let current: Stretch = { slots: [], rows: [] };
  const close = (): void => {
    if (current.slots.length > 0 || current.rows.length > 0) stretches.push(current);
    current = { slots: [], rows: [] };
  };
  let lastRow: NumberRow | undefined;
  let previous: string | undefined;
  const labelled = new Set<string>();
  for (const line of lines) {
    if (line.kind === 'labels') {
      for (const { token, item } of line.pieces) {
        if (!item?.slot || item.pieces[0] !== token) continue;
        if (current.rows.length > 0) close();
        current.slots.push(item);
        previous = item.code ?? previous;
      }
      // a lone number (a page number, or the last cell of a broken row) stays with the row before
      if (line.pieces.length === 0 && lastRow && numbersIn(line.rest) > 0) {
        lastRow.tokens.push(...line.rest);
        line.attached = true;
      } else if (line.pieces.length > 0) lastRow = undefined;
      continue;
    }
    const lead = line.tokens.filter((t) => t.kind === 'label').map((t) => t.norm).join('');
    const code = lead ? spec.codeOf(lead, previous) : undefined;
    if (code && !spec.isGroup(lead, code, named)) {
      // a row printed with its label: read as printed
      labelled.add(code);
      previous = code;
      close();
      lastRow = undefined;
      continue;
    }
    const count = numbersIn(line.tokens);
    const last = current.rows[current.rows.length - 1];
    // (a row whose numbers ran together is short of cells, not broken: it is never joined)
    const glued = holdsGluedRun(line.tokens, spec.width) || (last !== undefined && holdsGluedRun(last.tokens, spec.width));
    if (spec.width && last && last === lastRow && last.count < spec.width && last.count + count <= spec.width && !lead && !glued) {
      // a row broken over two lines: the second part completes it
      last.tokens.push(...line.tokens);
      last.count += count;
      line.row = last;
    } else {
      line.row = { tokens: [...line.tokens], count };
      current.rows.push(line.row);
    }
    lastRow = line.row;
  }
  close();
  // a loose label whose row is also printed with it is read there
  for (const s of stretches) s.slots = s.slots.filter((slot) => !slot.code || !labelled.has(slot.code));

  // only loose labels over several rows of numbers are this layout; one label over one row is read as printed
  if (!stretches.some((s) => s.slots.length > 0 && s.rows.length > 0 && (s.slots.length > 1 || s.rows.length > 1))) return null;
  // each pairing places at most as many rows as the stretch has labels, and the other way round
  if (spec.wholeOnly && stretches.some((s) => s.slots.length > 0 && s.slots.length !== s.rows.length)) return null;

  const warnings: Warning[] = [];
  const unplaced = new Set<string>();
  const placedRows = new Map<NumberRow, Item>();
  // stretches whose counts agree pair in order; the others every way the consistency rules allow
  const fixed = new Map<string, Token[]>();
  const open: { stretch: Stretch; options: number[][] }[] = [];
  for (const s of stretches) {
    if (s.slots.length === 0) continue;
    const options = pairings(s).filter((p) => !spec.fits || p.every((r, i) => r < 0 || !s.slots[i]!.code || spec.fits!(s.slots[i]!.code!, s.rows[r]!.tokens)));
    if (options.length === 1) {
      options[0]!.forEach((r, i) => {
        if (r < 0) return;
        if (s.slots[i]!.code) fixed.set(s.slots[i]!.code!, s.rows[r]!.tokens);
        placedRows.set(s.rows[r]!, s.slots[i]!);
      });
    } else open.push({ stretch: s, options });
  }
  const combos = open.reduce((n, o) => n * o.options.length, 1);
  const judged = open.length > 0 && combos > 0 && combos <= MAX_PAIRINGS;
  // for each open stretch, the pairings of it that some accepted choice takes
  const standing: number[][][] = open.map(() => []);
  let acceptedCount = 0;
  if (judged && !spec.accept) {
    // no rules to judge by: every choice stands, and each stretch keeps all its pairings
    open.forEach((o, k) => (standing[k] = o.options));
    acceptedCount = combos;
  } else if (judged) {
    for (let c = 0; c < combos; c++) {
      let rest = c;
      const choice = open.map((o) => {
        const k = rest % o.options.length;
        rest = Math.floor(rest / o.options.length);
        return o.options[k]!;
      });
      const placed = new Map(fixed);
      open.forEach((o, k) =>
        choice[k]!.forEach((r, i) => {
          const code = o.stretch.slots[i]!.code;
          if (r >= 0 && code) placed.set(code, o.stretch.rows[r]!.tokens);
        }),
      );
      if (spec.accept!(placed) === false) continue;
      acceptedCount++;
      choice.forEach((option, k) => standing[k]!.push(option));
    }
  }
  // a label is placed when every pairing left standing gives it the same numbers (the first
  // accepted choice names the row)
  const usable = new Set<NumberRow>();
  const raws = new Map<NumberRow, string>();
  const rawOfRow = (row: NumberRow): string => {
    let raw = raws.get(row);
    if (raw === undefined) raws.set(row, (raw = rawOf(row.tokens)));
    return raw;
  };
  open.forEach((o, k) => {
    const { slots, rows: numberRows } = o.stretch;
    const options = standing[k]!;
    for (const option of options) for (const r of option) if (r >= 0) usable.add(numberRows[r]!);
    if (options.length === 0) return;
    const textOf = (r: number): string => (r < 0 ? '' : rawOfRow(numberRows[r]!));
    slots.forEach((slot, i) => {
      const first = options[0]![i]!;
      if (first < 0) return;
      const text = textOf(first);
      if (options.every((option) => textOf(option[i]!) === text)) placedRows.set(numberRows[first]!, slot);
    });
  });
  const placedItems = new Set(placedRows.values());
  for (const s of stretches) {
    for (const slot of s.slots) {
      if (placedItems.has(slot)) continue;
      if (slot.code) unplaced.add(slot.code);
      const printed = slot.pieces.map((t) => t.raw.trim()).join('');
      warnings.push({
        code: 'row-unplaced',
        message: `${spec.table} ${slot.code ? `row ${slot.code} (${spec.labelOf(slot.code)})` : `row "${printed}"`}: its label is printed apart from its numbers, ${s.rows.length} rows of numbers for ${s.slots.length} labels, and its row cannot be placed in exactly one way; its values are blank`,
      });
    }
  }
  // rows of numbers that no label takes are left out, and said so
  const dropped = new Set<NumberRow>();
  for (const s of stretches) {
    if (s.slots.length === 0) continue;
    for (const r of s.rows) {
      if (placedRows.has(r)) continue;
      dropped.add(r);
      const why = usable.has(r) || acceptedCount === 0
        ? 'matches no label in exactly one way'
        : 'is taken by no label in any pairing the consistency rules allow (a subtotal?)';
      warnings.push({ code: 'row-unplaced', message: `${spec.table}: the row of numbers "${rawOf(r.tokens)}", printed apart from the labels, ${why}; left out` });
    }
  }
  warnings.unshift({ code: 'rows-by-order', message: `${spec.table} prints its row labels apart from its numbers: ${placedRows.size} rows of numbers matched to their labels by order and count` });

  // the region again, each placed label moved to its numbers (after a group label they start
  // with); labels left unplaced and rows that no label takes are left out
  const slotted = new Set(stretches.flatMap((s) => s.slots));
  const out: Token[] = [];
  const written = new Set<NumberRow>();
  // header pieces between the rows (placeholder headers, a repeated header) would run into the next
  // numbered label ("数据7" + "3.其他" reads "73.其他")
  let inRows = false;
  for (const line of lines) {
    if (line.kind === 'labels') {
      for (const { token, item } of line.pieces) {
        if (item ? !slotted.has(item) : !inRows || !spec.numbered) out.push(token);
      }
      // the empty cells beside a label are layout, not blanks of a row
      if (!line.attached) out.push(...line.rest.filter((t) => t.kind !== 'blank'));
      continue;
    }
    const row = line.row;
    if (!row) {
      out.push(...line.tokens);
      continue;
    }
    if (written.has(row)) continue;
    written.add(row);
    inRows = true;
    const lead = row.tokens.filter((t) => t.kind === 'label');
    if (dropped.has(row)) {
      out.push(...lead);
      continue;
    }
    out.push(...lead, ...(placedRows.get(row)?.pieces ?? []), ...row.tokens.filter((t) => t.kind !== 'label'));
  }
  const at = rows[from]!.at;
  const rebuilt = logicalRows(out).map((r) => ({ ...r, at: r.at + at }));
  return { rows: [...rows.slice(0, from), ...rebuilt, ...rows.slice(to)], start: from, warnings, unplaced };
}
