/**
 * Streams one query result into a CSV file and a Parquet file in a single pass, a batch of rows
 * at a time (one Parquet row group per batch), so memory stays flat for large tables.
 * Types come from the resource's fields: integers stay INT32/INT64, numbers DOUBLE, booleans
 * BOOLEAN; NULL is an empty CSV field and a Parquet null.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { ParquetWriter, fileWriter } from 'hyparquet-writer';
import type { SchemaElement } from 'hyparquet-writer';
import type { Field } from './resources.ts';

export interface TableFiles {
  csvPath: string;
  parquetPath: string;
  /** UTF-8 byte order mark first, so Excel on Chinese Windows does not read the CSV as GBK */
  bom?: boolean;
  batchRows?: number;
}

type Raw = string | number | bigint | null | Buffer;

function parquetElement(field: Field): SchemaElement {
  const base = { name: field.name, repetition_type: 'OPTIONAL' as const };
  switch (field.type) {
    case 'integer':
      return { ...base, type: field.int64 ? 'INT64' : 'INT32' };
    case 'number':
      return { ...base, type: 'DOUBLE' };
    case 'boolean':
      return { ...base, type: 'BOOLEAN' };
    default:
      return { ...base, type: 'BYTE_ARRAY', converted_type: 'UTF8' };
  }
}

const QUOTE = /[",\r\n]/;

/** one CSV field; booleans (stored 0/1) are written true/false */
function csvValue(v: Raw, type: Field['type']): string {
  if (v === null) return '';
  if (type === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return QUOTE.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
  return String(v);
}

function parquetValue(v: Raw, field: Field): string | number | bigint | boolean | null {
  if (v === null) return null;
  if (field.type === 'boolean') return Boolean(v);
  if (field.type === 'integer') {
    const n = Number(v);
    if (!Number.isInteger(n)) throw new Error(`export-type: ${field.name} holds ${String(v)}, which is not an integer`);
    if (field.int64) return BigInt(n);
    if (n > 2147483647 || n < -2147483648) throw new Error(`export-type: ${field.name} value ${n} does not fit INT32`);
    return n;
  }
  if (field.type === 'number') return Number(v);
  return String(v);
}

/** writes the rows of `sql` and returns how many there were */
export async function writeTable(db: Database.Database, sql: string, fields: Field[], files: TableFiles): Promise<number> {
  const stmt = db.prepare(sql).raw(true);
  const names = stmt.columns().map((c) => c.name);
  if (names.join(',') !== fields.map((x) => x.name).join(',')) {
    throw new Error(`export-schema: query columns (${names.join(', ')}) differ from the resource fields (${fields.map((x) => x.name).join(', ')})`);
  }
  const batchRows = files.batchRows ?? 100_000;
  const fd = openSync(files.csvPath, 'w');
  const parquet = new ParquetWriter({
    writer: fileWriter(files.parquetPath),
    schema: [{ name: 'root', num_children: fields.length }, ...fields.map(parquetElement)],
    createdBy: 'ogi export',
  });
  const types = fields.map((x) => x.type);
  let rows = 0;
  try {
    writeSync(fd, `${files.bom ? '\uFEFF' : ''}${fields.map((x) => x.name).join(',')}\r\n`);
    let columns: unknown[][] = fields.map(() => []);
    let csv: string[] = [];
    const flush = async () => {
      if (csv.length === 0) return;
      writeSync(fd, `${csv.join('\r\n')}\r\n`);
      await parquet.write({
        columnData: fields.map((field, i) => ({ name: field.name, data: columns[i] ?? [] })),
        rowGroupSize: batchRows,
      });
      columns = fields.map(() => []);
      csv = [];
    };
    for (const row of stmt.iterate() as IterableIterator<Raw[]>) {
      let line = '';
      for (let i = 0; i < row.length; i++) {
        const v = row[i] ?? null;
        (columns[i] as unknown[]).push(parquetValue(v, fields[i] as Field));
        line += (i === 0 ? '' : ',') + csvValue(v, types[i] ?? 'string');
      }
      csv.push(line);
      rows++;
      if (csv.length >= batchRows) await flush();
    }
    await flush();
    await parquet.finish();
  } finally {
    closeSync(fd);
  }
  return rows;
}
