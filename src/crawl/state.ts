// Crawl state in SQLite (<dataDir>/crawl.sqlite, WAL): fetch log, cache validators, robots skips,
// per-host browser flags and cookies, and the crawl frontier. Every call commits on its own (or in
// one transaction where several rows belong together), so a crawl killed with SIGKILL at any moment
// resumes from the last committed step: nothing lost, nothing queued twice.
import Database from 'better-sqlite3';
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export type FrontierKind = 'robots' | 'listing' | 'article' | 'attachment' | 'other';
export type FrontierStatus = 'pending' | 'done' | 'failed';
export type JsonObject = Record<string, unknown>;

export interface FetchLogEntry {
  url: string;
  finalUrl: string | null;
  method: string;
  status: number | null;
  contentType: string | null;
  sha256: string | null;
  size: number | null;
  fetchedAt: string; // ISO 8601 UTC
  elapsedMs: number;
  site: string | null;
  runId: string | null;
  error: string | null;
  viaBrowser: boolean;
  kind: string | null;
}

export interface CacheValidators {
  etag: string | null;
  lastModified: string | null;
  sha256: string | null;
  contentType: string | null;
  finalUrl: string | null;
}

export interface HostState {
  host: string;
  needsBrowser: boolean;
  reason: string | null;
  cookies: string | null; // JSON array of tough-cookie cookie objects for this host
}

export interface FrontierItem {
  id: number;
  site: string;
  url: string;
  kind: FrontierKind;
  meta: JsonObject | null;
  status: FrontierStatus;
  attempts: number;
  error: string | null;
  result: JsonObject | null;
}

