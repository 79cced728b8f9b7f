/**
 * Glued cells: text where the cells of a row ran together, as page texts saved by other crawlers
 * and copy-paste from report pages print them — `本年新收政府信息公开申请数量152000118` is
 * 15 2 0 0 0 1 18. The digits are split only where the template's consistency rules
 * (src/domain/rules.ts) leave exactly one reading; otherwise the cells stay null and a warning
 * shows the digits. A split never invents a digit: every reading uses all of them, in order.
 *
 * A run is read as written with its spaces dropped: a space may or may not be a cell boundary
 * (stray spaces inside runs are common), so every reading with or without a break there is tried.
 * Cells follow the way numbers are printed: no leading zeros ("0" alone, never "07"), a dash
 * (1–3 of them) is a zero as parseNumber reads it, a minus sign only where a column can be
 * negative (table 2's 本年增/减), a decimal point only in money columns. A cell never crosses a
 * boundary between two cells of the document (a tab, a table cell, a line). A row printed with
 * nearly every boundary but short of cells may have lost one rather than run two together, so it is
 * split only when a column identity checks it. Searches are bounded: past the budget a row is left
 * blank with a warning rather than guessed.
 */
import { table3Rules } from '../../domain/rules.ts';
import type { Count, Table, Warning } from '../../domain/report.ts';
import { DIGITS_GLUED_AMBIGUOUS, DIGITS_GLUED_SPLIT } from '../warnings.ts';

/** What one cell may look like beyond a non-negative integer. */
export interface CellSyntax {
  negative?: boolean;
  decimal?: boolean;
}

/** One way of splitting a run: each cell's characters and value. */
export interface Reading {
  texts: string[];
  values: number[];
}

/** Characters a run may hold once spaces are dropped and every dash is folded to '-'. */
const RUN = /^[\d.-]+$/;
const DASHES = /[‐‑‒–—―−－─━_]/g;
/** A character that may continue a glued run (spaces included: they are dropped). */
const RUN_CHAR = /[\d.\s\u00a0\u3000‐‑‒–—―−－─━-]/;
/** Han characters that end dates and counts in prose ("2023年", "第5", "至12"), not row labels. */
const NOT_LABEL_END = /[年月日号第至约]$/;
const LABEL_END = /(\p{Script=Han}|[)）\]】〕”’"」』])$/u;
const MAX_INT_DIGITS = 12;
const MAX_DECIMALS = 6;
/** Search steps a row's own readings may take, and a table's joint search, before giving up (milliseconds). */
const ROW_BUDGET = 20_000;
const TABLE_BUDGET = 200_000;
/** readings kept per row: past this many, a row is too ambiguous to decide */
const MAX_READINGS = 2_000;

const fold = (raw: string): string => raw.normalize('NFKC').replace(/[\s\u00a0\u3000\u200b\ufeff]+/g, '').replace(DASHES, '-');

/**
 * A run to split: its characters (spaces dropped, dashes folded) and, for each position, the
 * farthest end a cell starting there may have — a cell never crosses a boundary between two cells
 * of the document (a tab, a table cell, a line), only the spaces inside one.
 */
interface Run {
  s: string;
  limit: number[];
}

/**
 * The run of a row's numbers: `segments` are the document's cells in order, each the pieces its
 * text was split into at spaces (which may or may not be cell boundaries). Null when they are no
 * run of numbers.
 */
function toRun(segments: string[][]): Run | null {
  let s = '';
  const cuts: number[] = [];
  for (const segment of segments) {
    const part = fold(segment.join(''));
    if (!RUN.test(part) || !/\d/.test(part)) return null;
    s += part;
    cuts.push(s.length);
  }
  const limit: number[] = [];
  let c = 0;
  for (let i = 0; i < s.length; i++) {
    while (cuts[c]! <= i) c++;
    limit.push(cuts[c]!);
  }
  return { s, limit };
}

