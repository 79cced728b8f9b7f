/** Shared by the nightly tests: temp dirs, a nightly run against a replay URL, database dumps. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { loadSites, selectSites } from '../../src/crawl/registry.ts';
import { runNightly, type NightlyOptions, type NightlySummary } from '../../src/nightly/run.ts';

const dirs: string[] = [];
export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'ogi-nightly-'));
  dirs.push(d);
  return d;
}
export function removeTempDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** Fetch settings that keep fault tests fast: no politeness delay, short timeouts, quick retries. */
export const FAST_FETCH = { timeoutMs: 1500, maxRetries: 2, retryBaseMs: 10, maxBodyBytes: 4 * 1024 * 1024, jitter: 0 };

export function nightly(dir: string, replay: string, ids: string[], extra: Partial<NightlyOptions> = {}): Promise<NightlySummary> {
  return runNightly({
    sites: selectSites(loadSites(), ids),
    dataDir: dir,
    dbPath: join(dir, 'ogi.sqlite'),
    via: replay,
    delayMs: 0,
    browser: 'never',
    fetch: FAST_FETCH,
    ...extra,
  });
}

/** The loaded content in a canonical form: reports with source and sums of every table, agencies, documents. */
export function dump(dbPath: string): string[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    const reports = db
      .prepare(
        `SELECT a.name, r.year, r.template, r.version, r.is_current, r.ok, r.error, d.url, d.sha256,
          (SELECT count(*) || ':' || coalesce(sum(value), 0) FROM table2_cells WHERE report_id = r.id) AS t2,
          (SELECT count(*) || ':' || coalesce(sum(value), 0) FROM table3_cells WHERE report_id = r.id) AS t3,
          (SELECT count(*) || ':' || coalesce(sum(value), 0) FROM table4_cells WHERE report_id = r.id) AS t4,
          (SELECT count(*) FROM checks WHERE report_id = r.id) AS checks,
          (SELECT count(*) FROM report_texts WHERE report_id = r.id) AS texts
         FROM reports r JOIN documents d ON d.id = r.document_id LEFT JOIN agencies a ON a.id = r.agency_id`,
      )
      .all() as Record<string, unknown>[];
    const agencies = db.prepare('SELECT name, region_code, level FROM agencies ORDER BY name').all();
    const docs = db.prepare('SELECT sha256, url, media_type, size FROM documents ORDER BY sha256').all();
    return [...reports.map((r) => JSON.stringify(r)).sort(), JSON.stringify(agencies), JSON.stringify(docs)];
  } finally {
    db.close();
  }
}

export function query<T>(dbPath: string, sql: string, ...args: unknown[]): T[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare(sql).all(...args) as T[];
  } finally {
    db.close();
  }
}
