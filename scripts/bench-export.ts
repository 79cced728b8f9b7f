/**
 * Export benchmark: ≥ 1,000,000 generated table-3 cell rows in a real ogi SQLite database,
 * written to CSV + Parquet by `ogi export`'s writer, against DuckDB doing the same job
 * (rows read from the same SQLite query, DuckDB appender, COPY … TO csv and parquet).
 * DuckDB cannot attach SQLite offline (its sqlite extension is a run-time download), so both
 * sides read SQLite through better-sqlite3. Prints both times and ogi/DuckDB as a ratio (goal ≤ 2).
 *
 *   node bin/run-ts.js scripts/bench-export.ts [ROWS]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { APPLICANT_CODES, table3Rows } from '../src/domain/template.ts';
import { RESOURCES } from '../src/export/resources.ts';
import { writeTable } from '../src/export/write-table.ts';
import { closeDatabase, openDatabase } from '../src/load/database.ts';
import { goal } from './goals.ts';

const target = Number(process.argv[2] ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'ogi-bench-export-'));
const seconds = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e9;

function generate(path: string): number {
  const db = openDatabase(path);
  const sqlite = db.$client;
  const rows = table3Rows('2021').map((r) => r.code);
  const perReport = rows.length * APPLICANT_CODES.length;
  const reports = Math.ceil(target / perReport);
  const insertAgency = sqlite.prepare('INSERT INTO agencies (name) VALUES (?)');
  const insertDocument = sqlite.prepare("INSERT INTO documents (sha256, size, first_seen, last_seen) VALUES (?, 1000, '2024-01-01', '2024-01-01')");
  const insertReport = sqlite.prepare(
    "INSERT INTO reports (agency_id, year, template, document_id, version, is_current, extractor_version, ok, loaded_at) VALUES (?, ?, '2021', ?, 1, 1, 'bench', 1, '2024-01-01')",
  );
  const insertCell = sqlite.prepare('INSERT INTO table3_cells (report_id, row_code, applicant_code, value, raw_text, document_id) VALUES (?, ?, ?, ?, ?, ?)');
  let n = 0;
  sqlite.transaction(() => {
    for (let r = 0; r < reports; r++) {
      const agency = Number(insertAgency.run(`基准测试机关${r}`).lastInsertRowid);
      const doc = Number(insertDocument.run(`sha-${r}`).lastInsertRowid);
      const report = Number(insertReport.run(agency, 2021 + (r % 4), doc).lastInsertRowid);
      for (const row of rows) {
        for (const col of APPLICANT_CODES) {
          // about one cell in 50 blank (NULL with its raw text), like real reports
          const value = (n * 7919) % 50 === 0 ? null : (n * 31) % 1000;
          insertCell.run(report, row, col, value, value === null ? '' : String(value), doc);
          n++;
        }
      }
    }
  })();
  closeDatabase(db);
  return n;
}

async function ogiExport(path: string): Promise<number> {
  const table3 = RESOURCES.find((r) => r.name === 'table3');
  if (!table3) throw new Error('table3 resource missing');
  const db = openDatabase(path);
  const start = process.hrtime.bigint();
  await writeTable(db.$client, table3.sql, table3.fields, { csvPath: join(dir, 'ogi.csv'), parquetPath: join(dir, 'ogi.parquet') });
  const t = seconds(start);
  closeDatabase(db);
  return t;
}

async function duckdbExport(path: string): Promise<{ total: number; append: number; copy: number }> {
  const table3 = RESOURCES.find((r) => r.name === 'table3');
  if (!table3) throw new Error('table3 resource missing');
  const db = openDatabase(path);
  const instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
  const conn = await instance.connect();
  // the same columns as the export writes (the resource's fields), so both sides move the same data
  const sqlType = { integer: 'INTEGER', number: 'DOUBLE', string: 'VARCHAR' } as const;
  await conn.run(`CREATE TABLE table3 (${table3.fields.map((c) => `"${c.name}" ${sqlType[c.type as keyof typeof sqlType] ?? 'VARCHAR'}`).join(', ')})`);
  const start = process.hrtime.bigint();
  const appender = await conn.createAppender('table3');
  const types = table3.fields.map((c) => c.type);
  for (const row of db.$client.prepare(table3.sql).raw(true).iterate() as IterableIterator<(string | number | null)[]>) {
    row.forEach((v, k) => {
      if (v === null) appender.appendNull();
      else if (types[k] === 'integer') appender.appendInteger(v as number);
      else if (types[k] === 'number') appender.appendDouble(v as number);
      else appender.appendVarchar(String(v));
    });
    appender.endRow();
  }
  appender.closeSync();
  const append = seconds(start);
  const copyStart = process.hrtime.bigint();
  await conn.run(`COPY table3 TO '${join(dir, 'duck.csv')}' (FORMAT csv, HEADER)`);
  await conn.run(`COPY table3 TO '${join(dir, 'duck.parquet')}' (FORMAT parquet)`);
  const copy = seconds(copyStart);
  const total = seconds(start);
  conn.closeSync();
  instance.closeSync();
  closeDatabase(db);
  return { total, append, copy };
}

try {
  const genStart = process.hrtime.bigint();
  const dbPath = join(dir, 'bench.sqlite');
  const rows = generate(dbPath);
  console.error(`generated ${rows.toLocaleString('en')} table3 rows in ${seconds(genStart).toFixed(1)} s`);
  const ogi = await ogiExport(dbPath);
  const duck = await duckdbExport(dbPath);
  const mb = (f: string) => (statSync(join(dir, f)).size / 1e6).toFixed(1);
  console.log(`export ${rows.toLocaleString('en')} rows SQLite → CSV + Parquet`);
  console.log(`  ogi (better-sqlite3 + hyparquet-writer): ${ogi.toFixed(2)} s  (csv ${mb('ogi.csv')} MB, parquet ${mb('ogi.parquet')} MB)`);
  console.log(
    `  DuckDB (appender + COPY):               ${duck.total.toFixed(2)} s  (append ${duck.append.toFixed(2)} s, copy ${duck.copy.toFixed(2)} s; csv ${mb('duck.csv')} MB, parquet ${mb('duck.parquet')} MB)`,
  );
  const ratio = ogi / duck.total;
  console.log(`  ratio ogi/DuckDB: ${ratio.toFixed(2)} (goal ≤ 2) ${ratio <= 2 ? 'OK' : 'ABOVE GOAL'}`);
  goal('bench-export.ts', 'export time ÷ DuckDB', ratio, 'max', 2, '×');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
