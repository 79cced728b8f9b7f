/**
 * Cross-year check: a report's 二、上年结转政府信息公开申请数量 (table 3 row `carried_over`) must
 * equal the same agency's previous-year 四、结转下年度继续办理 (`carried_forward`), column by
 * column. Only current versions are compared. The results replace the `cross_year_checks` table:
 * they depend on every report of an agency, so they are recomputed whole after each load.
 */
import type Database from 'better-sqlite3';

export interface CrossYearMismatch {
  reportId: number;
  previousReportId: number;
  agency: string;
  year: number;
  applicant: string;
  carriedOver: number;
  previousCarriedForward: number;
}

export interface CrossYearResult {
  /** pairs of (report, applicant column) compared */
  compared: number;
  mismatches: CrossYearMismatch[];
}

interface PairRow {
  reportId: number;
  previousReportId: number;
  agency: string;
  year: number;
  applicant: string;
  carriedOver: number | null;
  previousCarriedForward: number | null;
}

// every applicant column either report printed; a column only one of them has compares with NULL
const PAIRS = `
WITH cur AS (
  SELECT r.id, r.agency_id, r.year, a.name AS agency FROM reports r JOIN agencies a ON a.id = r.agency_id
  WHERE r.is_current = 1 AND r.ok = 1 AND r.year IS NOT NULL
), pairs AS (
  SELECT c.id AS report_id, p.id AS previous_report_id, c.agency, c.year
  FROM cur c JOIN cur p ON p.agency_id = c.agency_id AND p.year = c.year - 1
), cols AS (
  SELECT pr.report_id, pr.previous_report_id, t.applicant_code FROM pairs pr JOIN table3_cells t ON t.report_id = pr.report_id AND t.row_code = 'carried_over'
  UNION
  SELECT pr.report_id, pr.previous_report_id, t.applicant_code FROM pairs pr JOIN table3_cells t ON t.report_id = pr.previous_report_id AND t.row_code = 'carried_forward'
)
SELECT cols.report_id AS reportId, cols.previous_report_id AS previousReportId, pr.agency, pr.year, cols.applicant_code AS applicant,
  (SELECT value FROM table3_cells WHERE report_id = cols.report_id AND row_code = 'carried_over' AND applicant_code = cols.applicant_code) AS carriedOver,
  (SELECT value FROM table3_cells WHERE report_id = cols.previous_report_id AND row_code = 'carried_forward' AND applicant_code = cols.applicant_code) AS previousCarriedForward
FROM cols JOIN pairs pr ON pr.report_id = cols.report_id
ORDER BY pr.agency, pr.year, cols.applicant_code`;

/** Recomputes `cross_year_checks` in one transaction and returns the mismatches. */
export function runCrossYearChecks(db: Database.Database): CrossYearResult {
  return db.transaction((): CrossYearResult => {
    const rows = db.prepare(PAIRS).all() as PairRow[];
    db.prepare('DELETE FROM cross_year_checks').run();
    const insert = db.prepare(
      'INSERT INTO cross_year_checks (report_id, previous_report_id, applicant_code, carried_over, previous_carried_forward, passed) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const mismatches: CrossYearMismatch[] = [];
    for (const r of rows) {
      const decided = r.carriedOver !== null && r.previousCarriedForward !== null;
      const passed = decided ? r.carriedOver === r.previousCarriedForward : null;
      insert.run(r.reportId, r.previousReportId, r.applicant, r.carriedOver, r.previousCarriedForward, passed === null ? null : passed ? 1 : 0);
      if (passed === false) mismatches.push({ ...r, carriedOver: r.carriedOver as number, previousCarriedForward: r.previousCarriedForward as number });
    }
    return { compared: rows.length, mismatches };
  })();
}
