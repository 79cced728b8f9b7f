/**
 * The crawl state in <dataDir>/crawl.sqlite, one store per job over one connection: the frontier,
 * the fetch log (robots skips included), the conditional-GET cache and what is known of each host.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { crawlSchema } from '../../../schema/crawl/tables.ts';
import { ValidatorCache } from './cache.ts';
import { type CrawlDatabase, openCrawlDatabase } from './database.ts';
import { FetchLog, type FetchLogEntry } from './fetch-log.ts';
import { Frontier } from './frontier.ts';
import { HostStore } from './hosts.ts';

export type { CacheValidators, ValidatorCache } from './cache.ts';
export type { CrawlDatabase } from './database.ts';
export type { FetchLog, FetchLogEntry, RobotsSkip } from './fetch-log.ts';
export type { Frontier, FrontierItem, FrontierKind, FrontierStatus, JsonObject, NewFrontierItem } from './frontier.ts';
export type { HostState, HostStore } from './hosts.ts';
export { acquireLock, LockError, type CrawlLock } from './lock.ts';

export class CrawlState {
  readonly db: CrawlDatabase;
  readonly frontier: Frontier;
  readonly fetchLog: FetchLog;
  readonly cache: ValidatorCache;
  readonly hosts: HostStore;

  constructor(readonly path: string) {
    this.db = openCrawlDatabase(path);
    this.frontier = new Frontier(this.db);
    this.fetchLog = new FetchLog(this.db);
    this.cache = new ValidatorCache(this.db);
    this.hosts = new HostStore(this.db);
  }

  close(): void {
    if (this.db.$client.open) this.db.$client.close();
  }
}

export function openCrawlState(dataDir: string): CrawlState {
  mkdirSync(dataDir, { recursive: true });
  return new CrawlState(join(dataDir, 'crawl.sqlite'));
}

/** The latest run of each site in a data directory's fetch log, read without changing anything; empty where no crawl ran. */
export function readLatestRuns(dataDir: string): FetchLogEntry[] {
  const path = join(dataDir, 'crawl.sqlite');
  if (!existsSync(path)) return [];
  const sqlite = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return new FetchLog(drizzle(sqlite, { schema: crawlSchema })).latestRunEntries();
  } finally {
    sqlite.close();
  }
}