/** The part [p, q) of a run, as a run of its own. */
const slice = (run: Run, p: number, q: number): Run => ({ s: run.s.slice(p, q), limit: run.limit.slice(p, q).map((l) => Math.min(l, q) - p) });

/** A cell's text as a run of numbers (digits, dashes, decimal points), or null. */
function runText(raws: string[]): string | null {
  const s = fold(raws.join(''));
  return RUN.test(s) && /\d/.test(s) ? s : null;
}

/** The run as printed, for warnings. */
const shown = (segments: string[][]): string => segments.map((g) => g.map((r) => r.trim()).join(' ')).join(' ');

const DATE = /^\d{4}-\d{1,2}(-\d{1,2})?$/;

/** Whether a cell's whole text is a run of glued numbers ("76-38844", "152000118", "0 00"): not a date, nor a page number between dashes ("— 4 —"). */
export function isGluedRun(text: string): boolean {
  const s = runText([text]);
  return s !== null && !DATE.test(s) && !/^\.|\.$|\.\./.test(s) && !/^-.*-$/.test(s);
}

/**
 * A label with a run of numbers glued to its end ("本年新收政府信息公开申请数量152000118",
 * "行政强制 76-38844"): the label and the run's space-separated pieces, or null. The label must end
 * like a row label (a Han character or a closing bracket), not like a date or a field name ("电话:").
 */
export function splitGluedCell(text: string): string[] | null {
  const t = text.trim();
  let i = t.length;
  while (i > 0 && RUN_CHAR.test(t[i - 1]!)) i--;
  // the run starts at a digit or a dash; a '.' right after the label belongs to it ("1.")
  while (i < t.length && !/[\d‐‑‒–—―−－─━-]/.test(t[i]!)) i++;
  const label = t.slice(0, i).trim();
  const run = t.slice(i).trim();
  if (!label || !run || !LABEL_END.test(label) || NOT_LABEL_END.test(label)) return null;
  const pieces = run.split(/[\s\u00a0\u3000]+/);
  return pieces.every((p) => isGluedRun(p) || /^-{1,3}$/.test(fold(p))) ? [label, ...pieces] : null;
}

interface Budget {
  left: number;
}

class BudgetExceeded extends Error {}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** Every cell that can start at position i of s: its end and value. */
function cellsAt(run: Run, i: number, syntax: CellSyntax): { end: number; value: number }[] {
  const out: { end: number; value: number }[] = [];
  const limit = run.limit[i] ?? i;
  const s = run.s.slice(0, limit);
  // a dash of one to three characters is a zero (as a cell of its own)
  for (let k = i; k < i + 3 && s[k] === '-'; k++) out.push({ end: k + 1, value: 0 });
  let j = i;
  if (syntax.negative && s[j] === '-' && isDigit(s[j + 1])) j++;
  if (!isDigit(s[j])) return out;
  const negative = j > i;
  let last = j + 1;
  if (s[j] !== '0') while (last < s.length && last - j < MAX_INT_DIGITS && isDigit(s[last])) last++;
  for (let e = j + 1; e <= last; e++) {
    if (!(negative && e === j + 1 && s[j] === '0')) out.push({ end: e, value: Number(s.slice(i, e)) });
    if (syntax.decimal && s[e] === '.') {
      for (let f = e + 2; f <= s.length && f - e - 1 <= MAX_DECIMALS && isDigit(s[f - 1]); f++) out.push({ end: f, value: Number(s.slice(i, f)) });
    }
  }
  return out;
}

/**
 * Every reading of s as syntaxes.length cells. With `sum`, only readings whose cells sum to it;
 * with `most`, only those whose cells sum to no more (all cells are then counts, never negative:
 * a partial sum past it ends the branch).
 */
