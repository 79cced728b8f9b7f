/**
 * CHANGES.md: what changed between the previous snapshot's database and this one, comparing the
 * current report of each (agency, year): reports added, reports withdrawn, values revised
 * (cell by cell, including cells that appeared or disappeared) and new document versions.
 */
import type Database from 'better-sqlite3';

const MAX_CELL_LINES = 2000;

interface Pair {
  agency: string;
  year: number;
}
interface Revised extends Pair {
  old_sha: string;
  new_sha: string;
}
interface CellChange extends Pair {
  tbl: string;
  row_code: string;
  col_code: string;
  old_value: number | null;
  new_value: number | null;
  old_present: number;
  new_present: number;
}

const CURRENT = (schema: string) => `SELECT r.id, a.name AS agency, r.year, r.template, d.sha256
  FROM ${schema}.reports r JOIN ${schema}.agencies a ON a.id = r.agency_id JOIN ${schema}.documents d ON d.id = r.document_id
  WHERE r.ok = 1 AND r.is_current = 1 AND r.year IS NOT NULL`;

const CELL_TABLES = [
  ['table2', 'table2_cells', 'row_code', 'col_code'],
  ['table3', 'table3_cells', 'row_code', 'applicant_code'],
  ['table4', 'table4_cells', 'group_code', 'outcome_code'],
] as const;

function cellChangesSql(): string {
  const parts = CELL_TABLES.flatMap(([name, cells, row, col]) => [
    // cells of the new report, changed or new
    `SELECT p.agency, p.year, '${name}' AS tbl, n.${row} AS row_code, n.${col} AS col_code, o.value AS old_value, n.value AS new_value,
       o.report_id IS NOT NULL AS old_present, 1 AS new_present
     FROM pairs p JOIN main.${cells} n ON n.report_id = p.new_id
     LEFT JOIN prev.${cells} o ON o.report_id = p.old_id AND o.${row} = n.${row} AND o.${col} = n.${col}
     WHERE o.report_id IS NULL OR o.value IS NOT n.value`,
    // cells the new report no longer has
    `SELECT p.agency, p.year, '${name}', o.${row}, o.${col}, o.value, NULL, 1, 0
     FROM pairs p JOIN prev.${cells} o ON o.report_id = p.old_id
     WHERE NOT EXISTS (SELECT 1 FROM main.${cells} n WHERE n.report_id = p.new_id AND n.${row} = o.${row} AND n.${col} = o.${col})`,
  ]);
  return `${parts.join('\nUNION ALL\n')}\nORDER BY 1, 2, 3, 4, 5`;
}

const show = (v: number | null, present: number) => (present ? (v === null ? 'empty' : String(v)) : 'absent');
const esc = (s: string) => s.replaceAll('|', '\\|');

/**
 * @param db the new snapshot's database (a private copy: a temp table is created in it)
 * @param previous path of the previous snapshot's database, or null for the first snapshot
 */
export function changesMarkdown(db: Database.Database, snapshot: string, previous: { name: string; dbPath: string } | null): string {
  const reportCount = (db.prepare(`SELECT count(*) AS n FROM (${CURRENT('main')})`).get() as { n: number }).n;
  if (!previous) {
    return `# Changes in snapshot ${snapshot}\n\nFirst snapshot in this directory: ${reportCount} current reports. Nothing to compare with.\n`;
  }
  db.prepare('ATTACH DATABASE ? AS prev').run(previous.dbPath);
  try {
    db.exec(`CREATE TEMP TABLE pairs AS
      SELECT n.agency, n.year, n.id AS new_id, o.id AS old_id, n.sha256 AS new_sha, o.sha256 AS old_sha
      FROM (${CURRENT('main')}) n JOIN (${CURRENT('prev')}) o ON o.agency = n.agency AND o.year = n.year`);
    const added = db
      .prepare(`SELECT n.agency, n.year, n.template FROM (${CURRENT('main')}) n WHERE NOT EXISTS (SELECT 1 FROM pairs p WHERE p.new_id = n.id) ORDER BY 1, 2`)
      .all() as (Pair & { template: string })[];
    const withdrawn = db
      .prepare(`SELECT o.agency, o.year FROM (${CURRENT('prev')}) o WHERE NOT EXISTS (SELECT 1 FROM pairs p WHERE p.old_id = o.id) ORDER BY 1, 2`)
      .all() as Pair[];
    const versions = db.prepare('SELECT agency, year, old_sha, new_sha FROM pairs WHERE old_sha <> new_sha ORDER BY 1, 2').all() as Revised[];
    const cells = db.prepare(cellChangesSql()).all() as CellChange[];
    const revisedReports = new Set(cells.map((c) => `${c.agency}\u0000${c.year}`));

    const out: string[] = [
      `# Changes in snapshot ${snapshot}`,
      '',
      `Compared with snapshot ${previous.name}, current report of each agency and year.`,
      '',
      '| change | count |',
      '|---|---|',
      `| reports added | ${added.length} |`,
      `| reports withdrawn | ${withdrawn.length} |`,
      `| reports with revised values | ${revisedReports.size} |`,
      `| values revised (cells) | ${cells.length} |`,
      `| new document versions | ${versions.length} |`,
      '',
    ];
    if (added.length > 0) {
      out.push('## Reports added', '', '| agency | year | template |', '|---|---|---|', ...added.map((a) => `| ${esc(a.agency)} | ${a.year} | ${a.template} |`), '');
    }
    if (withdrawn.length > 0) {
      out.push('## Reports withdrawn', '', 'No longer in the dataset as a current report (removed, or re-read as another agency or year).', '');
      out.push('| agency | year |', '|---|---|', ...withdrawn.map((w) => `| ${esc(w.agency)} | ${w.year} |`), '');
    }
    if (versions.length > 0) {
      out.push('## New document versions', '', '| agency | year | previous sha256 | new sha256 |', '|---|---|---|---|');
      out.push(...versions.map((v) => `| ${esc(v.agency)} | ${v.year} | ${v.old_sha.slice(0, 12)}… | ${v.new_sha.slice(0, 12)}… |`), '');
    }
    if (cells.length > 0) {
      out.push('## Revised values', '', '"empty" is a blank or unreadable cell; "absent" means the report did not have the cell.', '');
      out.push('| agency | year | table | row | column | before | after |', '|---|---|---|---|---|---|---|');
      for (const c of cells.slice(0, MAX_CELL_LINES)) {
        out.push(`| ${esc(c.agency)} | ${c.year} | ${c.tbl} | ${c.row_code} | ${c.col_code} | ${show(c.old_value, c.old_present)} | ${show(c.new_value, c.new_present)} |`);
      }
      if (cells.length > MAX_CELL_LINES) out.push('', `…and ${cells.length - MAX_CELL_LINES} more revised values (compare the two snapshots' table files).`);
      out.push('');
    }
    return out.join('\n');
  } finally {
    db.exec('DROP TABLE IF EXISTS temp.pairs');
    db.exec('DETACH DATABASE prev');
  }
}
