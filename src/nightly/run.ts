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
 *   errors:   walk-failed (a site's walk could not run), column-not-found, export-failed,
 *             blocked (a host answered block pages even to the browser: its message names the host)
 *   warnings: listing-failed, report-failed (fetch failed after retries; retried next run),
 *             report-incomplete (loaded without any table, e.g. an attachment missing; retried),
 *             extraction-failed, consistency-failed, carry-over-mismatch (cross-year),
 *             attachment-failed, jpaas-shell, year-mismatch (from the crawl), reextract-not-archived,
 *             report-missing (a finished walk: a year of expect.years whose report is due and that no
 *             report link of the walk nor any report known before has; breakage.ts missingReports)
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fetcherForSites, type FetchSettings } from '../crawl/fetch/for-sites.ts';
import type { Site } from '../crawl/registry.ts';
import { reportStatus, runCrawl, type CrawlOptions, type CrawlSummary, type ReportLinkResult, type ReportMeta, type SiteSummary } from '../crawl/run.ts';
import { acquireLock, LockError } from '../crawl/state/index.ts';
import { exportSnapshot } from '../export/snapshot.ts';
import { buildSite } from '../site/build.ts';
import { reextractStale } from '../ingest/index.ts';
import { closeDatabase, openDatabase, type OgiDatabase } from '../load/index.ts';
import { runCrossYearChecks } from '../validate/cross-year.ts';
import { detectBreakage, missingReports } from './breakage.ts';
import { summaryMarkdown } from './report.ts';
import { configFingerprint, dueReports, scoutSites, type ScoutResult } from './scout.ts';
import { LOADED_STATUSES, NightlyStore, type ReportRecord, type RunIssue, type SiteRunRecord } from './store.ts';
import type { NightlySummary, SiteReport } from './summary.ts';

export type { NightlySummary, SiteReport } from './summary.ts';

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

export function newRunId(now: Date): string {
  return `${now.toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}`;
}

/** One run's working set: what every step reads and adds to. */
interface Run {
  opts: NightlyOptions;
  now: Date;
  runId: string;
  db: OgiDatabase;
  store: NightlyStore;
  /** what earlier runs recorded of each report link, by site NUL url */
  known: Map<string, ReportRecord>;
  /** known links due for a revisit */
  due: Set<string>;
  issues: RunIssue[];
}

const linkKey = (site: string, url: string): string => `${site}\u0000${url}`;

export async function runNightly(opts: NightlyOptions): Promise<NightlySummary> {
  const now = opts.now ?? new Date();
  const lock = acquireLock(join(opts.dataDir, 'nightly'));
  const db = openDatabase(opts.dbPath);
  const store = new NightlyStore(db);
  const runId = newRunId(now);
  const startedAt = now.toISOString();
  try {
    store.startRun(runId, startedAt);
    const known = new Map(store.reports().map((r) => [linkKey(r.site, r.url), r]));
    const due = dueReports([...known.values()].filter((r) => opts.sites.some((s) => s.id === r.site)), opts.revisitDays ?? 30, now);
    const run: Run = { opts, now, runId, db, store, known, due, issues: [] };

    const scouted = await scout(run);
    const walks = await walk(run, opts.sites.filter((s) => scouted.results.find((r) => r.site === s.id)?.reason));
    const sites = opts.sites.map((site) => recordSite(run, site, scouted.results.find((r) => r.site === site.id) as ScoutResult, walks));
    const reextracted = await reextract(run);
    const crossYear = checkCarryOvers(run);
    const snapshot = await writeSnapshot(run, sites.some((s) => s.report.new + s.report.changed > 0) || reextracted > 0);

    const walkRequests = walks.reduce((n, w) => n + w.requests, 0);
    const summary: NightlySummary = {
      runId,
      startedAt,
      finishedAt: new Date().toISOString(),
      status: run.issues.some((i) => i.severity === 'error') ? 'needs-attention' : 'ok',
      requests: { scout: scouted.requests, walk: walkRequests, total: scouted.requests + walkRequests },
      sites: sites.map((s) => s.report),
      reextracted,
      crossYear,
      snapshot,
      issuesByCode: byCode(run.issues),
      issues: run.issues,
      runDir: join(opts.dataDir, 'nightly', 'runs', runId),
    };
    writeRunReport(summary);
    store.finishRun(runId, { status: summary.status, requests: summary.requests.total, snapshot, summary, issues: run.issues, sites: sites.map((s) => s.record) });
    return summary;
  } finally {
    closeDatabase(db);
    lock.release();
  }
}

/** 1. Which sites must be walked tonight (listing heads with conditional GETs). */
async function scout(run: Run): Promise<{ results: ScoutResult[]; requests: number }> {
  const fetcher = fetcherForSites(run.opts.sites, run.opts, `${run.runId}-scout`);
  try {
    const results = await scoutSites(run.opts.sites, { store: run.store, fetcher, state: fetcher.state, due: run.due });
    return { results, requests: fetcher.stats().requests };
  } finally {
    await fetcher.close();
  }
}