function readings(run: Run, syntaxes: CellSyntax[], budget: Budget, sum?: number, most = sum): Reading[] {
  const s = run.s;
  const out: Reading[] = [];
  const texts: string[] = [];
  const values: number[] = [];
  const n = syntaxes.length;
  const walk = (i: number, k: number, partial: number): void => {
    if (--budget.left < 0 || out.length > MAX_READINGS) throw new BudgetExceeded();
    if (k === n) {
      if (i === s.length && (sum === undefined || Math.abs(partial - sum) < 1e-9)) out.push({ texts: [...texts], values: [...values] });
      return;
    }
    // every cell takes at least one character
    if (s.length - i < n - k) return;
    for (const c of cellsAt(run, i, syntaxes[k]!)) {
      if (most !== undefined && partial + c.value > most + 1e-9) continue;
      texts.push(s.slice(i, c.end));
      values.push(c.value);
      walk(c.end, k + 1, partial + c.value);
      texts.pop();
      values.pop();
    }
  };
  walk(0, 0, 0);
  return out;
}

/**
 * Readings of a row of counts whose last cell is the sum of the others (table 3's six applicant
 * columns and 总计, table 4's four outcomes and 总计): the total is taken first, then the rest split
 * to sum to it.
 */
function summedReadings(run: Run, cells: number, budget: Budget): Reading[] {
  const out: Reading[] = [];
  const s = run.s;
  const count = Array<CellSyntax>(cells - 1).fill({});
  for (let start = cells - 1; start < s.length; start++) {
    const total = cellsAt(run, start, {}).find((c) => c.end === s.length);
    if (!total) continue;
    for (const r of readings(slice(run, 0, start), count, budget, total.value)) {
      out.push({ texts: [...r.texts, s.slice(start)], values: [...r.values, total.value] });
    }
    if (out.length > MAX_READINGS) throw new BudgetExceeded();
  }
  return out;
}

/**
 * Readings of a table-3 row printed with a 小计 column at `at` (the subtotal of the five
 * 法人或其他组织 columns, before or after them): 自然人 + the five = 总计 and the five = 小计.
 * Returned without the 小计 cell, as the standard columns.
 */
function subtotalReadings(run: Run, cells: number, at: number, budget: Budget): Reading[] {
  const out: Reading[] = [];
  const s = run.s;
  const rest = Array<CellSyntax>(cells - 1).fill({});
  for (let start = cells - 1; start < s.length; start++) {
    const total = cellsAt(run, start, {}).find((c) => c.end === s.length);
    if (!total) continue;
    // 自然人 + 小计 + the five is at most twice the total
    for (const r of readings(slice(run, 0, start), rest, budget, undefined, 2 * total.value)) {
      const orgs = r.values.filter((_, k) => k !== 0 && k !== at);
      const five = orgs.reduce((a, b) => a + b, 0);
      if (Math.abs(r.values[at]! - five) > 1e-9 || Math.abs(r.values[0]! + five - total.value) > 1e-9) continue;
      out.push({ texts: [...r.texts.filter((_, k) => k !== at), s.slice(start)], values: [...r.values.filter((_, k) => k !== at), total.value] });
    }
    if (out.length > MAX_READINGS) throw new BudgetExceeded();
  }
  return out;
}

const key = (r: Reading): string => r.texts.join('|');
const listed = (rs: Reading[], max = 3): string =>
  rs.slice(0, max).map((r) => r.values.join(' ')).join('; ') + (rs.length > max ? `; … (${rs.length} in all)` : '');

/** What a glued row became: its cells when one reading was forced, else null (the warning says why). */
export interface GluedRead {
  reading: Reading | null;
  warning: Warning;
  /** no reading of the row satisfies its own identity and the column identities (rather than several, or none checkable) */
  unsolvable?: true;
}

