/**
 * Which OCR readings to trust. OCR misreads digits ("523" as "23") and its confidence does not
 * say when (correct readings come back with confidence 0), so the consistency rules decide.
 *
 * A reading that a failing rule could be blamed on implies a value: the one that would make the
 * rule hold. A misread cell implies the same value in every rule it breaks (and a count, never a
 * negative one); a cell that two rules would need changed in different ways is not the culprit.
 * The smallest set of such cells whose implied values make every decided rule hold (passing rules
 * included: two cells misread alike can pass a rule together) is the set of misreadings; they
 * become null, never their implied value, and a warning names what OCR read and what the rules
 * point to. When several smallest sets do it, the cells of all of them are nulled if they lie in
 * one rule, else only the cells all of them share (with an ocr-unresolved warning); when none
 * of up to four cells does (or too many suspects to try them all), the readings where two failing
 * rules cross are.
 * Readings no rule decides (table 2 has no rules) are listed when their confidence is low.
 */
import type { CellValue, Count, Table, Warning } from '../domain/report.ts';
import { table3Rules, table4Rules, type Place, type RuleResult } from '../domain/rules.ts';

/** below this confidence an undecided reading is worth a look */
const LOW_CONFIDENCE = 50;
/** the most misreadings looked for together (subsets of suspects are tried up to this size) */
const MAX_MISREADS = 4;
/** sets of suspects tried at most (a badly read table has many suspects; each trial re-checks every rule) */
const MAX_TRIALS = 20_000;

interface Tables {
  table3: Table | null;
  table4: Table | null;
}

const keyOf = (table: string, row: string, col: string): string => `${table}:${row}:${col}`;
const placesOf = (r: RuleResult, side: Place[]): string[] => side.map(([row, col]) => keyOf(r.table, row, col));
const cellsOf = (r: RuleResult): string[] => [...placesOf(r, r.left), ...placesOf(r, r.right)];

function rulesOf(t: Tables): RuleResult[] {
  return [...(t.table3 ? table3Rules(t.table3) : []), ...(t.table4 ? table4Rules(t.table4) : [])];
}

/** The tables with some cells set to other values (the originals are not touched). */
function withValues(t: Tables, values: Map<string, Count>): Tables {
  const copy = (name: 'table3' | 'table4'): Table | null => {
    const table = t[name];
    if (!table) return null;
    const out: Table = Object.fromEntries(Object.entries(table).map(([row, cols]) => [row, { ...cols }]));
    for (const [k, v] of values) {
      const [tn, row, col] = k.split(':') as [string, string, string];
      if (tn === name && out[row]) out[row]![col] = v;
    }
    return out;
  };
  return { table3: copy('table3'), table4: copy('table4') };
}

/** The value a failing rule needs in `key`'s place (all else as read), or null if that is no count. */
function impliedValue(tables: Tables, rule: RuleResult, key: string): number | null {
  const table = tables[rule.table]!;
  const total = (side: Place[]) => side.reduce((n, [row, col]) => n + (table[row]?.[col] ?? 0), 0);
  const residual = total(rule.left) - total(rule.right);
  const [, row, col] = key.split(':') as [string, string, string];
  const current = table[row]?.[col] ?? 0;
  const value = placesOf(rule, rule.left).includes(key) ? current - residual : current + residual;
  return value >= 0 && Number.isInteger(value) ? value : null;
}

function* subsets<T>(items: T[], size: number, start = 0, chosen: T[] = []): Generator<T[]> {
  if (chosen.length === size) {
    yield chosen;
    return;
  }
  for (let i = start; i <= items.length - (size - chosen.length); i++) yield* subsets(items, size, i + 1, [...chosen, items[i]!]);
}

