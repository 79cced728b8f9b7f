/**
 * The nightly tables (schema/migrations/0003_nightly.sql): run history, run issues, what the last
 * walk of each site saw (its listing heads), and the outcome of every report link. Each write is
 * its own transaction; a run killed between two of them leaves state that the next run repairs
 * (a site whose walk was not recorded is walked again).
 */
import type Database from 'better-sqlite3';

export type Severity = 'error' | 'warning';

export interface RunIssue {
  site: string | null;
  code: string;
  severity: Severity;
  message: string;
  url?: string | null;
  reportId?: number | null;
}

export interface Head {
  url: string;
  sha256: string | null;
}

export interface SiteRecord {
  site: string;
  heads: Head[];
  reportLinks: number;
  clean: boolean;
  /** fingerprint of the site.yml the walk used (scout.ts configFingerprint) */
  config: string | null;
  crawledRun: string;
  crawledAt: string;
}

export interface ReportRecord {
  site: string;
  url: string;
  title: string | null;
  listedDate: string | null;
  year: number | null;
  status: string;
  reportId: number | null;
  error: string | null;
  checkedAt: string;
}

export interface SiteRunRecord {
  site: string;
  crawlReason: string | null;
  listings: number;
  reportLinks: number;
  new: number;
  changed: number;
  failed: number;
  extracted: number;
  extractionFailures: number;
}

/** report outcomes that mean "loaded, nothing to fetch again" */
export const LOADED_STATUSES = new Set(['new', 'changed', 'unchanged']);

export class NightlyStore {
  constructor(readonly db: Database.Database) {}

  /** Starts a run; runs left `running` by a killed process become `interrupted`. */
  startRun(runId: string, startedAt: string): void {
    this.db.transaction(() => {
      this.db.prepare(`UPDATE nightly_runs SET status = 'interrupted' WHERE status = 'running'`).run();
      this.db.prepare(`INSERT INTO nightly_runs (id, started_at, status) VALUES (?, ?, 'running')`).run(runId, startedAt);
    })();
  }

  finishRun(runId: string, r: { status: 'ok' | 'needs-attention'; requests: number; snapshot: string | null; summary: unknown; issues: RunIssue[]; sites: SiteRunRecord[] }): void {
    this.db.transaction(() => {
      const insertIssue = this.db.prepare('INSERT INTO run_issues (run_id, site, code, severity, message, url, report_id) VALUES (?, ?, ?, ?, ?, ?, ?)');
      for (const i of r.issues) insertIssue.run(runId, i.site, i.code, i.severity, i.message, i.url ?? null, i.reportId ?? null);
      const insertSite = this.db.prepare(
        `INSERT INTO nightly_site_runs (run_id, site, crawl_reason, listings, report_links, new, changed, failed, extracted, extraction_failures)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const s of r.sites) insertSite.run(runId, s.site, s.crawlReason, s.listings, s.reportLinks, s.new, s.changed, s.failed, s.extracted, s.extractionFailures);
      this.db
        .prepare('UPDATE nightly_runs SET finished_at = ?, status = ?, requests = ?, snapshot = ?, summary = ? WHERE id = ?')
        .run(new Date().toISOString(), r.status, r.requests, r.snapshot, JSON.stringify(r.summary), runId);
    })();
  }

  /** the snapshot directory of the latest run that wrote one */
  lastSnapshot(): string | null {
    const row = this.db.prepare('SELECT snapshot FROM nightly_runs WHERE snapshot IS NOT NULL ORDER BY started_at DESC LIMIT 1').get() as { snapshot: string } | undefined;
    return row?.snapshot ?? null;
  }

  site(site: string): SiteRecord | undefined {
    const row = this.db.prepare('SELECT * FROM nightly_sites WHERE site = ?').get(site) as
      | { site: string; heads: string; report_links: number; clean: number; config: string | null; crawled_run: string; crawled_at: string }
      | undefined;
    return (
      row && { site: row.site, heads: JSON.parse(row.heads) as Head[], reportLinks: row.report_links, clean: row.clean === 1, config: row.config, crawledRun: row.crawled_run, crawledAt: row.crawled_at }
    );
  }

  putSite(r: SiteRecord): void {
    this.db
      .prepare(
        `INSERT INTO nightly_sites (site, heads, report_links, clean, config, crawled_run, crawled_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(site) DO UPDATE SET heads = excluded.heads, report_links = excluded.report_links, clean = excluded.clean,
           config = excluded.config, crawled_run = excluded.crawled_run, crawled_at = excluded.crawled_at`,
      )
      .run(r.site, JSON.stringify(r.heads), r.reportLinks, r.clean ? 1 : 0, r.config, r.crawledRun, r.crawledAt);
  }

  reports(site?: string): ReportRecord[] {
    const rows = this.db.prepare(`SELECT * FROM nightly_reports ${site === undefined ? '' : 'WHERE site = ?'} ORDER BY site, url`).all(...(site === undefined ? [] : [site])) as Array<
      Record<string, unknown>
    >;
    return rows.map((r) => ({
      site: r.site as string,
      url: r.url as string,
      title: r.title as string | null,
      listedDate: r.listed_date as string | null,
      year: r.year as number | null,
      status: r.status as string,
      reportId: r.report_id as number | null,
      error: r.error as string | null,
      checkedAt: r.checked_at as string,
    }));
  }

  /** Records report outcomes; a link found known (not fetched) keeps its earlier outcome and check time. */
  putReports(records: ReportRecord[]): void {
    const upsert = this.db.prepare(
      `INSERT INTO nightly_reports (site, url, title, listed_date, year, status, report_id, error, checked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(site, url) DO UPDATE SET title = excluded.title, listed_date = excluded.listed_date, year = excluded.year, status = excluded.status,
         report_id = excluded.report_id, error = excluded.error, checked_at = excluded.checked_at`,
    );
    this.db.transaction(() => {
      for (const r of records) upsert.run(r.site, r.url, r.title, r.listedDate, r.year, r.status, r.reportId, r.error, r.checkedAt);
    })();
  }

  /** Per-site history of earlier finished runs, newest first. */
  siteHistory(site: string, limit = 10): SiteRunRecord[] {
    const rows = this.db
      .prepare(
        `SELECT s.* FROM nightly_site_runs s JOIN nightly_runs r ON r.id = s.run_id
         WHERE s.site = ? AND r.status IN ('ok', 'needs-attention') ORDER BY r.started_at DESC LIMIT ?`,
      )
      .all(site, limit) as Array<Record<string, unknown>>;
    return rows.map((r) => ({
      site: r.site as string,
      crawlReason: r.crawl_reason as string | null,
      listings: r.listings as number,
      reportLinks: r.report_links as number,
      new: r.new as number,
      changed: r.changed as number,
      failed: r.failed as number,
      extracted: r.extracted as number,
      extractionFailures: r.extraction_failures as number,
    }));
  }
}