/** 2. Walks what changed; reports already loaded (and not due) are not fetched again. */
async function walk(run: Run, sites: Site[]): Promise<CrawlSummary[]> {
  if (sites.length === 0) return [];
  const isKnownReport = (site: string, url: string, meta: ReportMeta): boolean => {
    const key = linkKey(site, url);
    const r = run.known.get(key);
    return !!r && LOADED_STATUSES.has(r.status) && !run.due.has(key) && r.title === meta.title && r.listedDate === (meta.listedDate ?? null);
  };
  return walkSites(sites, run.opts, isKnownReport, run.issues);
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

/** crawl warnings that become run issues, with their severity */
const CRAWL_WARNINGS: Record<string, RunIssue['severity']> = { 'column-not-found': 'error', blocked: 'error', 'jpaas-shell': 'warning', 'attachment-failed': 'warning', 'year-mismatch': 'warning' };

/** 3. What a site's walk found: its report records, issues, breakage, and its heads for the next scout. */
function recordSite(run: Run, site: Site, scouted: ScoutResult, walks: CrawlSummary[]): { report: SiteReport; record: SiteRunRecord } {
  const previous = run.store.site(site.id);
  const walkSummary = walks.flatMap((w) => w.sites).find((s) => s.site === site.id);
  if (!scouted.reason || !walkSummary) {
    const report: SiteReport = { site: site.id, walked: scouted.reason, listingsSeen: scouted.headsFetched, reportLinks: previous?.reportLinks ?? 0, new: 0, changed: 0, failed: 0, extractionFailures: 0, consistencyFailures: 0 };
    return { report, record: { site: site.id, crawlReason: scouted.reason, listings: report.listingsSeen, reportLinks: report.reportLinks, new: 0, changed: 0, failed: 0, extracted: 0, extractionFailures: 0 } };
  }
  const walked = readWalk(site, walkSummary, run.known, run.now);
  const finished = walkSummary.pending === 0;
  run.issues.push(...walked.issues);
  for (const w of walkSummary.warnings) {
    const severity = CRAWL_WARNINGS[w.code];
    if (severity === 'error') run.issues.push({ site: site.id, code: w.code, severity, message: w.message });
    else if (severity) run.issues.push({ site: site.id, code: w.code, severity, message: w.message, url: w.url ?? null });
  }
  const htmlForPdf = [...new Set(walkSummary.warnings.filter((w) => w.code === 'pdf-arrived-as-html').map((w) => w.url ?? ''))];
  run.issues.push(
    ...detectBreakage({
      site,
      finished,
      reportLinks: walked.reportLinks,
      years: walked.years,
      extracted: walked.extracted,
      extractionFailures: walked.extractionFailures,
      previousReportLinks: previous ? previous.reportLinks : null,
      history: run.store.siteHistory(site.id),
      htmlForPdf,
    }),
  );
  if (finished) {
    const knownYears = [...run.known.values()].filter((r) => r.site === site.id && r.year !== null).map((r) => r.year as number);
    run.issues.push(...missingReports(site, [...walked.years, ...knownYears], run.now));
  }
  run.store.putReports(walked.records);
  if (finished) {
    run.store.putSite({ site: site.id, heads: walkSummary.heads, reportLinks: walked.reportLinks, clean: walked.fetchFailures === 0 && walked.extractionFailures === 0, config: configFingerprint(site), crawledRun: run.runId, crawledAt: new Date().toISOString() });
  }
  const listingsSeen = walkSummary.listings + scouted.headsFetched;
  const report: SiteReport = { site: site.id, walked: scouted.reason, listingsSeen, reportLinks: walked.reportLinks, new: walked.new, changed: walked.changed, failed: walked.fetchFailures, extractionFailures: walked.extractionFailures, consistencyFailures: walked.consistencyFailures };
  return { report, record: { site: site.id, crawlReason: scouted.reason, listings: listingsSeen, reportLinks: walked.reportLinks, new: walked.new, changed: walked.changed, failed: walked.fetchFailures, extracted: walked.extracted, extractionFailures: walked.extractionFailures } };
}

/** 4. Re-extraction of what an older extractor read, from the archive. */
async function reextract(run: Run): Promise<number> {
  const re = await reextractStale(run.db, run.opts.dataDir);
  for (const n of re.notArchived) {
    run.issues.push({ site: null, code: 'reextract-not-archived', severity: 'warning', message: `document ${n.sha256.slice(0, 12)} is not in the archive`, url: n.url, reportId: n.reportId });
  }
  return re.reextracted;
}

/** 5. Cross-year checks over the whole database: 上年结转 against the previous year's 结转下年度. */
function checkCarryOvers(run: Run): NightlySummary['crossYear'] {
  const cross = runCrossYearChecks(run.db.$client);
  for (const m of cross.mismatches) {
    run.issues.push({
      site: null,
      code: 'carry-over-mismatch',
      severity: 'warning',
      message: `${m.agency} ${m.year} 上年结转 (${m.applicant}) = ${m.carriedOver}, but its ${m.year - 1} 结转下年度 = ${m.previousCarriedForward}`,
      reportId: m.reportId,
    });
  }
  return { compared: cross.compared, mismatches: cross.mismatches.length };
}

/** 6. A snapshot, when the data changed (or there is none yet), published with its website. */
async function writeSnapshot(run: Run, changed: boolean): Promise<string | null> {
  if (run.opts.noExport || !(changed || !run.store.lastSnapshot())) return null;
  let dir: string;
  try {
    const result = await exportSnapshot(run.opts.dbPath, { outDir: run.opts.outDir ?? join(run.opts.dataDir, 'snapshots'), now: run.now });
    if (result.unchanged) return null;
    dir = result.dir;
  } catch (e) {
    run.issues.push({ site: null, code: 'export-failed', severity: 'error', message: (e as Error).message });
    return null;
  }
  // the website is a view of the snapshot (ogi site rebuilds it): without it the snapshot still stands
  try {
    const site = await buildSite(dir, { archiveDirs: [...new Set([run.opts.dataDir, dirname(run.opts.dbPath)])] });
    if (site.sourcesMissing > 0) {
      run.issues.push({ site: null, code: 'site-sources-missing', severity: 'warning', message: `the website of ${dir} lacks ${site.sourcesMissing} source documents that are not in the archive` });
    }
  } catch (e) {
    run.issues.push({ site: null, code: 'site-failed', severity: 'warning', message: `the website of ${dir} was not written: ${(e as Error).message}` });
  }
  return dir;
}

/** 7. The run report beside the database rows: summary.json and summary.md. */
function writeRunReport(summary: NightlySummary): void {
  mkdirSync(summary.runDir, { recursive: true });
  writeFileSync(join(summary.runDir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  writeFileSync(join(summary.runDir, 'summary.md'), summaryMarkdown(summary));
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

/** Reads a site's walk: report outcomes, failures to retry, what to record. */
function readWalk(site: Site, walked: SiteSummary, known: Map<string, ReportRecord>, now: Date): WalkFindings {
  const f: WalkFindings = { records: [], issues: [], reportLinks: 0, years: [], new: 0, changed: 0, extracted: 0, extractionFailures: 0, consistencyFailures: 0, fetchFailures: 0 };
  for (const w of walked.warnings) {
    if (w.code !== 'listing-failed') continue;
    f.fetchFailures++;
    f.issues.push({ site: site.id, code: 'listing-failed', severity: 'warning', message: `${w.message || 'failed'} (retried next run)`, url: w.url ?? null });
  }
  for (const link of walked.links) {
    f.reportLinks++;
    if (link.year !== null) f.years.push(link.year);
    if (link.state === 'pending') continue;
    if (link.state === 'known') {
      const before = known.get(linkKey(site.id, link.url));
      if (before) f.records.push(before);
      continue;
    }
    readLink(site, link, f, now.toISOString());
  }
  return f;
}

/** One report link that was fetched (or failed to be) this walk. */
function readLink(site: Site, link: ReportLinkResult, f: WalkFindings, checkedAt: string): void {
  const base = { site: site.id, url: link.url, title: link.title, listedDate: link.listedDate, year: link.year, checkedAt };
  if (link.state === 'failed' || link.state === 'skipped') {
    f.records.push({ ...base, status: link.state, reportId: null, error: link.error });
    if (link.state === 'failed') {
      f.fetchFailures++;
      f.issues.push({ site: site.id, code: 'report-failed', severity: 'warning', message: `${link.error ?? 'failed'} (retried next run)`, url: link.url });
    }
    return;
  }
  const o = link.outcome;
  f.extracted++;
  const status = reportStatus(link) ?? 'failed';
  const reportId = o?.reportId ?? null;
  // loaded without any table, or without one of its attachments: fetched again next run
  const incomplete = status !== 'failed' && (o?.template === 'unknown' || link.warnings.some((w) => w.code === 'attachment-failed'));
  f.records.push({ ...base, status: incomplete ? 'incomplete' : status, reportId, error: o?.error ?? null });
  if (incomplete) {
    f.fetchFailures++;
    f.issues.push({ site: site.id, code: 'report-incomplete', severity: 'warning', message: 'no report table was read from the page or its attachments (retried next run)', url: link.url, reportId });
  }
  if (status === 'new') f.new++;
  if (status === 'changed') f.changed++;
  if (status === 'failed') {
    f.extractionFailures++;
    f.issues.push({ site: site.id, code: 'extraction-failed', severity: 'warning', message: o?.error ?? 'extraction failed', url: o?.source ?? link.url, reportId });
  } else if ((o?.checksFailed ?? 0) > 0 && status !== 'unchanged') {
    f.consistencyFailures++;
    f.issues.push({ site: site.id, code: 'consistency-failed', severity: 'warning', message: `${o?.checksFailed} consistency rule(s) failed`, url: o?.source ?? link.url, reportId });
  }
}
