/**
 * The template's consistency rules (勾稽关系), every one evaluated and reported:
 * - table3.balance.<applicant>: 一 + 二 = （七）总计 + 四 (printed in the table itself)
 * - table3.outcomes.<applicant>: （七）总计 = sum of the outcome rows （一）…（六）
 * - table3.applicants.<row>: the six applicant columns sum to the 总计 column
 * - table4.sum.<group>: 维持 + 纠正 + 其他 + 尚未审结 = 总计, for 复议 and both litigation groups
 * A rule whose cells include a null is not decided: passed is null.
 */
import { APPLICANT_CODES, TABLE4_GROUPS, TABLE4_OUTCOMES } from '../extract/template.ts';
import type { Check, Count, Table } from '../extract/types.ts';

const ORG_COLUMNS = APPLICANT_CODES.filter((c) => c !== 'total');
const OUTCOME_FIXED = [
  'granted', 'partially_granted',
  'withheld.state_secret', 'withheld.prohibited_by_law', 'withheld.security_stability', 'withheld.third_party_rights',
  'withheld.internal_affairs', 'withheld.process_information', 'withheld.enforcement_files', 'withheld.inquiry_matters',
  'unavailable.not_held', 'unavailable.needs_creation', 'unavailable.unclear_after_correction',
  'not_processed.petition_complaint', 'not_processed.duplicate', 'not_processed.publication',
  'not_processed.excessive_repeated', 'not_processed.confirm_or_reissue',
];
const OTHER_SPLIT = ['other.overdue_correction', 'other.unpaid_fee', 'other.other'];

function sum(values: Count[]): Count {
  let s = 0;
  for (const v of values) {
    if (v === null || v === undefined) return null;
    s += v;
  }
  return Math.round(s * 1e6) / 1e6;
}

function equation(rule: string, left: Count[], right: Count[], detail: string): Check {
  const l = sum(left);
  const r = sum(right);
  if (l === null || r === null) return { rule, passed: null, detail: `${detail}: a needed cell is blank or unreadable` };
  return { rule, passed: Math.abs(l - r) < 1e-6, detail: `${detail}: ${l} vs ${r}` };
}

/** The outcome rows the document actually has: 其他处理 as one row or split in three. */
export function outcomeRows(t3: Table): string[] {
  return [...OUTCOME_FIXED, ...(t3['other'] ? ['other'] : OTHER_SPLIT)];
}

const cell = (t: Table, row: string, col: string): Count => t[row]?.[col] ?? null;

export function table3Checks(t3: Table): Check[] {
  const checks: Check[] = [];
  for (const a of APPLICANT_CODES) {
    checks.push(
      equation(
        `table3.balance.${a}`,
        [cell(t3, 'new_received', a), cell(t3, 'carried_over', a)],
        [cell(t3, 'total', a), cell(t3, 'carried_forward', a)],
        '一 + 二 = 三（七）总计 + 四',
      ),
    );
  }
  for (const a of APPLICANT_CODES) {
    checks.push(
      equation(`table3.outcomes.${a}`, [cell(t3, 'total', a)], outcomeRows(t3).map((r) => cell(t3, r, a)), '（七）总计 = （一）…（六）'),
    );
  }
  for (const row of Object.keys(t3)) {
    checks.push(
      equation(`table3.applicants.${row}`, ORG_COLUMNS.map((a) => cell(t3, row, a)), [cell(t3, row, 'total')], '自然人 + 法人或其他组织 = 总计'),
    );
  }
  return checks;
}

export function table4Checks(t4: Table): Check[] {
  return TABLE4_GROUPS.map((g) =>
    equation(
      `table4.sum.${g.code}`,
      TABLE4_OUTCOMES.filter((o) => o.code !== 'total').map((o) => cell(t4, g.code, o.code)),
      [cell(t4, g.code, 'total')],
      `${g.label}: 维持 + 纠正 + 其他 + 尚未审结 = 总计`,
    ),
  );
}
