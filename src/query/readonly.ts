/**
 * Ad-hoc SQL on the database, opened read-only: a write statement is refused before it runs
 * (and the read-only connection would refuse it anyway).
 */
import type Database from 'better-sqlite3';
import { openDatabaseReadonly } from '../load/database.ts';
import { QueryError } from './canned.ts';
import type { Value } from './format.ts';

export interface QueryResult {
  columns: string[];
  rows: Value[][];
}

/** The read-only connection of `openDatabaseReadonly` (src/load/database.ts), the one way ogi opens a database to read. */
export function openReadonly(path: string): Database.Database {
  return openDatabaseReadonly(path).$client;
}

/** prepares the statement and refuses anything that is not a single read: `query-error`, `readonly-query` */
export function prepareRead(db: Database.Database, sql: string): Database.Statement {
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
  return stmt;
}

export function runQuery(db: Database.Database, sql: string, params: Record<string, string | number> = {}): QueryResult {
  const stmt = prepareRead(db, sql);
  try {
    const columns = stmt.columns().map((c) => c.name);
    const rows = (Object.keys(params).length > 0 ? stmt.raw(true).all(params) : stmt.raw(true).all()) as Value[][];
    return { columns, rows };
  } catch (e) {
    throw new QueryError('query-error', (e as Error).message);
  }
}
