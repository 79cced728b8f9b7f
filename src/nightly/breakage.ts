/**
 * Breakage detection: what a site's walk says about the site itself, judged against its site.yml
 * expectations and its own history. Every finding is a run issue with a stable code:
 *
 *   listing-empty          error    a finished walk found no report link (the site had some, or expects some)
 *   listing-shrunk         error    a finished walk found fewer than half the links of the previous walk
 *   too-few-reports        error    fewer links than site.yml expect.minReports
 *   too-many-reports       warning  more links than expect.maxReports
 *   year-out-of-range      error    a report link's year lies outside expect.years
 *   extraction-failures-jump error  this run's extraction failure rate is ≥ 30 points above the site's history (≥ 2 failures)
 *   pdf-arrived-as-html    error    an attachment linked as a PDF arrived as an HTML page (an error page)
 *   report-missing         warning  a finished walk found no report for a year of expect.years whose report is due (missingReports)
 */
import type { Site } from '../crawl/registry.ts';
import type { RunIssue, SiteRunRecord } from './store.ts';

export interface SiteWalkFacts {
  site: Site;
  /** false when the walk stopped before the site was drained: counts are partial */
  finished: boolean;
  reportLinks: number;
  years: number[];
  extracted: number;
  extractionFailures: number;
  /** report links of the previous finished walk, when there was one */
  previousReportLinks: number | null;
  history: SiteRunRecord[];
  /** attachments that were linked as PDFs and arrived as HTML */
  htmlForPdf: string[];
}

export function detectBreakage(f: SiteWalkFacts): RunIssue[] {
  const site = f.site.id;
  const issues: RunIssue[] = [];
  const issue = (code: string, severity: RunIssue['severity'], message: string, url?: string): void => {
    issues.push({ site, code, severity, message, ...(url ? { url } : {}) });
  };
  const { minReports, maxReports, years } = f.site.expect;
  if (f.finished) {
    const prev = f.previousReportLinks;
    if (f.reportLinks === 0 && (minReports > 0 || (prev ?? 0) > 0)) {
      issue('listing-empty', 'error', `no report link was found${prev ? ` (the previous walk found ${prev})` : ''}`);
    } else if (prev !== null && f.reportLinks * 2 < prev) {
      issue('listing-shrunk', 'error', `${f.reportLinks} report links, down from ${prev} on the previous walk`);
    } else if (f.reportLinks < minReports) {
      issue('too-few-reports', 'error', `${f.reportLinks} report links, site.yml expects at least ${minReports}`);
    }
    if (maxReports !== undefined && f.reportLinks > maxReports) issue('too-many-reports', 'warning', `${f.reportLinks} report links, site.yml expects at most ${maxReports}`);
  }
  if (years) {
    const outside = [...new Set(f.years.filter((y) => y < years[0] || y > years[1]))].sort();
    if (outside.length) issue('year-out-of-range', 'error', `report years ${outside.join(', ')} lie outside the expected ${years[0]}–${years[1]}`);
  }
  if (f.extractionFailures >= 2 && f.extracted > 0) {
    const past = f.history.reduce((a, h) => ({ n: a.n + h.extracted, bad: a.bad + h.extractionFailures }), { n: 0, bad: 0 });
    const pastRate = past.n > 0 ? past.bad / past.n : 0;
    const rate = f.extractionFailures / f.extracted;
    if (rate - pastRate >= 0.3) {
      issue('extraction-failures-jump', 'error', `${f.extractionFailures} of ${f.extracted} documents failed extraction (${pct(rate)}; before: ${pct(pastRate)})`);
    }
  }
  for (const url of f.htmlForPdf) issue('pdf-arrived-as-html', 'error', 'an attachment linked as a PDF arrived as an HTML page', url);
  return issues;
}

const pct = (x: number): string => `${Math.round(x * 100)}%`;

/**
 * When the annual report of year `year` is due, by 《政府信息公开条例》(2019) 第四十九条: a
 * department (县级以上人民政府部门) publishes its report by 1月31日 of Y+1, a local government
 * (本级政府, published by its 政府信息公开工作主管部门) by 3月31日. A site is a government's portal
 * unless its level is `department`; its own report is the last due. The deadline is the end of that
 * day in Beijing time (UTC+8).
 */
export function reportDeadline(year: number, level: string): Date {
  const month = level === 'department' ? 1 : 3; // 0-based: the day after 31 January or 31 March
  return new Date(Date.UTC(year + 1, month, 1) - 8 * 3600_000);
}

const deadlineText = (year: number, level: string): string => `${year + 1}-${level === 'department' ? '01' : '03'}-31`;

/** The years of `range` (inclusive) whose report is due at `now` for a site of `level`, oldest first. */
export function dueYears(range: readonly [number, number], now: Date, level: string): number[] {
  const out: number[] = [];
  for (let y = range[0]; y <= range[1]; y++) if (now.getTime() >= reportDeadline(y, level).getTime()) out.push(y);
  return out;
}

/**
 * report-missing: one warning per year of the site's expect.years that is due at `now` and has no
 * report among `foundYears` (the years of the report links a finished walk found, and of the
 * reports the nightly already knew for the site). A site without expect.years expects no year.
 */
export function missingReports(site: Site, foundYears: Iterable<number>, now: Date): RunIssue[] {
  const range = site.expect.years;
  if (!range) return [];
  const found = new Set(foundYears);
  return dueYears(range, now, site.level)
    .filter((y) => !found.has(y))
    .map((y) => ({
      site: site.id,
      code: 'report-missing',
      severity: 'warning' as const,
      message: `no report for ${y} was found (site.yml expects ${range[0]}–${range[1]}; a ${y} report is due by ${deadlineText(y, site.level)})`,
    }));
}
