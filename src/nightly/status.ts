/**
 * `ogi status`: what the database holds, however it was loaded (`ogi load`, `ogi crawl`,
 * `ogi nightly`) — current reports per agency × year, with their tables and failed checks — and,
 * when nightly runs have written to it, coverage per site × year (report links loaded / found),
 * the last run and the last successful one, and the issues of the last run. When the database has
 * the gazetteer (the regions table), county coverage per city × year: county-level units with a
 * current report / all that existed that year.
 */
import type Database from 'better-sqlite3';
import { formatTable } from '../query/format.ts';

export interface StatusReport {
  /** every report loaded, however: current reports, superseded versions, documents that could not be read */
  reports: { current: number; agencies: number; superseded: number; failed: number; firstYear: number | null; lastYear: number | null };
  /** current reports per agency × year (from the reports table) */
  loaded: Array<{ agency: string | null; region: string | null; level: string | null; year: number | null; template: string; checksFailed: number }>;
  /** report links loaded / found per site × year (nightly runs only) */
  coverage: Array<{ site: string; year: number | null; loaded: number; links: number }>;
  /** county-level units with a current report / all, per city (and the whole province) × year; empty without the gazetteer */
  regionCoverage: Array<{ region: string; name: string | null; year: number; withReport: number; units: number }>;
  lastRun: { id: string; status: string; startedAt: string; finishedAt: string | null } | null;
  lastSuccessfulRun: { id: string; startedAt: string; finishedAt: string | null } | null;
  openIssues: Array<{ site: string | null; code: string; severity: string; message: string; url: string | null }>;
}

export function readStatus(db: Database.Database): StatusReport {
  const reports = db
    .prepare(
      `SELECT coalesce(sum(is_current = 1), 0) AS current,
              count(DISTINCT CASE WHEN is_current = 1 THEN agency_id END) AS agencies,
              coalesce(sum(ok = 1 AND is_current = 0), 0) AS superseded,
              coalesce(sum(ok = 0), 0) AS failed,
              min(CASE WHEN is_current = 1 THEN year END) AS firstYear,
              max(CASE WHEN is_current = 1 THEN year END) AS lastYear
       FROM reports`,
    )
    .get() as StatusReport['reports'];
  const loaded = db
    .prepare(
      `SELECT a.name AS agency, a.region_code AS region, a.level AS level, r.year AS year, r.template AS template,
              (SELECT count(*) FROM checks c WHERE c.report_id = r.id AND c.passed = 0) AS checksFailed
       FROM reports r LEFT JOIN agencies a ON a.id = r.agency_id
       WHERE r.is_current = 1
       ORDER BY a.region_code, a.name, r.year`,
    )
    .all() as StatusReport['loaded'];
  const coverage = db
    .prepare(
      `SELECT site, year, sum(status IN ('new', 'changed', 'unchanged')) AS loaded, count(*) AS links
       FROM nightly_reports GROUP BY site, year ORDER BY site, year`,
    )
    .all() as StatusReport['coverage'];
  const lastRun = (db.prepare(`SELECT id, status, started_at AS startedAt, finished_at AS finishedAt FROM nightly_runs ORDER BY started_at DESC LIMIT 1`).get() ??
    null) as StatusReport['lastRun'];
  const lastSuccessfulRun = (db.prepare(`SELECT id, started_at AS startedAt, finished_at AS finishedAt FROM nightly_runs WHERE status = 'ok' ORDER BY started_at DESC LIMIT 1`).get() ??
    null) as StatusReport['lastSuccessfulRun'];
  // the issues of the latest finished run are the open ones: each run re-detects what still holds
  const openIssues = db
    .prepare(
      `SELECT site, code, severity, message, url FROM run_issues
       WHERE run_id = (SELECT id FROM nightly_runs WHERE status IN ('ok', 'needs-attention') ORDER BY started_at DESC LIMIT 1)
       ORDER BY severity, code, site, id`,
    )
    .all() as StatusReport['openIssues'];
  return { reports, loaded, coverage, regionCoverage: readRegionCoverage(db), lastRun, lastSuccessfulRun, openIssues };
}