export interface NewFrontierItem {
  url: string;
  kind: FrontierKind;
  meta?: JsonObject;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS fetch_log (
  id INTEGER PRIMARY KEY,
  url TEXT NOT NULL,
  final_url TEXT,
  method TEXT NOT NULL,
  status INTEGER,
  content_type TEXT,
  sha256 TEXT,
  size INTEGER,
  fetched_at TEXT NOT NULL,
  elapsed_ms INTEGER NOT NULL,
  site TEXT,
  run_id TEXT,
  error TEXT,
  via_browser INTEGER NOT NULL DEFAULT 0,
  kind TEXT
);
CREATE INDEX IF NOT EXISTS fetch_log_url ON fetch_log(url);
CREATE INDEX IF NOT EXISTS fetch_log_run ON fetch_log(run_id);
CREATE TABLE IF NOT EXISTS validators (
  cache_key TEXT PRIMARY KEY,
  etag TEXT,
  last_modified TEXT,
  sha256 TEXT,
  content_type TEXT,
  final_url TEXT,
  updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS robots_skips (
  id INTEGER PRIMARY KEY,
  url TEXT NOT NULL,
  host TEXT NOT NULL,
  site TEXT,
  run_id TEXT,
  skipped_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS hosts (
  host TEXT PRIMARY KEY,
  needs_browser INTEGER NOT NULL DEFAULT 0,
  reason TEXT,
  cookies TEXT,
  updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS frontier (
  id INTEGER PRIMARY KEY,
  site TEXT NOT NULL,
  url TEXT NOT NULL,
  kind TEXT NOT NULL,
  meta TEXT,
  status TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  error TEXT,
  result TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (site, url)
);
CREATE INDEX IF NOT EXISTS frontier_pending ON frontier(site, status, id);
`;

interface FrontierRow {
  id: number;
  site: string;
  url: string;
  kind: string;
  meta: string | null;
  status: string;
  attempts: number;
  error: string | null;
  result: string | null;
}

function now(): string {
  return new Date().toISOString();
}

function toItem(row: FrontierRow): FrontierItem {
  return {
    id: row.id,
    site: row.site,
    url: row.url,
    kind: row.kind as FrontierKind,
    meta: row.meta === null ? null : (JSON.parse(row.meta) as JsonObject),
    status: row.status as FrontierStatus,
    attempts: row.attempts,
    error: row.error,
    result: row.result === null ? null : (JSON.parse(row.result) as JsonObject),
  };
}

export class CrawlState {
  readonly db: Database.Database;

  private readonly statements = new Map<string, Database.Statement>();

  // Preparing is the costly part of a query; every statement is prepared once per connection.
  private stmt(sql: string): Database.Statement {
    let st = this.statements.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      this.statements.set(sql, st);
    }
    return st;
  }

  constructor(readonly path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL'); // WAL + NORMAL survives a killed process; only power loss can drop the last commit
    this.db.pragma('busy_timeout = 10000');
    this.db.exec(SCHEMA);
  }

  // ---- fetch log ----
  logFetch(e: FetchLogEntry): void {
    this.stmt(
        `INSERT INTO fetch_log (url, final_url, method, status, content_type, sha256, size, fetched_at, elapsed_ms, site, run_id, error, via_browser, kind)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(e.url, e.finalUrl, e.method, e.status, e.contentType, e.sha256, e.size, e.fetchedAt, Math.round(e.elapsedMs), e.site, e.runId, e.error, e.viaBrowser ? 1 : 0, e.kind);
  }

  fetchLog(filter: { url?: string; runId?: string } = {}): FetchLogEntry[] {
    const where: string[] = [];
    const args: string[] = [];
    if (filter.url !== undefined) (where.push('url = ?'), args.push(filter.url));
    if (filter.runId !== undefined) (where.push('run_id = ?'), args.push(filter.runId));
    const sql = `SELECT * FROM fetch_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`;
    const rows = this.stmt(sql).all(...args) as Array<Record<string, unknown>>;
    return rows.map((r) => ({
      url: r.url as string,
      finalUrl: r.final_url as string | null,
      method: r.method as string,
      status: r.status as number | null,
      contentType: r.content_type as string | null,
      sha256: r.sha256 as string | null,
      size: r.size as number | null,
      fetchedAt: r.fetched_at as string,
      elapsedMs: r.elapsed_ms as number,
      site: r.site as string | null,
      runId: r.run_id as string | null,
      error: r.error as string | null,
      viaBrowser: r.via_browser === 1,
      kind: r.kind as string | null,
    }));
  }

  // ---- conditional GET / change detection ----
  getValidators(cacheKey: string): CacheValidators | undefined {
    const row = this.stmt('SELECT etag, last_modified, sha256, content_type, final_url FROM validators WHERE cache_key = ?')
      .get(cacheKey) as { etag: string | null; last_modified: string | null; sha256: string | null; content_type: string | null; final_url: string | null } | undefined;
    if (!row) return undefined;
    return { etag: row.etag, lastModified: row.last_modified, sha256: row.sha256, contentType: row.content_type, finalUrl: row.final_url };
  }

  putValidators(cacheKey: string, v: CacheValidators): void {
    this.stmt(
        `INSERT INTO validators (cache_key, etag, last_modified, sha256, content_type, final_url, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(cache_key) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, sha256 = excluded.sha256,
           content_type = excluded.content_type, final_url = excluded.final_url, updated_at = excluded.updated_at`,
      )
      .run(cacheKey, v.etag, v.lastModified, v.sha256, v.contentType, v.finalUrl, now());
  }

  // ---- robots ----
  recordRobotsSkip(url: string, host: string, site: string | null, runId: string | null): void {
    this.stmt('INSERT INTO robots_skips (url, host, site, run_id, skipped_at) VALUES (?, ?, ?, ?, ?)').run(url, host, site, runId, now());
  }

  robotsSkips(runId?: string): Array<{ url: string; host: string; site: string | null }> {
    const sql = `SELECT url, host, site FROM robots_skips ${runId === undefined ? '' : 'WHERE run_id = ?'} ORDER BY id`;
    return this.stmt(sql).all(...(runId === undefined ? [] : [runId])) as Array<{ url: string; host: string; site: string | null }>;
  }

  // ---- hosts: browser flag + cookies ----
  getHost(host: string): HostState | undefined {
    const row = this.stmt('SELECT host, needs_browser, reason, cookies FROM hosts WHERE host = ?').get(host) as
      | { host: string; needs_browser: number; reason: string | null; cookies: string | null }
      | undefined;
    return row && { host: row.host, needsBrowser: row.needs_browser === 1, reason: row.reason, cookies: row.cookies };
  }

  listHosts(): HostState[] {
    const rows = this.stmt('SELECT host, needs_browser, reason, cookies FROM hosts ORDER BY host').all() as Array<{
      host: string;
      needs_browser: number;
      reason: string | null;
      cookies: string | null;
    }>;
    return rows.map((r) => ({ host: r.host, needsBrowser: r.needs_browser === 1, reason: r.reason, cookies: r.cookies }));
  }

  markHostNeedsBrowser(host: string, reason: string): void {
    this.stmt(
        `INSERT INTO hosts (host, needs_browser, reason, updated_at) VALUES (?, 1, ?, ?)
         ON CONFLICT(host) DO UPDATE SET needs_browser = 1, reason = excluded.reason, updated_at = excluded.updated_at`,
      )
      .run(host, reason, now());
  }

  setHostCookies(host: string, cookiesJson: string): void {
    this.stmt(
        `INSERT INTO hosts (host, cookies, updated_at) VALUES (?, ?, ?)
         ON CONFLICT(host) DO UPDATE SET cookies = excluded.cookies, updated_at = excluded.updated_at`,
      )
      .run(host, cookiesJson, now());
  }

  // ---- frontier ----
  /** Queues a URL for a site unless that site has seen it before. Returns the row id and whether it was new. */
  enqueue(site: string, url: string, kind: FrontierKind, meta?: JsonObject): { id: number; added: boolean } {
    const t = now();
    const info = this.stmt(
        `INSERT INTO frontier (site, url, kind, meta, status, created_at, updated_at) VALUES (?, ?, ?, ?, 'pending', ?, ?)
         ON CONFLICT(site, url) DO NOTHING`,
      )
      .run(site, url, kind, meta === undefined ? null : JSON.stringify(meta), t, t);
    if (info.changes === 1) return { id: Number(info.lastInsertRowid), added: true };
    const row = this.stmt('SELECT id FROM frontier WHERE site = ? AND url = ?').get(site, url) as { id: number };
    return { id: row.id, added: false };
  }

  enqueueMany(site: string, items: NewFrontierItem[]): number {
    return this.db.transaction(() => items.filter((i) => this.enqueue(site, i.url, i.kind, i.meta).added).length)();
  }

  /** The oldest pending item of a site (FIFO = breadth first), or undefined when the site is drained. */
  nextPending(site: string): FrontierItem | undefined {
    const row = this.stmt(`SELECT * FROM frontier WHERE site = ? AND status = 'pending' ORDER BY id LIMIT 1`).get(site) as FrontierRow | undefined;
    return row && toItem(row);
  }

  getItem(id: number): FrontierItem | undefined {
    const row = this.stmt('SELECT * FROM frontier WHERE id = ?').get(id) as FrontierRow | undefined;
    return row && toItem(row);
  }

  /**
   * Marks an item done and, in the same transaction, queues what was discovered on it, so a kill
   * between the two can neither lose the children nor re-process the parent.
   */
  markDone(id: number, result?: JsonObject, discovered: NewFrontierItem[] = []): number {
    return this.db.transaction(() => {
      const row = this.stmt('SELECT site FROM frontier WHERE id = ?').get(id) as { site: string } | undefined;
      if (!row) throw new Error(`frontier-unknown-id: no frontier item ${id}`);
      this.db
        .prepare(`UPDATE frontier SET status = 'done', attempts = attempts + 1, error = NULL, result = ?, updated_at = ? WHERE id = ?`)
        .run(result === undefined ? null : JSON.stringify(result), now(), id);
      return discovered.filter((i) => this.enqueue(row.site, i.url, i.kind, i.meta).added).length;
    })();
  }

  markFailed(id: number, error: string): void {
    this.stmt(`UPDATE frontier SET status = 'failed', attempts = attempts + 1, error = ?, updated_at = ? WHERE id = ?`).run(error, now(), id);
  }

  pendingCount(site: string): number {
    return (this.stmt(`SELECT count(*) AS n FROM frontier WHERE site = ? AND status = 'pending'`).get(site) as { n: number }).n;
  }

  frontierCounts(site: string): Record<FrontierStatus, number> {
    const counts: Record<FrontierStatus, number> = { pending: 0, done: 0, failed: 0 };
    const rows = this.stmt('SELECT status, count(*) AS n FROM frontier WHERE site = ? GROUP BY status').all(site) as Array<{ status: FrontierStatus; n: number }>;
    for (const r of rows) counts[r.status] = r.n;
    return counts;
  }

  listFrontier(site: string): FrontierItem[] {
    return (this.stmt('SELECT * FROM frontier WHERE site = ? ORDER BY id').all(site) as FrontierRow[]).map(toItem);
  }

  /** Puts failed items of a site back in the queue (e.g. at the start of a new run). Returns how many. */
  requeueFailed(site: string): number {
    return this.stmt(`UPDATE frontier SET status = 'pending', updated_at = ? WHERE site = ? AND status = 'failed'`).run(now(), site).changes;
  }

  /** Forgets a site's frontier so that a fresh crawl starts over (a finished crawl's state is not a resume point). */
  resetFrontier(site: string): number {
    return this.stmt('DELETE FROM frontier WHERE site = ?').run(site).changes;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

export function openCrawlState(dataDir: string): CrawlState {
  mkdirSync(dataDir, { recursive: true });
  return new CrawlState(join(dataDir, 'crawl.sqlite'));
}

// ---- one crawl per data directory ----
export class LockError extends Error {
  readonly code = 'locked';
  constructor(
    readonly lockPath: string,
    readonly holderPid: number,
  ) {
    super(`locked: another crawl (pid ${holderPid}) is using this data directory (${lockPath})`);
    this.name = 'LockError';
  }
}

export interface CrawlLock {
  path: string;
  release(): void;
}

function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes <dataDir>/crawl.lock (O_EXCL). A lock left by a dead process is taken over; a live holder →
 * LockError. Known limit: two processes that find the same stale lock at the same instant may both
 * remove it, and Node has no flock() to close that gap; crawls start by hand or from one scheduler.
 */
export function acquireLock(dataDir: string): CrawlLock {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'crawl.lock');
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      let released = false;
      return {
        path,
        release() {
          if (released) return;
          released = true;
          try {
            if (readFileSync(path, 'utf8').trim() === String(process.pid)) unlinkSync(path);
          } catch {
            // already gone: nothing to release
          }
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let holder = Number.NaN;
      try {
        holder = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
      } catch {
        continue; // removed between open and read: try again
      }
      if (pidAlive(holder)) throw new LockError(path, holder);
      try {
        unlinkSync(path); // stale lock of a dead process
      } catch {
        // someone else removed it first: try again
      }
    }
  }
  throw new Error(`lock-contended: could not take ${path} after several attempts`);
}
