/**
 * Generated reports for benchmarks and tests: deterministic pseudo-random values that satisfy
 * every consistency rule of the template, so an extractor's output can be compared cell by cell.
 */
import { APPLICANT_CODES, TABLE2, TABLE4_GROUPS, TABLE4_OUTCOMES, table3OutcomeRows, table3Rows, type TemplateVersion } from '../../src/domain/template.ts';
import type { ReportValues } from './report-html.ts';

/** Deterministic pseudo-random numbers (mulberry32), so every run measures the same documents. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A report whose tables satisfy every consistency rule. */
export function generateReport(seed: number, template?: TemplateVersion): ReportValues {
  const r = rng(seed);
  const int = (max: number) => Math.floor(r() * max);
  const version: TemplateVersion = template ?? (r() < 0.5 ? '2019' : '2021');
  const table2: ReportValues['table2'] = {};
  for (const row of TABLE2[version]) {
    table2[row.code] = Object.fromEntries(row.columns.map((c) => [c.code, c.code === 'change' ? int(200) - 100 : c.unit === '10k_yuan' ? int(900000) / 100 : int(5000)]));
  }
  const rows = table3Rows(version).map((x) => x.code);
  const outcomes = table3OutcomeRows(version);
  const table3: Record<string, Record<string, number>> = Object.fromEntries(rows.map((c) => [c, {}]));
  for (const a of APPLICANT_CODES.filter((x) => x !== 'total')) {
    let total = 0;
    for (const o of outcomes) {
      const v = r() < 0.6 ? 0 : int(a === 'natural_person' ? 80 : 5);
      table3[o]![a] = v;
      total += v;
    }
    const forward = int(4);
    const over = int(Math.min(4, total + forward + 1));
    table3['total']![a] = total;
    table3['carried_forward']![a] = forward;
    table3['carried_over']![a] = over;
    table3['new_received']![a] = total + forward - over;
  }
  for (const c of rows) table3[c]!['total'] = APPLICANT_CODES.filter((x) => x !== 'total').reduce((s, a) => s + table3[c]![a]!, 0);
  const table4: Record<string, Record<string, number>> = {};
  for (const g of TABLE4_GROUPS) {
    const v = TABLE4_OUTCOMES.slice(0, 4).map(() => int(6));
    table4[g.code] = { upheld: v[0]!, corrected: v[1]!, other: v[2]!, pending: v[3]!, total: v[0]! + v[1]! + v[2]! + v[3]! };
  }
  return { agency: `某县第${seed}局`, year: version === '2019' ? 2019 + int(2) : 2021 + int(4), template: version, table2, table3, table4 };
}