const splitWarning = (where: string, raws: string[][], r: Reading, why: string): GluedRead => ({
  reading: r,
  warning: { code: DIGITS_GLUED_SPLIT, message: `${where}: the digits "${shown(raws)}" ran together; split as ${r.values.join(' ')}, ${why}` },
});
const ambiguousWarning = (where: string, raws: string[][], why: string): GluedRead => ({
  reading: null,
  warning: { code: DIGITS_GLUED_AMBIGUOUS, message: `${where}: the digits "${shown(raws)}" ran together and ${why}; values left blank` },
});

// ---------------------------------------------------------------- table 2

/** A table-2 row whose cells ran together: split only when the digits allow one reading (no arithmetic to choose). */
export function splitTable2Glued(where: string, raws: string[][], syntaxes: CellSyntax[]): GluedRead {
  const run = toRun(raws);
  if (run === null) return ambiguousWarning(where, raws, 'they are not a run of numbers');
  let rs: Reading[];
  try {
    rs = readings(run, syntaxes, { left: ROW_BUDGET });
  } catch {
    return ambiguousWarning(where, raws, `they can be split into ${syntaxes.length} cells in too many ways`);
  }
  if (rs.length === 1) return splitWarning(where, raws, rs[0]!, 'the only way the digits form the row’s cells');
  if (rs.length === 0) return ambiguousWarning(where, raws, `cannot be split into ${syntaxes.length} cells`);
  return ambiguousWarning(where, raws, `can be read ${rs.length} ways (${listed(rs)})`);
}

// ---------------------------------------------------------------- table 4

/**
 * Table 4 when its numbers ran together: 15 cells, three proceedings of 维持/纠正/其他/尚未审结/总计,
 * each 总计 the sum of its four outcomes (rules.ts table4.sum). A proceeding is split when every
 * reading of the whole run that satisfies the rules gives it the same cells.
 */
export function splitTable4Glued(raws: string[][], groups: number, width: number): GluedRead[] {
  const run = toRun(raws);
  const blank = (why: string): GluedRead[] => Array.from({ length: groups }, () => ambiguousWarning('table 4', raws, why));
  if (run === null) return blank('they are not a run of numbers');
  const s = run.s;
  const budget = { left: TABLE_BUDGET };
  // readings of the part [p, q) as one proceeding
  const memo = new Map<string, Reading[]>();
  const between = (p: number, q: number): Reading[] => {
    const k = `${p}:${q}`;
    let rs = memo.get(k);
    if (!rs) memo.set(k, (rs = summedReadings(slice(run, p, q), width, budget)));
    return rs;
  };
  try {
    // forward[g]: where proceeding g can start, reached from the start of the run
    const forward: Set<number>[] = [new Set([0])];
    for (let g = 0; g < groups; g++) {
      const next = new Set<number>();
      for (const p of forward[g]!) for (let q = p + width; q <= s.length; q++) if (between(p, q).length > 0) next.add(q);
      forward.push(next);
    }
    if (!forward[groups]!.has(s.length)) return blank(`no split into ${groups * width} cells satisfies 维持 + 纠正 + 其他 + 尚未审结 = 总计`);
    // backwards: a proceeding's readings are those between a start reached from the run's start
    // and an end from which the rest of the run reads as the proceedings after it
    let ends = new Set([s.length]);
    const out: GluedRead[] = [];
    for (let g = groups - 1; g >= 0; g--) {
      const found = new Map<string, Reading>();
      const starts = new Set<number>();
      for (const p of forward[g]!) {
        for (const q of ends) {
          if (q < p + width) continue;
          const rs = between(p, q);
          if (rs.length > 0) starts.add(p);
          for (const r of rs) found.set(key(r), r);
        }
      }
      const rs = [...found.values()];
      out[g] = rs.length === 1
        ? splitWarning(`table 4 group ${g + 1}`, raws, rs[0]!, 'the only reading that satisfies 维持 + 纠正 + 其他 + 尚未审结 = 总计')
        : ambiguousWarning(`table 4 group ${g + 1}`, raws, `the consistency rules allow ${rs.length} readings of it (${listed(rs)})`);
      ends = starts;
    }
    return out;
  } catch {
    return blank('they can be split in too many ways to check');
  }
}

