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
import { OgiError } from '../domain/errors.ts';

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

type ParquetValue = string | number | bigint | boolean | null;

/** per-field conversion of a SQLite value to its Parquet value (checked: integers must be integers) */
function parquetConverter(field: Field): (v: Raw) => ParquetValue {
  const notInteger = (v: Raw) => new OgiError('export-type', `${field.name} holds ${String(v)}, which is not an integer`);
  switch (field.type) {
    case 'boolean':
      return (v) => (v === null ? null : Boolean(v));
    case 'integer':
      if (field.int64) {
        return (v) => {
          if (v === null || typeof v === 'bigint') return v as bigint | null;
          if (!Number.isInteger(v)) throw notInteger(v);
          return BigInt(v as number);
        };
      }
      return (v) => {
        if (v === null) return null;
        if (!Number.isInteger(v) || (v as number) > 2147483647 || (v as number) < -2147483648) throw notInteger(v);
        return v as number;
      };
    case 'number':
      return (v) => (v === null ? null : Number(v));
    default:
      return (v) => (v === null ? null : String(v));
  }
}

/** writes the rows of `sql` and returns how many there were */
export async function writeTable(db: Database.Database, sql: string, fields: Field[], files: TableFiles): Promise<number> {
  const stmt = db.prepare(sql).raw(true);
  const names = stmt.columns().map((c) => c.name);
  if (names.join(',') !== fields.map((x) => x.name).join(',')) {
    throw new OgiError('export-schema', `query columns (${names.join(', ')}) differ from the resource fields (${fields.map((x) => x.name).join(', ')})`);
  }
  const batchRows = files.batchRows ?? 100_000;
  const fd = openSync(files.csvPath, 'w');
  const parquet = new ParquetWriter({
    writer: fileWriter(files.parquetPath),
    schema: [{ name: 'root', num_children: fields.length }, ...fields.map(parquetElement)],
    createdBy: 'ogi export',
  });
  const convert = fields.map(parquetConverter);
  const stringFields = fields.flatMap((x, i) => (x.type === 'string' ? [i] : []));
  const booleanFields = fields.flatMap((x, i) => (x.type === 'boolean' ? [i] : []));
  let rows = 0;
  try {
    writeSync(fd, `${files.bom ? '\uFEFF' : ''}${fields.map((x) => x.name).join(',')}\r\n`);
    let columns: ParquetValue[][] = fields.map(() => []);
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
    // Rows are the fast path of this whole export: one native join per CSV line (join writes
    // NULL as an empty field), after quoting the few strings that need it and spelling booleans.
    for (const row of stmt.iterate() as IterableIterator<Raw[]>) {
      for (let i = 0; i < row.length; i++) (columns[i] as ParquetValue[]).push((convert[i] as (v: Raw) => ParquetValue)(row[i] ?? null));
      for (const i of stringFields) {
        const v = row[i];
        if (typeof v === 'string' && QUOTE.test(v)) row[i] = `"${v.replaceAll('"', '""')}"`;
      }
      for (const i of booleanFields) if (row[i] !== null) row[i] = row[i] ? 'true' : 'false';
      csv.push(row.join(','));
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
