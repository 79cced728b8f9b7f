/**
 * The nightly tables (schema/tables.ts, created by migrations 0003–0004): run history, run issues, what the last
 * walk of each site saw (its listing heads), and the outcome of every report link. Each write is
 * its own transaction; a run killed between two of them leaves state that the next run repairs
 * (a site whose walk was not recorded is walked again).
 */
import { and, desc, eq, getTableColumns, inArray, isNotNull } from 'drizzle-orm';
import { nightlyReports, nightlyRuns, nightlySiteRuns, nightlySites, runIssues } from '../../schema/tables.ts';
import type { Head } from '../crawl/run.ts';
import type { OgiDatabase } from '../load/index.ts';

export type Severity = 'error' | 'warning';

export interface RunIssue {
  site: string | null;
  code: string;
  severity: Severity;
  message: string;
  url?: string | null;
  reportId?: number | null;
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
  constructor(readonly db: OgiDatabase) {}

  /** Starts a run; runs left `running` by a killed process become `interrupted`. */
  startRun(runId: string, startedAt: string): void {
    this.db.transaction((tx) => {
      tx.update(nightlyRuns).set({ status: 'interrupted' }).where(eq(nightlyRuns.status, 'running')).run();
      tx.insert(nightlyRuns).values({ id: runId, startedAt, status: 'running' }).run();
    });
  }

  finishRun(runId: string, r: { status: 'ok' | 'needs-attention'; requests: number; snapshot: string | null; summary: unknown; issues: RunIssue[]; sites: SiteRunRecord[] }): void {
    this.db.transaction((tx) => {
      for (const i of r.issues) {
        tx.insert(runIssues).values({ runId, site: i.site, code: i.code, severity: i.severity, message: i.message, url: i.url ?? null, reportId: i.reportId ?? null }).run();
      }
      for (const s of r.sites) tx.insert(nightlySiteRuns).values({ runId, ...s }).run();
      tx.update(nightlyRuns)
        .set({ finishedAt: new Date().toISOString(), status: r.status, requests: r.requests, snapshot: r.snapshot, summary: JSON.stringify(r.summary) })
        .where(eq(nightlyRuns.id, runId))
        .run();
    });
  }

  /** the snapshot directory of the latest run that wrote one */
  lastSnapshot(): string | null {
    const row = this.db.select({ snapshot: nightlyRuns.snapshot }).from(nightlyRuns).where(isNotNull(nightlyRuns.snapshot)).orderBy(desc(nightlyRuns.startedAt)).limit(1).get();
    return row?.snapshot ?? null;
  }

  site(site: string): SiteRecord | undefined {
    const row = this.db.select().from(nightlySites).where(eq(nightlySites.site, site)).get();
    return row && { site: row.site, heads: JSON.parse(row.heads) as Head[], reportLinks: row.reportLinks, clean: row.clean, config: row.config, crawledRun: row.crawledRun, crawledAt: row.crawledAt };
  }

  putSite(r: SiteRecord): void {
    const values = { ...r, heads: JSON.stringify(r.heads) };
    this.db.insert(nightlySites).values(values).onConflictDoUpdate({ target: nightlySites.site, set: values }).run();
  }

  reports(site?: string): ReportRecord[] {
    const query = this.db.select().from(nightlyReports);
    return (site === undefined ? query : query.where(eq(nightlyReports.site, site))).orderBy(nightlyReports.site, nightlyReports.url).all();
  }

  /** Records report outcomes; a link found known (not fetched) keeps its earlier outcome and check time. */
  putReports(records: ReportRecord[]): void {
    this.db.transaction((tx) => {
      for (const r of records) tx.insert(nightlyReports).values(r).onConflictDoUpdate({ target: [nightlyReports.site, nightlyReports.url], set: r }).run();
    });
  }

  /** Per-site history of earlier finished runs, newest first. */
  siteHistory(site: string, limit = 10): SiteRunRecord[] {
    const { runId: _run, ...columns } = getTableColumns(nightlySiteRuns);
    return this.db
      .select(columns)
      .from(nightlySiteRuns)
      .innerJoin(nightlyRuns, eq(nightlyRuns.id, nightlySiteRuns.runId))
      .where(and(eq(nightlySiteRuns.site, site), inArray(nightlyRuns.status, ['ok', 'needs-attention'])))
      .orderBy(desc(nightlyRuns.startedAt))
      .limit(limit)
      .all();
  }
}
