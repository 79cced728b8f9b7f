/**
 * The parts of the schema that drizzle does not model, generated from src/domain/template.ts:
 * the wide views (one row per report, one column per cell code), the `issues` view and the
 * FTS5 index over report text. `schema/write-custom-migration.ts` writes this SQL into a custom
 * migration; test/load checks that the migrated database has every template code.
 */
import { APPLICANTS, TABLE2, TABLE3_ROWS, TABLE4_GROUPS, TABLE4_OUTCOMES } from '../src/domain/template.ts';
import type { TemplateVersion } from '../src/domain/template.ts';
import type { TableName } from '../src/domain/report.ts';

export interface WideColumn {
  /** column name in the wide view / wide CSV, e.g. new_received__natural_person */
  name: string;
  table: TableName;
  row: string;
  col: string;
  zh: string;
  en: string;
  rowZh: string;
  colZh: string;
  rowEn: string;
  colEn: string;
  /** e.g. 'yuan', '10k_yuan'; absent for counts */
  unit?: string;
  /** template versions that have this cell */
  templates: TemplateVersion[];
}

/** Cell code → SQL-friendly column name. Row codes like `withheld.state_secret` carry dots, which
 *  need quoting in every SQL dialect and pandas attribute access, so dots become single underscores;
 *  row and column are joined by a double underscore. */
export function wideColumnName(row: string, col: string): string {
  return `${row.replaceAll('.', '_')}__${col}`;
}

const VERSIONS: TemplateVersion[] = ['2019', '2021'];

function table2Columns(): WideColumn[] {
  const byName = new Map<string, WideColumn>();
  for (const version of VERSIONS) {
    for (const row of TABLE2[version]) {
      for (const c of row.columns) {
        const name = wideColumnName(row.code, c.code);
        const seen = byName.get(name);
        if (seen) {
          seen.templates.push(version);
          continue;
        }
        const column: WideColumn = {
          name,
          table: 'table2',
          row: row.code,
          col: c.code,
          zh: `${row.label} · ${c.label}`,
          en: `${row.en}: ${c.en}`,
          rowZh: row.label,
          colZh: c.label,
          rowEn: row.en,
          colEn: c.en,
          templates: [version],
        };
        if (c.unit) column.unit = c.unit;
        byName.set(name, column);
      }
    }
  }
  // group the columns of one row together (2021-only columns would otherwise trail at the end)
  const rowOrder = [...new Set([...byName.values()].map((c) => c.row))];
  return rowOrder.flatMap((row) => [...byName.values()].filter((c) => c.row === row));
}

function table3Columns(): WideColumn[] {
  return TABLE3_ROWS.flatMap((row) =>
    APPLICANTS.map((a) => ({
      name: wideColumnName(row.code, a.code),
      table: 'table3' as const,
      row: row.code,
      col: a.code,
      zh: `${row.group ? `${row.group} ` : ''}${row.label} · ${a.label}`,
      en: `${row.en}: ${a.en}`,
      rowZh: `${row.group ? `${row.group} ` : ''}${row.label}`,
      colZh: a.label,
      rowEn: row.en,
      colEn: a.en,
      templates: row.only ? [row.only] : [...VERSIONS],
    })),
  );
}

function table4Columns(): WideColumn[] {
  return TABLE4_GROUPS.flatMap((g) =>
    TABLE4_OUTCOMES.map((o) => ({
      name: wideColumnName(g.code, o.code),
      table: 'table4' as const,
      row: g.code,
      col: o.code,
      zh: `${g.label} · ${o.label}`,
      en: `${g.en}: ${o.en}`,
      rowZh: g.label,
      colZh: o.label,
      rowEn: g.en,
      colEn: o.en,
      templates: [...VERSIONS],
    })),
  );
}

export function wideColumns(table: TableName): WideColumn[] {
  if (table === 'table2') return table2Columns();
  if (table === 'table3') return table3Columns();
  return table4Columns();
}

/** the cell table behind each statistical table and the names of its two code columns */
export const CELL_TABLES: Record<TableName, { cells: string; row: string; col: string }> = {
  table2: { cells: 'table2_cells', row: 'row_code', col: 'col_code' },
  table3: { cells: 'table3_cells', row: 'row_code', col: 'applicant_code' },
  table4: { cells: 'table4_cells', row: 'group_code', col: 'outcome_code' },
};