/** the county_coverage view (migration 0008) summed per city and per province × year; a database written before it has none */
function readRegionCoverage(db: Database.Database): StatusReport['regionCoverage'] {
  if (!db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'view' AND name = 'county_coverage'`).get()) return [];
  return db
    .prepare(
      `WITH per AS (
           SELECT city_code AS region, year, has_report FROM county_coverage
           UNION ALL
           SELECT city.parent_code, cov.year, cov.has_report FROM county_coverage cov JOIN regions city ON city.code = cov.city_code)
       SELECT per.region, g.name, per.year, sum(per.has_report) AS withReport, count(*) AS units
       FROM per LEFT JOIN regions g ON g.code = per.region
       GROUP BY per.region, per.year ORDER BY per.region, per.year`,
    )
    .all() as StatusReport['regionCoverage'];
}

/** One row per province and city, one column per year: county-level units with a current report / all. */
function regionCoverageTable(s: StatusReport): string {
  const years = [...new Set(s.regionCoverage.map((c) => c.year))].sort((a, b) => a - b);
  const regions = new Map<string, string | null>(s.regionCoverage.map((c) => [c.region, c.name]));
  const cell = (region: string, year: number): string => {
    const c = s.regionCoverage.find((x) => x.region === region && x.year === year);
    return c ? `${c.withReport}/${c.units}` : '';
  };
  return formatTable(['region', 'name', ...years.map(String)], [...regions].map(([code, name]) => [code, name, ...years.map((y) => cell(code, y))]));
}

/** One row per agency, one column per year: ✓ for a current report, ✓✗ when its consistency checks failed. */
function loadedTable(s: StatusReport): string {
  const years = [...new Set(s.loaded.map((r) => r.year))].sort((a, b) => (a ?? 0) - (b ?? 0));
  const agencies = new Map<string, { region: string | null; cells: Map<number | null, string> }>();
  for (const r of s.loaded) {
    const name = r.agency ?? '(agency unknown)';
    const a = agencies.get(name) ?? { region: r.region, cells: new Map() };
    a.cells.set(r.year, r.checksFailed > 0 ? '✓✗' : '✓');
    agencies.set(name, a);
  }
  return formatTable(
    ['region', 'agency', ...years.map((y) => String(y ?? '?'))],
    [...agencies].map(([name, a]) => [a.region, name, ...years.map((y) => a.cells.get(y) ?? '')]),
  );
}

export function statusText(s: StatusReport): string {
  const out: string[] = [];
  const r = s.reports;
  const span = r.firstYear === null ? '' : r.firstYear === r.lastYear ? `, year ${r.firstYear}` : `, years ${r.firstYear}–${r.lastYear}`;
  out.push(`reports: ${r.current} current of ${r.agencies} agencies${span} · ${r.superseded} superseded versions · ${r.failed} documents that could not be read`);
  if (s.loaded.length) {
    out.push('', 'current reports per agency × year (✓ loaded, ✓✗ with failed consistency checks):');
    out.push(loadedTable(s));
  } else {
    out.push('', 'no reports loaded yet: ogi load FILE…, ogi crawl or ogi nightly load them');
  }
  if (s.regionCoverage.length) {
    out.push('', 'county coverage per region × year (county-level units with a current report / all; ogi query county_coverage lists them):');
    out.push(regionCoverageTable(s));
  }
  if (!s.lastRun && s.coverage.length === 0) {
    out.push('', 'nightly runs: none (ogi nightly records runs, site coverage and open issues)');
    return out.join('\n') + '\n';
  }
  out.push('', `last run: ${s.lastRun ? `${s.lastRun.id} (${s.lastRun.status})` : 'none'}`);
  out.push(`last successful run: ${s.lastSuccessfulRun ? `${s.lastSuccessfulRun.id} (finished ${s.lastSuccessfulRun.finishedAt})` : 'none'}`);
  out.push('', 'coverage (report links loaded / found):');
  const years = [...new Set(s.coverage.map((c) => c.year))].sort((a, b) => (a ?? 0) - (b ?? 0));
  const sites = [...new Set(s.coverage.map((c) => c.site))];
  const cell = (site: string, year: number | null): string => {
    const c = s.coverage.find((x) => x.site === site && x.year === year);
    return c ? `${c.loaded}/${c.links}` : '';
  };
  out.push(formatTable(['site', ...years.map((y) => String(y ?? '?'))], sites.map((site) => [site, ...years.map((y) => cell(site, y))])));
  out.push('', `open issues: ${s.openIssues.length}`);
  if (s.openIssues.length) out.push(formatTable(['severity', 'code', 'site', 'message', 'url'], s.openIssues.map((i) => [i.severity, i.code, i.site, i.message, i.url])));
  return out.join('\n') + '\n';
}
