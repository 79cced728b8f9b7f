/**
 * `ogi nightly`: one unattended run.
 *
 *   scout (listing heads, conditional GET) → walk the sites that changed (runCrawl: listings, new or
 *   changed reports and their attachments, archived, extracted, loaded; known reports are not
 *   fetched) → re-extract from the archive what an older extractor read → validate (consistency
 *   failures, cross-year carry-over) → breakage detection → export a snapshot (when the data
 *   changed) → run report (summary.json, summary.md, nightly_runs / run_issues in the database).
 *
 * One run at a time per data directory (<dataDir>/nightly/crawl.lock). A site that fails is a set of
 * issues, never the end of the run. The exit status is non-zero when an issue of severity `error`
 * (something a human must look at) was found.
 *
 * Issue codes besides the breakage codes of breakage.ts —
 *   errors:   walk-failed (a site's walk could not run), column-not-found, export-failed
 *   warnings: listing-failed, report-failed (fetch failed after retries; retried next run),
 *             report-incomplete (loaded without any table, e.g. an attachment missing; retried),
 *             extraction-failed, consistency-failed, carry-over-mismatch (cross-year),
 *             attachment-failed, jpaas-shell, year-mismatch (from the crawl), reextract-not-archived
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getBlob, hasBlob } from '../archive/index.ts';
import { fetcherForSites, type FetchSettings } from '../crawl/fetch/for-sites.ts';
import type { Site } from '../crawl/registry.ts';
import { runCrawl, type CrawlOptions, type CrawlSummary, type ReportMeta } from '../crawl/run.ts';
import { acquireLock, LockError, openCrawlState, type CrawlState, type FrontierItem } from '../crawl/state/index.ts';
import { exportSnapshot } from '../export/snapshot.ts';
import { closeDatabase, openDatabase } from '../load/index.ts';
import { runCrossYearChecks } from '../validate/cross-year.ts';
import { detectBreakage, looksLikeHtml, looksLikePdf } from './breakage.ts';
import { reextractStale } from './reextract.ts';
import { summaryMarkdown } from './report.ts';
import { configFingerprint, dueReports, headsOf, scoutSites, type ScoutResult, type WalkReason } from './scout.ts';
import { LOADED_STATUSES, NightlyStore, type ReportRecord, type RunIssue, type SiteRunRecord } from './store.ts';

export interface NightlyOptions extends FetchSettings {
  sites: Site[];
  dbPath: string;
  /** snapshot directory (default <dataDir>/snapshots) */
  outDir?: string;
  /** a known report is re-checked every `revisitDays`–2×`revisitDays` days (default 30; 0 = every run) */
  revisitDays?: number;
  /** skip the snapshot export (tests that only look at the database) */
  noExport?: boolean;
  now?: Date;
}

export interface SiteReport {
  site: string;
  /** why the site's listings were walked; null when its listing heads were unchanged */
  walked: WalkReason | null;
  listingsSeen: number;
  reportLinks: number;
  new: number;
  changed: number;
  failed: number;
  extractionFailures: number;
  consistencyFailures: number;
}

export interface NightlySummary {
  runId: string;
  startedAt: string;
  finishedAt: string;
  status: 'ok' | 'needs-attention';
  requests: { scout: number; walk: number; total: number };
  sites: SiteReport[];
  reextracted: number;
  crossYear: { compared: number; mismatches: number };
  snapshot: string | null;
  issuesByCode: Record<string, { severity: RunIssue['severity']; count: number }>;
  issues: RunIssue[];
  runDir: string;
}

const SKIP = /^(robots-disallowed|host-not-allowed):/;

interface ReportResult {
  status?: string;
  known?: boolean;
  reportId?: number | null;
  error?: string | null;
  source?: string;
  template?: string | null;
  checksFailed?: number;
  warnings?: Array<{ code: string }>;
}

export function newRunId(now: Date): string {
  return `${now.toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}`;
}

