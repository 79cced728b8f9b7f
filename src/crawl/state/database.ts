/**
 * Opening <dataDir>/crawl.sqlite: WAL with synchronous NORMAL, so a crawl killed at any moment keeps
 * every committed step, and the checked-in migrations (schema/crawl/migrations) applied. A file made
 * before those migrations existed is brought up to date in place (see 0000_init.sql).
 */
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { crawlSchema } from '../../../schema/crawl/tables.ts';

export type CrawlDatabase = BetterSQLite3Database<typeof crawlSchema> & { $client: Database.Database };

export const CRAWL_MIGRATIONS_DIR = fileURLToPath(new URL('../../../schema/crawl/migrations', import.meta.url));

export function openCrawlDatabase(path: string): CrawlDatabase {
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL'); // WAL + NORMAL survives a killed process; only power loss can drop the last commit
  sqlite.pragma('busy_timeout = 10000');
  const db = drizzle(sqlite, { schema: crawlSchema });
  migrate(db, { migrationsFolder: CRAWL_MIGRATIONS_DIR });
  return db;
}

export function now(): string {
  return new Date().toISOString();
}
