/**
 * What the fetch layer did: every exchange (or refusal before one) and every URL robots.txt kept
 * us from, each written when it happens so a killed crawl leaves a complete record.
 */
import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import { fetchLog, robotsSkips } from '../../../schema/crawl/tables.ts';
import { type CrawlDatabase, now } from './database.ts';

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

export interface RobotsSkip {
  url: string;
  host: string;
  site: string | null;
}

const entryColumns = {
  url: fetchLog.url,
  finalUrl: fetchLog.finalUrl,
  method: fetchLog.method,
  status: fetchLog.status,
  contentType: fetchLog.contentType,
  sha256: fetchLog.sha256,
  size: fetchLog.size,
  fetchedAt: fetchLog.fetchedAt,
  elapsedMs: fetchLog.elapsedMs,
  site: fetchLog.site,
  runId: fetchLog.runId,
  error: fetchLog.error,
  viaBrowser: fetchLog.viaBrowser,
  kind: fetchLog.kind,
};

const p = sql.placeholder;

export class FetchLog {
  // one row per request: prepared once per connection
  private readonly insert;

  constructor(private readonly db: CrawlDatabase) {
    this.insert = db
      .insert(fetchLog)
      .values({
        url: p('url'),
        finalUrl: p('finalUrl'),
        method: p('method'),
        status: p('status'),
        contentType: p('contentType'),
        sha256: p('sha256'),
        size: p('size'),
        fetchedAt: p('fetchedAt'),
        elapsedMs: p('elapsedMs'),
        site: p('site'),
        runId: p('runId'),
        error: p('error'),
        viaBrowser: p('viaBrowser'),
        kind: p('kind'),
      })
      .prepare();
  }

  record(e: FetchLogEntry): void {
    this.insert.run({ ...e, elapsedMs: Math.round(e.elapsedMs) });
  }

  entries(filter: { url?: string; runId?: string } = {}): FetchLogEntry[] {
    const where: SQL[] = [];
    if (filter.url !== undefined) where.push(eq(fetchLog.url, filter.url));
    if (filter.runId !== undefined) where.push(eq(fetchLog.runId, filter.runId));
    return this.db.select(entryColumns).from(fetchLog).where(and(...where)).orderBy(asc(fetchLog.id)).all();
  }

  /**
   * The entries of each site's latest run (a run that crawled several sites is taken whole): what
   * `ogi crawl --plan` learns from, without reading the history of every night before.
   */
  latestRunEntries(): FetchLogEntry[] {
    const latestRuns = sql`SELECT DISTINCT f.run_id FROM fetch_log f
      WHERE f.fetched_at = (SELECT max(g.fetched_at) FROM fetch_log g WHERE g.site IS f.site)`;
    return this.db.select(entryColumns).from(fetchLog).where(sql`${fetchLog.runId} IN (${latestRuns})`).orderBy(asc(fetchLog.id)).all();
  }

  recordRobotsSkip(url: string, host: string, site: string | null, runId: string | null): void {
    this.db.insert(robotsSkips).values({ url, host, site, runId, skippedAt: now() }).run();
  }

  robotsSkips(runId?: string): RobotsSkip[] {
    return this.db
      .select({ url: robotsSkips.url, host: robotsSkips.host, site: robotsSkips.site })
      .from(robotsSkips)
      .where(runId === undefined ? undefined : eq(robotsSkips.runId, runId))
      .orderBy(asc(robotsSkips.id))
      .all();
  }
}