export async function runNightly(opts: NightlyOptions): Promise<NightlySummary> {
  const now = opts.now ?? new Date();
  const lock = acquireLock(join(opts.dataDir, 'nightly'));
  const db = openDatabase(opts.dbPath);
  const store = new NightlyStore(db.$client);
  const runId = newRunId(now);
  const runDir = join(opts.dataDir, 'nightly', 'runs', runId);
  const startedAt = now.toISOString();
  const issues: RunIssue[] = [];
  try {
    store.startRun(runId, startedAt);
    const known = new Map(store.reports().map((r) => [`${r.site}\u0000${r.url}`, r]));
    const due = dueReports([...known.values()].filter((r) => opts.sites.some((s) => s.id === r.site)), opts.revisitDays ?? 30, now);

    // 1. scout
    const scoutFetcher = fetcherForSites(opts.sites, opts, `${runId}-scout`);
    let scouted: ScoutResult[];
    try {
      scouted = await scoutSites(opts.sites, { store, fetcher: scoutFetcher, state: scoutFetcher.state, due });
    } finally {
      await scoutFetcher.close();
    }
    const scoutRequests = scoutFetcher.stats().requests;
    const toWalk = opts.sites.filter((s) => scouted.find((r) => r.site === s.id)?.reason);

    // 2. walk what changed; known reports are not fetched again
    const isKnownReport = (site: string, url: string, meta: ReportMeta): boolean => {
      const key = `${site}\u0000${url}`;
      const r = known.get(key);
      return !!r && LOADED_STATUSES.has(r.status) && !due.has(key) && r.title === meta.title && r.listedDate === (meta.listedDate ?? null);
    };
    const walks = toWalk.length > 0 ? await walkSites(toWalk, opts, isKnownReport, issues) : [];

    // 3. what each site's walk found
    const state = openCrawlState(opts.dataDir);
    const sites: SiteRunRecord[] = [];
    const reports: SiteReport[] = [];
    try {
      const htmlForPdf = pdfsThatArrivedAsHtml(state, walks.map((w) => w.runId), opts.dataDir);
      for (const site of opts.sites) {
        const scout = scouted.find((r) => r.site === site.id) as ScoutResult;
        const previous = store.site(site.id);
        const history = store.siteHistory(site.id);
        const walkSummary = walks.flatMap((w) => w.sites).find((s) => s.site === site.id);
        if (!scout.reason || !walkSummary) {
          const rep: SiteReport = { site: site.id, walked: scout.reason, listingsSeen: scout.headsFetched, reportLinks: previous?.reportLinks ?? 0, new: 0, changed: 0, failed: 0, extractionFailures: 0, consistencyFailures: 0 };
          reports.push(rep);
          sites.push({ site: site.id, crawlReason: scout.reason, listings: rep.listingsSeen, reportLinks: rep.reportLinks, new: 0, changed: 0, failed: 0, extracted: 0, extractionFailures: 0 });
          continue;
        }
        const items = state.frontier.list(site.id);
        const walked = readWalk(site, items, known, now);
        const finished = walkSummary.pending === 0;
        issues.push(...walked.issues);
        for (const w of walkSummary.warnings) {
          if (w.code === 'column-not-found') issues.push({ site: site.id, code: w.code, severity: 'error', message: w.message });
          else if (w.code === 'jpaas-shell' || w.code === 'attachment-failed' || w.code === 'year-mismatch') issues.push({ site: site.id, code: w.code, severity: 'warning', message: w.message, url: w.url ?? null });
        }
        issues.push(
          ...detectBreakage({
            site,
            finished,
            reportLinks: walked.reportLinks,
            years: walked.years,
            extracted: walked.extracted,
            extractionFailures: walked.extractionFailures,
            previousReportLinks: previous ? previous.reportLinks : null,
            history,
            htmlForPdf: htmlForPdf.get(site.id) ?? [],
          }),
        );
        store.putReports(walked.records);
        if (finished) {
          store.putSite({ site: site.id, heads: headsOf(items, state), reportLinks: walked.reportLinks, clean: walked.fetchFailures === 0 && walked.extractionFailures === 0, config: configFingerprint(site), crawledRun: runId, crawledAt: new Date().toISOString() });
        }
        const listingsSeen = items.filter((i) => i.kind !== 'article' && i.status === 'done').length + scout.headsFetched;
        reports.push({ site: site.id, walked: scout.reason, listingsSeen, reportLinks: walked.reportLinks, new: walked.new, changed: walked.changed, failed: walked.fetchFailures, extractionFailures: walked.extractionFailures, consistencyFailures: walked.consistencyFailures });
        sites.push({ site: site.id, crawlReason: scout.reason, listings: listingsSeen, reportLinks: walked.reportLinks, new: walked.new, changed: walked.changed, failed: walked.fetchFailures, extracted: walked.extracted, extractionFailures: walked.extractionFailures });
      }
    } finally {
      state.close();
    }

    // 4. re-extraction of what an older extractor read, from the archive
    const re = await reextractStale(db, opts.dataDir);
    issues.push(...re.issues);

    // 5. cross-year checks over the whole database
    const cross = runCrossYearChecks(db.$client);
    for (const m of cross.mismatches) {
      issues.push({
        site: null,
        code: 'carry-over-mismatch',
        severity: 'warning',
        message: `${m.agency} ${m.year} 上年结转 (${m.applicant}) = ${m.carriedOver}, but its ${m.year - 1} 结转下年度 = ${m.previousCarriedForward}`,
        reportId: m.reportId,
      });
    }

    // 6. snapshot, when the data changed (or there is none yet)
    const changed = reports.some((r) => r.new + r.changed > 0) || re.reextracted > 0;
    let snapshot: string | null = null;
    if (!opts.noExport && (changed || !store.lastSnapshot())) {
      try {
        snapshot = (await exportSnapshot(opts.dbPath, { outDir: opts.outDir ?? join(opts.dataDir, 'snapshots'), now })).dir;
      } catch (e) {
        issues.push({ site: null, code: 'export-failed', severity: 'error', message: (e as Error).message });
      }
    }

    // 7. run report
    const walkRequests = walks.reduce((n, w) => n + w.requests, 0);
    const summary: NightlySummary = {
      runId,
      startedAt,
      finishedAt: new Date().toISOString(),
      status: issues.some((i) => i.severity === 'error') ? 'needs-attention' : 'ok',
      requests: { scout: scoutRequests, walk: walkRequests, total: scoutRequests + walkRequests },
      sites: reports,
      reextracted: re.reextracted,
      crossYear: { compared: cross.compared, mismatches: cross.mismatches.length },
      snapshot,
      issuesByCode: byCode(issues),
      issues,
      runDir,
    };
    mkdirSync(runDir, { recursive: true });
    writeFileSync(join(runDir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
    writeFileSync(join(runDir, 'summary.md'), summaryMarkdown(summary));
    store.finishRun(runId, { status: summary.status, requests: summary.requests.total, snapshot, summary, issues, sites });
    return summary;
  } finally {
    closeDatabase(db);
    lock.release();
  }
}

function byCode(issues: RunIssue[]): NightlySummary['issuesByCode'] {
  const out: NightlySummary['issuesByCode'] = {};
  for (const i of issues) {
    const e = (out[i.code] ??= { severity: i.severity, count: 0 });
    e.count++;
    if (i.severity === 'error') e.severity = 'error';
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

interface WalkFindings {
  records: ReportRecord[];
  issues: RunIssue[];
  reportLinks: number;
  years: number[];
  new: number;
  changed: number;
  extracted: number;
  extractionFailures: number;
  consistencyFailures: number;
  fetchFailures: number;
}

/** Reads a site's frontier after its walk: report outcomes, failures to retry, what to record. */
function readWalk(site: Site, items: FrontierItem[], known: Map<string, ReportRecord>, now: Date): WalkFindings {
  const f: WalkFindings = { records: [], issues: [], reportLinks: 0, years: [], new: 0, changed: 0, extracted: 0, extractionFailures: 0, consistencyFailures: 0, fetchFailures: 0 };
  const checkedAt = now.toISOString();
  for (const it of items) {
    if (it.kind !== 'article') {
      if (it.status === 'failed') {
        f.fetchFailures++;
        f.issues.push({ site: site.id, code: 'listing-failed', severity: 'warning', message: `${it.error ?? 'failed'} (retried next run)`, url: it.url });
      }
      continue;
    }
    const meta = (it.meta ?? {}) as Partial<ReportMeta>;
    f.reportLinks++;
    if (typeof meta.year === 'number') f.years.push(meta.year);
    if (it.status === 'pending') continue;
    const base = { site: site.id, url: it.url, title: meta.title ?? null, listedDate: meta.listedDate ?? null, year: meta.year ?? null, checkedAt };
    if (it.status === 'failed') {
      const skipped = SKIP.test(it.error ?? '');
      f.records.push({ ...base, status: skipped ? 'skipped' : 'failed', reportId: null, error: it.error });
      if (!skipped) {
        f.fetchFailures++;
        f.issues.push({ site: site.id, code: 'report-failed', severity: 'warning', message: `${it.error ?? 'failed'} (retried next run)`, url: it.url });
      }
      continue;
    }
    const r = (it.result ?? {}) as ReportResult;
    if (r.known) {
      const before = known.get(`${site.id}\u0000${it.url}`);
      if (before) f.records.push(before);
      continue;
    }
    f.extracted++;
    const status = r.status ?? 'failed';
    // loaded without any table, or without one of its attachments: fetched again next run
    const incomplete = status !== 'failed' && (r.template === 'unknown' || (r.warnings ?? []).some((w) => w.code === 'attachment-failed'));
    f.records.push({ ...base, status: incomplete ? 'incomplete' : status, reportId: r.reportId ?? null, error: r.error ?? null });
    if (incomplete) {
      f.fetchFailures++;
      f.issues.push({ site: site.id, code: 'report-incomplete', severity: 'warning', message: 'no report table was read from the page or its attachments (retried next run)', url: it.url, reportId: r.reportId ?? null });
    }
    if (status === 'new') f.new++;
    if (status === 'changed') f.changed++;
    if (status === 'failed') {
      f.extractionFailures++;
      f.issues.push({ site: site.id, code: 'extraction-failed', severity: 'warning', message: r.error ?? 'extraction failed', url: r.source ?? it.url, reportId: r.reportId ?? null });
    } else if ((r.checksFailed ?? 0) > 0 && status !== 'unchanged') {
      f.consistencyFailures++;
      f.issues.push({ site: site.id, code: 'consistency-failed', severity: 'warning', message: `${r.checksFailed} consistency rule(s) failed`, url: r.source ?? it.url, reportId: r.reportId ?? null });
    }
  }
  return f;
}

/**
 * Walks the sites in one crawl. A crawl that fails as a whole (a site's crawler.ts does not load,
 * its adapter throws at the start) is retried site by site, so that one broken site stops only itself.
 */
async function walkSites(sites: Site[], opts: NightlyOptions, isKnownReport: CrawlOptions['isKnownReport'], issues: RunIssue[]): Promise<CrawlSummary[]> {
  try {
    return [
      await runCrawl({
        sites,
        dataDir: opts.dataDir,
        dbPath: opts.dbPath,
        ...(opts.via ? { via: opts.via } : {}),
        ...(opts.delayMs !== undefined ? { delayMs: opts.delayMs } : {}),
        ...(opts.fetch ? { fetch: opts.fetch } : {}),
        browser: opts.browser ?? 'auto',
        ...(isKnownReport ? { isKnownReport } : {}),
      }),
    ];
  } catch (e) {
    if (sites.length === 1 || e instanceof LockError) {
      issues.push({ site: sites.length === 1 ? (sites[0] as Site).id : null, code: 'walk-failed', severity: 'error', message: (e as Error).message });
      return [];
    }
    const out: CrawlSummary[] = [];
    for (const s of sites) out.push(...(await walkSites([s], opts, isKnownReport, issues)));
    return out;
  }
}

/** Attachments of the walks that were linked as PDFs and arrived as HTML pages, per site. */
function pdfsThatArrivedAsHtml(state: CrawlState, walkRunIds: string[], dataDir: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const e of walkRunIds.flatMap((runId) => state.fetchLog.entries({ runId }))) {
    if (e.kind !== 'attachment' || e.status !== 200 || !e.sha256 || !e.site || !looksLikePdf(e.url)) continue;
    if (!hasBlob(dataDir, e.sha256) || !looksLikeHtml(getBlob(dataDir, e.sha256), e.contentType)) continue;
    const list = out.get(e.site) ?? [];
    if (!list.includes(e.url)) list.push(e.url);
    out.set(e.site, list);
  }
  return out;
}
