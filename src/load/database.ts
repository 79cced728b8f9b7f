/**
 * Opening the ogi SQLite database. Commands that write (`load`, `crawl`, `nightly`) use
 * `openDatabase`: it creates the file and its directory, applies the checked-in migrations
 * (schema/migrations), and sets the connection up for one writer plus readers. Commands that only
 * read (`status`, `export`, `query`, `search`) use `openDatabaseReadonly`: it never creates,
 * migrates or otherwise changes a byte of the file (a published snapshot's `ogi.sqlite` keeps its
 * SHA256SUMS), and works on a read-only file. Both refuse a file that is not an ogi database.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { OgiError } from '../domain/errors.ts';
import { makeDirectory } from '../util/fs.ts';
import { schema } from '../../schema/tables.ts';

export type OgiDatabase = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export const DEFAULT_DB_PATH = 'data/ogi.sqlite';
/** where `npm run demo` loads its crawl */
export const DEMO_DB_PATH = 'data/demo/ogi.sqlite';
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../schema/migrations', import.meta.url));
/** drizzle's record of the applied migrations: every ogi database has it */
const MIGRATIONS_TABLE = '__drizzle_migrations';
const SQLITE_MAGIC = 'SQLite format 3\0';

/** The error for a database that does not exist; for the default path it names the demo's database when there is one. */
export function missingDatabase(path: string): OgiError {
  if (resolve(path) === resolve(DEFAULT_DB_PATH) && existsSync(DEMO_DB_PATH)) {
    return new OgiError('no-database', `${path} does not exist; the demo's database is ${DEMO_DB_PATH}: pass --db ${DEMO_DB_PATH}`);
  }
  return new OgiError('no-database', `${path} does not exist (load reports with ogi load or ogi crawl first, or pass --db PATH)`);
}

/** Refuses a folder or a file that is not SQLite, before SQLite opens it. */
function checkSqliteFile(path: string): void {
  const st = statSync(path);
  if (st.isDirectory()) throw new OgiError('not-a-database', `${path} is a folder, not a database file`);
  if (st.size === 0) return;
  const head = Buffer.alloc(16);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (head.toString('latin1') !== SQLITE_MAGIC) throw new OgiError('not-a-database', `${path} is not an SQLite database`);
}

function tableNames(sqlite: Database.Database, path: string): Set<string> {
  try {
    return new Set((sqlite.prepare(`SELECT name FROM sqlite_master WHERE type IN ('table', 'view')`).all() as { name: string }[]).map((r) => r.name));
  } catch (e) {
    throw new OgiError('not-a-database', `${path} cannot be read as an SQLite database (${(e as Error).message})`);
  }
}

/** An SQLite file with tables but without ogi's is someone else's: never add ogi's tables to it. */
function checkOgiTables(tables: Set<string>, path: string, isNew: boolean): void {
  if (isNew) return;
  if (!tables.has(MIGRATIONS_TABLE) || !tables.has('reports')) {
    const what = tables.size === 0 ? 'is an empty SQLite file' : `is an SQLite database without ogi's tables (it has ${[...tables].slice(0, 5).join(', ')}${tables.size > 5 ? ', …' : ''})`;
    throw new OgiError('not-an-ogi-database', `${path} ${what}; pass the --db of a database written by ogi load, ogi crawl or ogi nightly`);
  }
}

export function openDatabase(path: string): OgiDatabase {
  let isNew = true;
  if (path !== ':memory:') {
    if (existsSync(path)) {
      checkSqliteFile(path);
      isNew = statSync(path).size === 0;
    } else makeDirectory(dirname(path) || '.', "the database's folder");
  }
  let sqlite: Database.Database;
  try {
    sqlite = new Database(path);
  } catch (e) {
    throw new OgiError('not-a-database', `${path} cannot be opened as a database (${(e as Error).message})`);
  }
  try {
    // wait rather than fail on a busy lock (set first: switching to WAL may meet another writer)
    sqlite.pragma('busy_timeout = 5000');
    const tables = tableNames(sqlite, path);
    checkOgiTables(tables, path, isNew || tables.size === 0);
    // WAL lets `ogi query`/exports read while a load is writing
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    const db = drizzle(sqlite, { schema });
    migrate(db, { migrationsFolder: MIGRATIONS_DIR });
    return db;
  } catch (e) {
    sqlite.close();
    if (e instanceof OgiError) throw e;
    const message = (e as Error).message;
    if (/database is locked|SQLITE_BUSY/i.test(message)) throw new OgiError('database-locked', `${path} is locked by another process (a load or crawl still writing?); try again when it has finished`);
    throw new OgiError('database-error', `${path}: ${message}`);
  }
}

/**
 * The database for reading only: never created, migrated or written (not even its journal mode).
 * A missing file is `no-database`, a folder or non-SQLite file `not-a-database`, an SQLite file
 * without ogi's tables `not-an-ogi-database`.
 */
export function openDatabaseReadonly(path: string): OgiDatabase {
  if (!existsSync(path)) throw missingDatabase(path);
  checkSqliteFile(path);
  let sqlite: Database.Database;
  try {
    sqlite = new Database(path, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new OgiError('not-a-database', `${path} cannot be opened as a database (${(e as Error).message})`);
  }
  try {
    sqlite.pragma('busy_timeout = 5000');
    checkOgiTables(tableNames(sqlite, path), path, false);
  } catch (e) {
    sqlite.close();
    throw e;
  }
  return drizzle(sqlite, { schema });
}

export function closeDatabase(db: OgiDatabase): void {
  db.$client.close();
}
