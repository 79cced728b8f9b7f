/**
 * Ad-hoc SQL on the database, opened read-only: a write statement is refused before it runs
 * (and the read-only connection would refuse it anyway).
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { QueryError } from './canned.ts';
import type { Value } from './format.ts';

export interface QueryResult {
  columns: string[];
  rows: Value[][];
}

export function openReadonly(path: string): Database.Database {
  if (!existsSync(path)) throw new QueryError('no-database', `${path} does not exist (run ogi load first, or pass --db)`);
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return db;
}

export function runQuery(db: Database.Database, sql: string, params: Record<string, string | number> = {}): QueryResult {
  let stmt: Database.Statement;
  try {
    stmt = db.prepare(sql);
  } catch (e) {
    throw new QueryError('query-error', (e as Error).message);
  }
  if (!stmt.readonly || !stmt.reader) {
    const verb = sql.trim().split(/\s+/)[0]?.toUpperCase() ?? '';
    throw new QueryError('readonly-query', `only statements that read are allowed; ${verb} would change the database`);
  }
  try {
    const columns = stmt.columns().map((c) => c.name);
    const rows = (Object.keys(params).length > 0 ? stmt.raw(true).all(params) : stmt.raw(true).all()) as Value[][];
    return { columns, rows };
  } catch (e) {
    throw new QueryError('query-error', (e as Error).message);
  }
}
