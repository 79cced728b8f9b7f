/**
 * Opening the ogi SQLite database: creates the file and its directory, applies the checked-in
 * migrations (schema/migrations), and sets the connection up for one writer plus readers.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { schema } from '../../schema/tables.ts';

export type OgiDatabase = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export const DEFAULT_DB_PATH = 'data/ogi.sqlite';
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../schema/migrations', import.meta.url));

export function openDatabase(path: string): OgiDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  // WAL lets `ogi query`/exports read while a load is writing; wait rather than fail on a busy lock
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  return db;
}

export function closeDatabase(db: OgiDatabase): void {
  db.$client.close();
}
