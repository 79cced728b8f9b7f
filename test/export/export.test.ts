import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import Database from 'better-sqlite3';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPLICANTS, TABLE2, TABLE3_ROWS, TABLE4_GROUPS, TABLE4_OUTCOMES } from '../../src/domain/template.ts';
import { RESOURCES } from '../../src/export/resources.ts';
import { exportSnapshot, listSnapshots } from '../../src/export/snapshot.ts';
import type { ExportResult } from '../../src/export/snapshot.ts';
import { closeDatabase, loadExtraction, openDatabase } from '../../src/load/index.ts';
import { listCannedQueries } from '../../src/query/canned.ts';
import { failedExtraction, loadInput, makeExtraction } from '../load/extraction-fixture.ts';

let dir: string;
let dbPath: string;
let outDir: string;
let first: ExportResult;

function awkwardExtraction() {
  // values and text that stress typing and CSV quoting: NULLs, decimals, commas, quotes, newlines
  const e = makeExtraction({ agency: '海盐县百步经济开发区（百步镇）', year: 2021, template: '2021' });
  const t3 = e.output.table3;
  const t2 = e.output.table2;
  if (!t3?.granted || !t2?.fees) throw new Error('fixture lacks tables');
  t3.granted.natural_person = null;
  t2.fees.amount_10k_yuan = 0.35;
  for (const c of e.cells) {
    if (c.table === 'table3' && c.row === 'granted' && c.col === 'natural_person') Object.assign(c, { value: null, raw: '"空白",\n（未填）' });
  }
  e.title = '关于2021年度"政府信息公开",工作\r\n年度报告';
  return e;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ogi-export-'));
  dbPath = join(dir, 'ogi.sqlite');
  outDir = join(dir, 'snapshots');
  const db = openDatabase(dbPath);
  loadExtraction(db, loadInput(makeExtraction({ year: 2022, template: '2021' })));
  loadExtraction(db, loadInput(makeExtraction({ agency: '百步镇人民政府', year: 2020, template: '2019' })));
  loadExtraction(db, loadInput(awkwardExtraction()));
  loadExtraction(db, loadInput(failedExtraction()));
  closeDatabase(db);
  first = await exportSnapshot(dbPath, { outDir, now: new Date('2026-01-15T08:00:00Z') });
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** RFC 4180 reader, independent of the writer under test */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += ch;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

function sqliteRows(sql: string): unknown[][] {
  const db = new Database(join(first.dir, 'ogi.sqlite'), { readonly: true });
  try {
    return db.prepare(sql).raw(true).all() as unknown[][];
  } finally {
    db.close();
  }
}

describe('snapshot layout', () => {
  it('is a dated directory with every file, read-only, and no partial leftovers', () => {
    expect(first.name).toBe('2026-01-15');
    const files = readdirSync(first.dir).sort();
    expect(files).toEqual(['CHANGES.md', 'CODEBOOK.md', 'SHA256SUMS', 'csv', 'datapackage.json', 'metadata.yml', 'ogi.sqlite', 'parquet']);
    for (const r of RESOURCES) {
      expect(existsSync(join(first.dir, 'csv', `${r.name}.csv`))).toBe(true);
      expect(existsSync(join(first.dir, 'parquet', `${r.name}.parquet`))).toBe(true);
    }
    expect(statSync(join(first.dir, 'csv', 'reports.csv')).mode & 0o222).toBe(0);
    expect(readdirSync(outDir)).toEqual(['2026-01-15']);
    expect(existsSync(join(first.dir, 'ogi.sqlite-wal'))).toBe(false);
  });

  it('datapackage.json describes every file with matching size and sha256', () => {
    const pkg = JSON.parse(readFileSync(join(first.dir, 'datapackage.json'), 'utf8'));
    expect(pkg.$schema).toBe('https://datapackage.org/profiles/2.0/datapackage.json');
    expect(pkg.licenses[0].name).toBeTruthy();
    expect(pkg.sources.length).toBeGreaterThan(0);
    expect(pkg.resources).toHaveLength(RESOURCES.length * 2 + 4);
    for (const res of pkg.resources) {
      const path = join(first.dir, res.path);
      expect(res.hash, res.path).toBe(`sha256:${sha256(path)}`);
      expect(res.bytes, res.path).toBe(statSync(path).size);
    }
    const reports = pkg.resources.find((r: { name: string }) => r.name === 'table3');
    expect(reports.schema.primaryKey).toEqual(['report_id', 'row_code', 'applicant_code']);
    expect(reports.schema.foreignKeys[0]).toEqual({ fields: ['report_id'], reference: { resource: 'reports', fields: ['id'] } });
    const value = reports.schema.fields.find((f: { name: string }) => f.name === 'value');
    expect(value.type).toBe('integer');
    expect(value.description).toMatch(/数值.* \/ the value/);
  });

  it('SHA256SUMS lists every file with its hash', () => {
    const lines = readFileSync(join(first.dir, 'SHA256SUMS'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(RESOURCES.length * 2 + 5);
    for (const line of lines) {
      const [hash, path] = line.split('  ');
      expect(hash, path).toBe(sha256(join(first.dir, path ?? '')));
    }
  });
});

describe('CSV', () => {
  it('round-trips every table: header = schema fields, values equal the SQLite file', () => {
    for (const r of RESOURCES) {
      const [header, ...rows] = parseCsv(readFileSync(join(first.dir, 'csv', `${r.name}.csv`), 'utf8'));
      expect(header, r.name).toEqual(r.fields.map((f) => f.name));
      const expected = sqliteRows(r.sql).map((row) =>
        row.map((v, i) => (v === null ? '' : r.fields[i]?.type === 'boolean' ? (v ? 'true' : 'false') : String(v))),
      );
      expect(rows, r.name).toEqual(expected);
      expect(rows.length, r.name).toBe(first.rows[r.name]);
    }
  });

  it('keeps NULL empty, raw text with quotes, commas and newlines intact', () => {
    const [header, ...rows] = parseCsv(readFileSync(join(first.dir, 'csv', 'table3.csv'), 'utf8'));
    const col = (n: string) => header?.indexOf(n) ?? -1;
    const blank = rows.find((r) => r[col('row_code')] === 'granted' && r[col('applicant_code')] === 'natural_person' && r[col('raw_text')] !== r[col('value')]);
    expect(blank?.[col('value')]).toBe('');
    expect(blank?.[col('raw_text')]).toBe('"空白",\n（未填）');
  });

  it('tidy tables carry the template\'s Chinese label beside each row and column code, described in the data package', () => {
    // issue 17 (11): the tidy CSVs had only codes
    const [reportHeader, ...reportRows] = parseCsv(readFileSync(join(first.dir, 'csv', 'reports.csv'), 'utf8'));
    const templateOf = new Map(reportRows.map((r) => [r[reportHeader?.indexOf('id') ?? -1], r[reportHeader?.indexOf('template') ?? -1]]));
    const expectLabels = (file: string, rowCode: string, colCode: string, labels: Map<string, [string, string]>) => {
      const [header, ...rows] = parseCsv(readFileSync(join(first.dir, 'csv', `${file}.csv`), 'utf8'));
      const col = (n: string) => header?.indexOf(n) ?? -1;
      const rowLabel = rowCode.replace('_code', '_label');
      const colLabel = colCode.replace('_code', '_label');
      expect(header?.slice(0, 5), file).toEqual(['report_id', rowCode, rowLabel, colCode, colLabel]);
      expect(rows.length, file).toBeGreaterThan(0);
      for (const r of rows) {
        const want = labels.get(`${templateOf.get(r[0])} ${r[col(rowCode)]} ${r[col(colCode)]}`) ?? labels.get(`${r[col(rowCode)]} ${r[col(colCode)]}`);
        expect([r[col(rowLabel)], r[col(colLabel)]], `${file} ${r[col(rowCode)]} ${r[col(colCode)]}`).toEqual(want);
      }
    };
    const t2 = new Map<string, [string, string]>();
    // table 2's column labels differ between the templates: each report gets its own template's
    for (const [version, rows] of Object.entries(TABLE2)) for (const r of rows) for (const c of r.columns) t2.set(`${version} ${r.code} ${c.code}`, [r.label, c.label]);
    const t3 = new Map(TABLE3_ROWS.flatMap((r) => APPLICANTS.map((a) => [`${r.code} ${a.code}`, [`${r.group ? `${r.group} ` : ''}${r.label}`, a.label] as [string, string]])));
    const t4 = new Map(TABLE4_GROUPS.flatMap((g) => TABLE4_OUTCOMES.map((o) => [`${g.code} ${o.code}`, [g.label, o.label] as [string, string]])));
    expectLabels('table2', 'row_code', 'col_code', t2);
    expectLabels('table3', 'row_code', 'applicant_code', t3);
    expectLabels('table4', 'group_code', 'outcome_code', t4);
    expect(readFileSync(join(first.dir, 'csv', 'table3.csv'), 'utf8')).toContain(',new_received,一、本年新收政府信息公开申请数量,natural_person,自然人,');

    const pkg = JSON.parse(readFileSync(join(first.dir, 'datapackage.json'), 'utf8'));
    const table4 = pkg.resources.find((r: { name: string }) => r.name === 'table4');
    expect(table4.schema.fields.map((f: { name: string }) => f.name).slice(0, 5)).toEqual(['report_id', 'group_code', 'group_label', 'outcome_code', 'outcome_label']);
    const book = readFileSync(join(first.dir, 'CODEBOOK.md'), 'utf8');
    for (const name of ['row_label', 'applicant_label', 'group_label', 'outcome_label']) expect(book).toContain(`\`${name}\``);
  });

  it('--excel writes a UTF-8 byte order mark', async () => {
    const excel = await exportSnapshot(dbPath, { outDir: join(dir, 'excel'), excel: true });
    const bytes = readFileSync(join(excel.dir, 'csv', 'agencies.csv'));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect([...readFileSync(join(first.dir, 'csv', 'agencies.csv')).subarray(0, 2)]).toEqual([...Buffer.from('id')]);
  });
});

describe('Parquet read back by DuckDB', () => {
  it('has the declared types and equals the SQLite data, nulls included', async () => {
    const instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
    const conn = await instance.connect();
    try {
      const duckType = { integer: 'INTEGER', number: 'DOUBLE', string: 'VARCHAR', boolean: 'BOOLEAN' } as const;
      for (const r of RESOURCES) {
        const path = join(first.dir, 'parquet', `${r.name}.parquet`).replaceAll("'", "''");
        const reader = await conn.runAndReadAll(`SELECT * FROM read_parquet('${path}')`);
        expect(reader.columnNames(), r.name).toEqual(r.fields.map((f) => f.name));
        expect(reader.columnTypes().map(String), r.name).toEqual(r.fields.map((f) => (f.int64 ? 'BIGINT' : duckType[f.type])));
        const expected = sqliteRows(r.sql).map((row) =>
          row.map((v, i) => {
            const f = r.fields[i];
            if (v === null) return null;
            if (f?.type === 'boolean') return Boolean(v);
            if (f?.int64) return BigInt(v as number);
            return v;
          }),
        );
        expect(reader.getRowsJS(), r.name).toEqual(expected);
      }
      // decimals and NULL specifically
      const fees = await conn.runAndReadAll(
        `SELECT value FROM read_parquet('${join(first.dir, 'parquet', 'table2.parquet')}') WHERE row_code = 'fees' AND col_code = 'amount_10k_yuan' AND value < 1`,
      );
      expect(fees.getRowsJS()).toEqual([[0.35]]);
      const nulls = await conn.runAndReadAll(`SELECT count(*)::INTEGER FROM read_parquet('${join(first.dir, 'parquet', 'table3.parquet')}') WHERE value IS NULL`);
      expect(nulls.getRowsJS()).toEqual([[1]]);
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });
});

describe('CODEBOOK.md', () => {
  it('lists every code with its exact template label', () => {
    const book = readFileSync(join(first.dir, 'CODEBOOK.md'), 'utf8');
    const labelled = [
      ...Object.values(TABLE2).flatMap((rows) => rows.flatMap((r) => [r, ...r.columns])),
      ...TABLE3_ROWS,
      ...APPLICANTS,
      ...TABLE4_GROUPS,
      ...TABLE4_OUTCOMES,
    ];
    for (const l of labelled) {
      expect(book, l.code).toContain(`\`${l.code}\``);
      expect(book, l.label).toContain(l.label.replaceAll('|', '\\|'));
    }
    expect(book).toContain('万元');
    expect(book).toMatch(/NULL\) is not 0/);
    expect(book).toContain('table3.balance.<applicant>');
  });
});

describe('Datasette metadata.yml', () => {
  it('describes existing tables and carries every canned query, each of which runs on the snapshot', () => {
    const meta = parseYaml(readFileSync(join(first.dir, 'metadata.yml'), 'utf8'));
    expect(meta.title).toBeTruthy();
    expect(meta.license).toBeTruthy();
    const database = meta.databases.ogi;
    const db = new Database(join(first.dir, 'ogi.sqlite'), { readonly: true });
    try {
      const names = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')").all() as { name: string }[]).map((r) => r.name));
      for (const table of Object.keys(database.tables)) expect(names, table).toContain(table);
      expect(database.tables.report_texts.fts_table).toBe('report_texts_fts');
      const canned = listCannedQueries();
      expect(Object.keys(database.queries).sort()).toEqual(canned.map((q) => q.name).sort());
      for (const q of canned) {
        const entry = database.queries[q.name];
        expect(entry.sql).toBe(q.sql);
        expect(entry.title).toBe(q.title);
        const params = Object.fromEntries(q.params.map((p) => [p.name, /^\d+$/.test(p.default ?? '') ? Number(p.default) : p.default]));
        expect(() => db.prepare(entry.sql).all(params), q.name).not.toThrow();
      }
    } finally {
      db.close();
    }
  });
});

describe('CHANGES.md and immutability', () => {
  it('a second snapshot is a new directory listing added reports and revised values; the first is untouched', async () => {
    const before = readFileSync(join(first.dir, 'SHA256SUMS'), 'utf8');
    const db = openDatabase(dbPath);
    loadExtraction(db, loadInput(makeExtraction({ agency: '海宁市人民政府', year: 2023, template: '2021' })));
    loadExtraction(db, loadInput(makeExtraction({ year: 2022, template: '2021', offset: 1 }))); // a new version of 2022
    closeDatabase(db);
    const second = await exportSnapshot(dbPath, { outDir, now: new Date('2026-01-15T20:00:00Z') });
    expect(second.name).toBe('2026-01-15-2');
    expect(second.previous).toBe('2026-01-15');
    const changes = readFileSync(join(second.dir, 'CHANGES.md'), 'utf8');
    expect(changes).toContain('Compared with snapshot 2026-01-15');
    expect(changes).toMatch(/\| reports added \| 1 \|/);
    expect(changes).toMatch(/\| reports withdrawn \| 0 \|/);
    expect(changes).toMatch(/\| new document versions \| 1 \|/);
    expect(changes).toMatch(/\| reports with revised values \| 1 \|/);
    expect(changes).toContain('| 海宁市人民政府 | 2023 | 2021 |');
    expect(changes).toMatch(/\| 海宁市人民政府 \| 2022 \| table3 \| new_received \| natural_person \| (\d+) \| (\d+) \|/);
    expect(readFileSync(join(first.dir, 'SHA256SUMS'), 'utf8')).toBe(before);
    const firstChanges = readFileSync(join(first.dir, 'CHANGES.md'), 'utf8');
    expect(firstChanges).toMatch(/First snapshot/);
  });

  it('an unchanged database writes no new snapshot unless forced', async () => {
    const before = listSnapshots(outDir);
    const again = await exportSnapshot(dbPath, { outDir, now: new Date('2026-01-16T20:00:00Z') });
    expect(again.unchanged).toBe(true);
    expect(again.name).toBe(before.at(-1));
    expect(listSnapshots(outDir)).toEqual(before);
    expect(readdirSync(outDir).filter((n) => n.startsWith('.'))).toEqual([]);
    const forced = await exportSnapshot(dbPath, { outDir, now: new Date('2026-01-16T20:00:00Z'), force: true });
    expect(forced.unchanged).toBe(false);
    expect(forced.name).toBe('2026-01-16');
    expect(readFileSync(join(forced.dir, 'CHANGES.md'), 'utf8')).toMatch(/\| reports withdrawn \| 0 \|/);
  });

  it("compares with the previous snapshot of the same database, not another database's in the same folder", async () => {
    // another database (the demo's, say) exported into the same folder in between
    const otherPath = join(dir, 'other.sqlite');
    const other = openDatabase(otherPath);
    loadExtraction(other, loadInput(makeExtraction({ agency: '桐乡市人民政府', year: 2023, template: '2021' })));
    closeDatabase(other);
    const otherSnapshot = await exportSnapshot(otherPath, { outDir, now: new Date('2026-01-17T20:00:00Z') });
    expect(otherSnapshot.previous).toBeNull();
    expect(readFileSync(join(otherSnapshot.dir, 'CHANGES.md'), 'utf8')).toMatch(/First snapshot/);

    const db = openDatabase(dbPath);
    loadExtraction(db, loadInput(makeExtraction({ agency: '海盐县人民政府', year: 2023, template: '2021' })));
    closeDatabase(db);
    const next = await exportSnapshot(dbPath, { outDir, now: new Date('2026-01-18T20:00:00Z') });
    expect(next.previous).toBe('2026-01-16');
    const changes = readFileSync(join(next.dir, 'CHANGES.md'), 'utf8');
    expect(changes).toMatch(/\| reports added \| 1 \|/);
    expect(changes).toMatch(/\| reports withdrawn \| 0 \|/);
    const pkg = (n: string) => JSON.parse(readFileSync(join(outDir, n, 'datapackage.json'), 'utf8')) as Record<string, string>;
    expect(pkg(next.name)['ogi:database']).toMatch(/^[0-9a-f]{32}$/);
    expect(pkg(next.name)['ogi:database']).toBe(pkg('2026-01-15')['ogi:database']);
    expect(pkg(otherSnapshot.name)['ogi:database']).not.toBe(pkg(next.name)['ogi:database']);
  });

  it('refuses a missing database with a coded error', async () => {
    await expect(exportSnapshot(join(dir, 'nope.sqlite'), { outDir })).rejects.toThrow(/^no-database: /);
  });
});
