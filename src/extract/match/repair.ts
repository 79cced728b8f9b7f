/**
 * Misaligned rows: converters sometimes emit a spurious extra cell (a merge artefact) into a row.
 * We try every way of dropping the surplus cells and keep a reading only when it is the single
 * distinct reading that the consistency rules accept. Values are only ever chosen, never made up.
 */
import type { Token } from './tokens.ts';

/** Every way to choose `keep` of `n` positions, in order (bounded: surplus ≤ 2). */
function combinations(n: number, keep: number): number[][] {
  const out: number[][] = [];
  const pick = (start: number, acc: number[]): void => {
    if (acc.length === keep) {
      out.push(acc.slice());
      return;
    }
    for (let i = start; i <= n - (keep - acc.length); i++) {
      acc.push(i);
      pick(i + 1, acc);
      acc.pop();
    }
  };
  pick(0, []);
  return out;
}

export interface Reading {
  tokens: Token[];
  values: (number | null)[];
  dropped: Token[];
}

/**
 * Readings of `tokens` with `expected` cells that `accept` does not reject
 * (accept returns true = passes, false = fails, null = cannot tell).
 * Returns the unique reading by values, or null when none or several remain.
 */
export function uniqueReading(
  tokens: Token[],
  expected: number,
  accept: (values: (number | null)[]) => boolean | null,
): Reading | null {
  const surplus = tokens.length - expected;
  if (surplus <= 0 || surplus > 2) return null;
  const passing = new Map<string, Reading>();
  for (const keep of combinations(tokens.length, expected)) {
    const kept = keep.map((i) => tokens[i]!);
    const values = kept.map((t) => t.num?.value ?? null);
    if (accept(values) !== true) continue;
    const dropped = tokens.filter((_, i) => !keep.includes(i));
    passing.set(JSON.stringify(values), { tokens: kept, values, dropped });
  }
  return passing.size === 1 ? [...passing.values()][0]! : null;
}