export function distrustOcrReadings(tables: Tables, cells: CellValue[]): Warning[] {
  const ocr = new Map(cells.filter((c) => c.confidence !== undefined && c.value !== null).map((c) => [keyOf(c.table, c.row, c.col), c]));
  if (ocr.size === 0) return [];
  const rules = rulesOf(tables);
  const decided = new Set(rules.filter((r) => r.check.passed !== null).flatMap(cellsOf));
  const failing = rules.filter((r) => r.check.passed === false);

  const blamed = new Map<string, { implied: number; rules: RuleResult[] }>();
  const unresolved: Warning[] = [];
  if (failing.length > 0) {
    // suspects: OCR'd cells of failing rules that imply one value in every rule they break
    const suspects = new Map<string, number>();
    for (const k of new Set(failing.flatMap(cellsOf))) {
      const cell = ocr.get(k);
      if (!cell) continue;
      const values = failing.filter((r) => cellsOf(r).includes(k)).map((r) => impliedValue(tables, r, k));
      if (values.every((v) => v !== null && v === values[0])) suspects.set(k, values[0]!);
    }
    const holds = (set: string[]) =>
      rulesOf(withValues(tables, new Map(set.map((k) => [k, suspects.get(k)!])))).every((r) => r.check.passed !== false);
    let solutions: string[][] = [];
    let tried = 0;
    for (let size = 1; size <= MAX_MISREADS && solutions.length === 0 && tried <= MAX_TRIALS; size++) {
      for (const set of subsets([...suspects.keys()], size)) {
        if (++tried > MAX_TRIALS) break;
        if (holds(set)) solutions.push(set);
      }
      // a search cut short may have missed other solutions of this size: then it found none
      if (tried > MAX_TRIALS) solutions = [];
    }
    const union = new Set(solutions.flat());
    // several explanations: if they all lie in one rule it is that rule's cells that are in doubt;
    // spread over the table they are as likely the report's own arithmetic, and only what every
    // explanation blames is nulled
    const inOneRule = failing.some((r) => [...union].every((k) => cellsOf(r).includes(k)));
    const chosen =
      solutions.length === 0 ? fallback(failing, ocr) : inOneRule ? union : new Set([...union].filter((k) => solutions.every((set) => set.includes(k))));
    for (const k of chosen) {
      blamed.set(k, { implied: solutions.length === 1 ? suspects.get(k)! : NaN, rules: failing.filter((r) => cellsOf(r).includes(k)) });
    }
    if (solutions.length > 1 && !inOneRule) {
      unresolved.push({
        code: 'ocr-unresolved',
        message: `${failing.map((r) => r.check.rule).join(', ')} fail: ${solutions.length} different sets of OCR readings could be wrong, or the report's own figures are; the readings are kept`,
      });
    }
  }

  const warnings: Warning[] = [...unresolved];
  for (const [k, { implied, rules: broken }] of blamed) {
    const cell = ocr.get(k)!;
    const table = tables[cell.table as keyof Tables];
    if (table?.[cell.row]) table[cell.row]![cell.col] = null;
    cell.value = null;
    const points = Number.isNaN(implied) ? 'they do not say which reading is wrong' : `they point to ${implied}`;
    warnings.push({
      code: 'ocr-doubtful',
      message: `${cell.table} ${cell.row}.${cell.col}: OCR read "${cell.raw?.trim()}" (confidence ${cell.confidence}), which breaks ${broken.map((r) => r.check.rule).join(', ')}; ${points}; left blank`,
    });
  }
  for (const [k, cell] of ocr) {
    if (cell.value !== null && !decided.has(k) && cell.confidence! < LOW_CONFIDENCE) {
      warnings.push({ code: 'ocr-unverified', message: `${cell.table} ${cell.row}.${cell.col}: OCR read "${cell.raw?.trim()}" with confidence ${cell.confidence} and no consistency rule can confirm it` });
    }
  }
  return warnings;
}

/**
 * No small set of misreadings explains the failures: several readings are wrong, or the report's
 * own arithmetic is (then no reading makes its rules hold). A misread cell breaks the rules of its
 * row and its column, so the readings where two failing rules cross are the doubtful ones; a rule
 * failing alone is left failing, as a born-digital report's would be.
 */
function fallback(failing: RuleResult[], ocr: Map<string, CellValue>): Set<string> {
  const count = new Map<string, number>();
  for (const k of failing.flatMap(cellsOf)) if (ocr.has(k)) count.set(k, (count.get(k) ?? 0) + 1);
  return new Set([...count].filter(([, n]) => n >= 2).map(([k]) => k));
}
