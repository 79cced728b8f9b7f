/**
 * The template's consistency rules (勾稽关系), every one evaluated and reported:
 * - table3.balance.<applicant>: 一 + 二 = （七）总计 + 四 (printed in the table itself)
 * - table3.outcomes.<applicant>: （七）总计 = sum of the outcome rows （一）…（六）
 * - table3.applicants.<row>: the six applicant columns sum to the 总计 column
 * - table4.sum.<group>: 维持 + 纠正 + 其他 + 尚未审结 = 总计, for 复议 and both litigation groups
 * A rule whose cells include a null is not decided: passed is null.
 */
import { APPLICANT_CODES, TABLE4_GROUPS, TABLE4_OUTCOMES, table3OutcomeRows } from './template.ts';
import type { Check, Count, Table } from './report.ts';

const ORG_COLUMNS = APPLICANT_CODES.filter((c) => c !== 'total');

function sum(values: Count[]): Count {
  let s = 0;
  for (const v of values) {
    if (v === null || v === undefined) return null;
    s += v;
  }
  return Math.round(s * 1e6) / 1e6;
}

/** A cell a rule reads: [row, column] of its table. */
export type Place = [row: string, col: string];

/** A rule evaluated, with the cells it read (to tell which readings a failing rule puts in doubt). */
export interface RuleResult {
  check: Check;
  table: 'table3' | 'table4';
  /** the cells summed on each side of the equation */
  left: Place[];
  right: Place[];
}

const value = (t: Table, [row, col]: Place): Count => t[row]?.[col] ?? null;

function equation(table: RuleResult['table'], t: Table, rule: string, left: Place[], right: Place[], detail: string): RuleResult {
  const l = sum(left.map((p) => value(t, p)));
  const r = sum(right.map((p) => value(t, p)));
  if (l === null || r === null) return { table, left, right, check: { rule, passed: null, detail: `${detail}: a needed cell is blank or unreadable` } };
  return { table, left, right, check: { rule, passed: Math.abs(l - r) < 1e-6, detail: `${detail}: ${l} vs ${r}` } };
}

/** The outcome rows the document actually has: 其他处理 as one row (2019) or split in three (2021). */
export function outcomeRows(t3: Table): string[] {
  return table3OutcomeRows(t3['other'] ? '2019' : '2021');
}

export function table3Rules(t3: Table): RuleResult[] {
  const rules: RuleResult[] = [];
  for (const a of APPLICANT_CODES) {
    rules.push(equation('table3', t3, `table3.balance.${a}`, [['new_received', a], ['carried_over', a]], [['total', a], ['carried_forward', a]], '一 + 二 = 三（七）总计 + 四'));
  }
  for (const a of APPLICANT_CODES) {
    rules.push(equation('table3', t3, `table3.outcomes.${a}`, [['total', a]], outcomeRows(t3).map((r): Place => [r, a]), '（七）总计 = （一）…（六）'));
  }
  for (const row of Object.keys(t3)) {
    rules.push(equation('table3', t3, `table3.applicants.${row}`, ORG_COLUMNS.map((a): Place => [row, a]), [[row, 'total']], '自然人 + 法人或其他组织 = 总计'));
  }
  return rules;
}

export function table4Rules(t4: Table): RuleResult[] {
  return TABLE4_GROUPS.map((g) =>
    equation(
      'table4',
      t4,
      `table4.sum.${g.code}`,
      TABLE4_OUTCOMES.filter((o) => o.code !== 'total').map((o): Place => [g.code, o.code]),
      [[g.code, 'total']],
      `${g.label}: 维持 + 纠正 + 其他 + 尚未审结 = 总计`,
    ),
  );
}

export const table3Checks = (t3: Table): Check[] => table3Rules(t3).map((r) => r.check);
export const table4Checks = (t4: Table): Check[] => table4Rules(t4).map((r) => r.check);
