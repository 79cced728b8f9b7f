/**
 * `ogi status`: what the nightly runs have achieved — coverage per site × year (report links
 * loaded / found), the last run and the last successful one, and the issues of the last run.
 */
import type Database from 'better-sqlite3';
import { formatTable } from '../query/format.ts';

export interface StatusReport {
  coverage: Array<{ site: string; year: number | null; loaded: number; links: number }>;
  lastRun: { id: string; status: string; startedAt: string; finishedAt: string | null } | null;
  lastSuccessfulRun: { id: string; startedAt: string; finishedAt: string | null } | null;
  openIssues: Array<{ site: string | null; code: string; severity: string; message: string; url: string | null }>;
}

export function readStatus(db: Database.Database): StatusReport {
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
  return { coverage, lastRun, lastSuccessfulRun, openIssues };
}

export function statusText(s: StatusReport): string {
  const out: string[] = [];
  out.push(`last run: ${s.lastRun ? `${s.lastRun.id} (${s.lastRun.status})` : 'none'}`);
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