/** report columns every wide view starts with */
export const WIDE_REPORT_COLUMNS = ['report_id', 'agency', 'year', 'template', 'version', 'is_current'] as const;

const sqlString = (s: string) => `'${s.replaceAll("'", "''")}'`;

function wideViewSql(table: TableName): string {
  const { cells, row, col } = CELL_TABLES[table];
  const pivots = wideColumns(table).map(
    (c) => `  MAX(CASE WHEN c.${row} = ${sqlString(c.row)} AND c.${col} = ${sqlString(c.col)} THEN c.value END) AS "${c.name}"`,
  );
  return [
    `CREATE VIEW ${table}_wide AS`,
    'SELECT',
    '  r.id AS report_id, a.name AS agency, r.year, r.template, r.version, r.is_current,',
    pivots.join(',\n'),
    'FROM reports r',
    'LEFT JOIN agencies a ON a.id = r.agency_id',
    `JOIN ${cells} c ON c.report_id = r.id`,
    'WHERE r.ok = 1',
    'GROUP BY r.id;',
  ].join('\n');
}

const ISSUES_VIEW = `CREATE VIEW issues AS
SELECT report_id, 'warning' AS kind, code, message AS detail FROM warnings
UNION ALL
SELECT report_id, 'check-failed' AS kind, rule AS code, detail FROM checks WHERE passed = 0;`;

// trigram tokenizer: substring search for Chinese (unicode61 would treat a whole run of Hanzi as
// one token). Queries shorter than 3 characters cannot use it; src/query/search.ts falls back to LIKE.
const FTS = `CREATE VIRTUAL TABLE report_texts_fts USING fts5(text, content='report_texts', content_rowid='id', tokenize='trigram');
CREATE TRIGGER report_texts_ai AFTER INSERT ON report_texts BEGIN
  INSERT INTO report_texts_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER report_texts_ad AFTER DELETE ON report_texts BEGIN
  INSERT INTO report_texts_fts(report_texts_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER report_texts_au AFTER UPDATE ON report_texts BEGIN
  INSERT INTO report_texts_fts(report_texts_fts, rowid, text) VALUES ('delete', old.id, old.text);
  INSERT INTO report_texts_fts(rowid, text) VALUES (new.id, new.text);
END;`;

const sqlValue = (v: string | undefined) => (v === undefined ? 'NULL' : sqlString(v));

/** `codes`: every cell code with its template labels, so queries (and Datasette users) can show them */
function codesTableSql(): string[] {
  const rows = (['table2', 'table3', 'table4'] as const).flatMap(wideColumns).map((c) =>
    `(${[c.table, c.row, c.col, c.name, c.rowZh, c.colZh, c.rowEn, c.colEn, c.unit, c.templates.join(',')].map(sqlValue).join(', ')})`,
  );
  return [
    `CREATE TABLE codes (
  table_name text NOT NULL,
  row_code text NOT NULL,
  col_code text NOT NULL,
  column_name text NOT NULL,
  row_zh text NOT NULL,
  col_zh text NOT NULL,
  row_en text NOT NULL,
  col_en text NOT NULL,
  unit text,
  templates text NOT NULL,
  PRIMARY KEY (table_name, row_code, col_code)
);`,
    `INSERT INTO codes VALUES\n${rows.join(',\n')};`,
  ];
}

export type CustomMigration = 'views_fts' | 'codes';

/** SQL of a custom migration, statements separated by drizzle's breakpoint marker */
export function customMigrationSql(part: CustomMigration): string {
  const statements =
    part === 'codes'
      ? codesTableSql()
      : [
          ...(['table2', 'table3', 'table4'] as const).map(wideViewSql),
          ISSUES_VIEW,
          ...FTS.split(/;\n(?=CREATE)/).map((s) => (s.endsWith(';') ? s : `${s};`)),
        ];
  return `-- Generated by schema/write-custom-migration.ts from src/domain/template.ts. Do not edit by hand.\n${statements.join('\n--> statement-breakpoint\n')}\n`;
}