// ---------------------------------------------------------------- table 3

/** A linear identity between rows, per column: Σ left = Σ right, split into known values and rows to choose. */
interface Equation {
  constant: [number, number];
  terms: [{ row: number; col: number }[], { row: number; col: number }[]];
}

/**
 * Table 3 rows whose cells ran together, solved together: each row's own identity (six applicant
 * columns sum to 总计) gives its candidate readings; the column identities of rules.ts (一 + 二 =
 * （七）总计 + 四, （七）总计 = （一）…（六）) then keep only readings that fit the rest of the table.
 * A row is split when every solution gives it the same reading. `known` holds the rows read
 * without trouble (null cells there leave the identities they are in undecided).
 */
export function solveTable3Glued(glued: Map<string, string[][]>, known: Table, columns: string[], subtotalAt: number | null = null): Map<string, GluedRead> {
  const out = new Map<string, GluedRead>();
  const vars: { code: string; raws: string[][]; readings: Reading[]; tight: boolean }[] = [];
  for (const [code, raws] of glued) {
    const where = `table 3 ${code}`;
    const run = toRun(raws);
    if (run === null) {
      out.set(code, ambiguousWarning(where, raws, 'they are not a run of numbers'));
      continue;
    }
    const cells = subtotalAt === null ? columns.length : columns.length + 1;
    let rs: Reading[];
    try {
      const budget = { left: ROW_BUDGET };
      rs = subtotalAt === null ? summedReadings(run, cells, budget) : subtotalReadings(run, cells, subtotalAt, budget);
    } catch {
      out.set(code, ambiguousWarning(where, raws, `they can be split into ${cells} cells in too many ways`));
      continue;
    }
    // even a row with one reading of its own goes through the column identities: a row that lost
    // a cell can have one reading whose applicant columns sum to its total ("0 0 0 0 0 44")
    if (rs.length === 0) out.set(code, { ...ambiguousWarning(where, raws, `no split into ${cells} cells has the applicant columns sum to the total`), unsolvable: true });
    else vars.push({ code, raws, readings: rs, tight: tight(raws, cells) });
  }
  if (vars.length === 0) return out;

  const table: Table = { ...known };
  for (const code of out.keys()) table[code] = Object.fromEntries(columns.map((c) => [c, null]));
  for (const v of vars) table[v.code] = Object.fromEntries(columns.map((c) => [c, null]));
  const index = new Map(vars.map((v, i) => [v.code, i]));
  const colIndex = new Map(columns.map((c, k) => [c, k]));
  const equations: Equation[] = [];
  for (const rule of table3Rules(table)) {
    if (rule.check.rule.startsWith('table3.applicants.')) continue;
    const eq: Equation = { constant: [0, 0], terms: [[], []] };
    let decided = true;
    for (const k of [0, 1] as const) {
      for (const [row, col] of k === 0 ? rule.left : rule.right) {
        const v = index.get(row);
        const value = table[row]?.[col];
        if (v !== undefined) eq.terms[k].push({ row: v, col: colIndex.get(col)! });
        else if (value === null || value === undefined) decided = false;
        else eq.constant[k] += value;
      }
    }
    if (decided && eq.terms[0].length + eq.terms[1].length > 0) equations.push(eq);
  }

  // rows with the fewest readings first: their identities close sooner
  const order = vars.map((_, i) => i).sort((a, b) => vars[a]!.readings.length - vars[b]!.readings.length);
  const chosen: (Reading | undefined)[] = vars.map(() => undefined);
  const seen = vars.map(() => new Map<string, Reading>());
  // the least and most each row can put in each column, over its readings
  const low = vars.map((v) => columns.map((_, k) => Math.min(...v.readings.map((r) => r.values[k]!))));
  const high = vars.map((v) => columns.map((_, k) => Math.max(...v.readings.map((r) => r.values[k]!))));
  // an identity still holds for some choice of the rows not chosen yet only if its sides' ranges meet
  const fits = (): boolean => {
    for (const eq of equations) {
      const min: [number, number] = [eq.constant[0], eq.constant[1]];
      const max: [number, number] = [eq.constant[0], eq.constant[1]];
      for (const k of [0, 1] as const) {
        for (const t of eq.terms[k]) {
          const r = chosen[t.row];
          min[k] += r ? r.values[t.col]! : low[t.row]![t.col]!;
          max[k] += r ? r.values[t.col]! : high[t.row]![t.col]!;
        }
      }
      if (min[0] > max[1] + 1e-9 || min[1] > max[0] + 1e-9) return false;
    }
    return true;
  };
  let solutions = 0;
  const settled = (): boolean => seen.every((m) => m.size >= 2);
  const budget = { left: TABLE_BUDGET };
  const walk = (at: number): boolean => {
    if (--budget.left < 0) throw new BudgetExceeded();
    if (at === order.length) {
      solutions++;
      vars.forEach((_, i) => seen[i]!.set(key(chosen[i]!), chosen[i]!));
      return settled();
    }
    const v = order[at]!;
    for (const r of vars[v]!.readings) {
      chosen[v] = r;
      if (fits() && walk(at + 1)) return true;
    }
    chosen[v] = undefined;
    return false;
  };
  try {
    walk(0);
  } catch {
    for (const v of vars) out.set(v.code, ambiguousWarning(`table 3 ${v.code}`, v.raws, `it has ${v.readings.length} readings, too many combinations with the other rows to check`));
    return out;
  }
  vars.forEach((v, i) => {
    const where = `table 3 ${v.code}`;
    const rs = [...seen[i]!.values()];
    const checked = equations.some((eq) => eq.terms.some((side) => side.some((t) => t.row === i)));
    if (solutions === 0) out.set(v.code, { ...ambiguousWarning(where, v.raws, `none of its ${v.readings.length} readings (${listed(v.readings)}) fits the column identities`), unsolvable: true });
    else if (rs.length === 1 && !v.tight && !checked) out.set(v.code, ambiguousWarning(where, v.raws, `no column identity can be checked to tell a row that lost a cell from one whose cells ran together (its own identity allows ${listed(rs)})`));
    else if (rs.length === 1) out.set(v.code, splitWarning(where, v.raws, rs[0]!, checked ? 'the only reading that fits the row and column identities' : 'the only reading whose applicant columns sum to the total'));
    else out.set(v.code, ambiguousWarning(where, v.raws, `the consistency rules allow ${settled() ? 'several' : rs.length} readings (${listed(rs)}${settled() ? ', …' : ''})`));
  });
  return out;
}

/** The values of a glued read, as counts for a row of `width` cells. */
export const gluedValues = (r: GluedRead, width: number): Count[] => Array.from({ length: width }, (_, k) => r.reading?.values[k] ?? null);

/**
 * Whether a run was printed in at most half as many pieces as the row has cells: numbers that ran
 * together. A row printed with nearly every boundary ("0 2 0 0 0 46" for seven cells) more likely
 * lost a cell than had two run together, and its own identity cannot tell: 0 2 0 0 0 4 6 sums as
 * well as 44 0 2 0 0 0 46.
 */
const tight = (segments: string[][], cells: number): boolean => segments.flat().length <= cells / 2;

/**
 * Whether a row's numbers could be a glued run of `cells` cells: a run of numbers with a character
 * for every cell, in no more document cells than the row has (cells run together, never apart),
 * and (unless `loose`, for rows the column identities can confirm) in few pieces.
 */
export function couldBeGlued(segments: string[][], cells: number, loose = false): boolean {
  const run = toRun(segments);
  return run !== null && run.s.length >= cells && segments.length <= cells && (loose || tight(segments, cells));
}
