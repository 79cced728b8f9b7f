/**
 * Compares a crawled database with what the replica portals publish: every expected report must
 * be there, from its source URL, with every table value equal to the replica's. Used by the demo
 * and by the end-to-end tests, so "the crawl works" means "the numbers arrived intact".
 */
import type Database from 'better-sqlite3';
import type { ExpectedReport } from './replicas.ts';

export interface ReportCheck {
  url: string;
  title: string;
  found: boolean;
  /** cells compared / cells equal */
  cells: number;
  equal: number;
  mismatches: string[];
  checksPassed: number;
  checksFailed: number;
}

interface ReportRow {
  id: number;
  agency: string | null;
  year: number | null;
  template: string;
}

function cellMap(db: Database.Database, sql: string, id: number): Map<string, number | null> {
  const rows = db.prepare(sql).all(id) as Array<{ a: string; b: string; v: number | null }>;
  return new Map(rows.map((r) => [`${r.a}.${r.b}`, r.v]));
}

export function verifyReport(db: Database.Database, exp: ExpectedReport): ReportCheck {
  const out: ReportCheck = { url: exp.url, title: exp.title, found: false, cells: 0, equal: 0, mismatches: [], checksPassed: 0, checksFailed: 0 };
  const row = db
    .prepare(
      `SELECT r.id, a.name AS agency, r.year, r.template FROM reports r JOIN documents d ON d.id = r.document_id
       LEFT JOIN agencies a ON a.id = r.agency_id WHERE d.url = ? AND r.ok = 1 ORDER BY r.id DESC LIMIT 1`,
    )
    .get(exp.url) as ReportRow | undefined;
  if (!row) return out;
  out.found = true;
  const v = exp.values;
  if (row.agency !== v.agency) out.mismatches.push(`agency: ${row.agency} ≠ ${v.agency}`);
  if (row.year !== v.year) out.mismatches.push(`year: ${row.year} ≠ ${v.year}`);
  if (row.template !== v.template) out.mismatches.push(`template: ${row.template} ≠ ${v.template}`);
  const tables: Array<[Record<string, Record<string, number | null>> | null, string, string]> = [
    [v.table2, 'table2', 'SELECT row_code AS a, col_code AS b, value AS v FROM table2_cells WHERE report_id = ?'],
    [v.table3, 'table3', 'SELECT row_code AS a, applicant_code AS b, value AS v FROM table3_cells WHERE report_id = ?'],
    [v.table4, 'table4', 'SELECT group_code AS a, outcome_code AS b, value AS v FROM table4_cells WHERE report_id = ?'],
  ];
  for (const [t, name, sql] of tables) {
    if (!t) continue;
    const got = cellMap(db, sql, row.id);
    for (const [r, cols] of Object.entries(t)) {
      for (const [c, want] of Object.entries(cols)) {
        out.cells++;
        const have = got.get(`${r}.${c}`);
        if (have === want || (have !== undefined && have !== null && want !== null && Math.abs(have - want) < 1e-9)) out.equal++;
        else out.mismatches.push(`${name}.${r}.${c}: ${have ?? 'missing'} ≠ ${want}`);
      }
    }
  }
  const checks = db.prepare('SELECT passed, count(*) AS n FROM checks WHERE report_id = ? GROUP BY passed').all(row.id) as Array<{ passed: number | null; n: number }>;
  for (const c of checks) {
    if (c.passed === 1) out.checksPassed += c.n;
    if (c.passed === 0) out.checksFailed += c.n;
  }
  return out;
}

export function verifyDatabase(db: Database.Database, expected: ExpectedReport[]): ReportCheck[] {
  return expected.map((e) => verifyReport(db, e));
}
