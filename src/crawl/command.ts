/**
 * `ogi sites` lists the site registry; `ogi crawl` crawls sites (all, or --site ID...) into the
 * archive and the database. Human output on stdout; progress (TTY only) and warnings on stderr.
 */
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { OgiError } from '../domain/errors.ts';
import { DEFAULT_DB_PATH } from '../load/index.ts';
import { formatTable } from '../query/format.ts';
import { folderId, invalidFor, loadRegistry, selectSites, startEvidence, type Site } from './registry.ts';
import { planCrawl, seenRequests, type CrawlPlan } from './plan.ts';
import { runCrawl, type CrawlProgress, type CrawlSummary, type SiteSummary } from './run.ts';
import { readLatestRuns } from './state/index.ts';

/** Warning codes that mean a site's crawl failed (a human should look), not merely met something. */
const SITE_FAILURES = new Set(['listing-failed', 'column-not-found', 'too-few-reports', 'blocked']);

/** What failed in one site's crawl, e.g. ["report-failed ×2", "listing-failed"]; empty when nothing did. */
export function siteFailures(s: SiteSummary): string[] {
  const counts = new Map<string, number>();
  if (s.failed > 0) counts.set('report-failed', s.failed);
  for (const w of s.warnings) if (SITE_FAILURES.has(w.code)) counts.set(w.code, (counts.get(w.code) ?? 0) + 1);
  return [...counts].map(([code, n]) => (n > 1 ? `${code} ×${n}` : code));
}

/** `ogi sites`' evidenced column: how many starts carry their evidence URL, e.g. "2/2", "0/1". */
export function evidencedColumn(site: Site): string {
  const { evidenced, total } = startEvidence(site);
  return `${evidenced}/${total}`;
}

/** A crawl that could not run (unknown site, lock held, database unusable): its error, exit status 2; anything else is a bug. */
function couldNotRun(e: unknown): void {
  if (!(e instanceof OgiError)) throw e;
  process.stderr.write(`${e.message}\n`);
  process.exitCode = 2;
}

export function summaryTable(summary: CrawlSummary): string {
  const rows = summary.sites.map((s) => [s.site, s.listings, s.reportsFound, s.new, s.changed, s.unchanged, s.failed, s.skipped, s.pending, s.warnings.length]);
  const total = (k: 'listings' | 'reportsFound' | 'new' | 'changed' | 'unchanged' | 'failed' | 'skipped' | 'pending'): number => summary.sites.reduce((n, s) => n + s[k], 0);
  rows.push(['total', total('listings'), total('reportsFound'), total('new'), total('changed'), total('unchanged'), total('failed'), total('skipped'), total('pending'), summary.sites.reduce((n, s) => n + s.warnings.length, 0)]);
  return formatTable(['site', 'listings', 'reports found', 'new', 'changed', 'unchanged', 'failed', 'skipped', 'pending', 'warnings'], rows);
}

/** A growing progress bar (the frontier grows while the crawl runs); a no-op unless stderr is a TTY. */
export function crawlProgress(): { update(p: CrawlProgress): void; stop(): void } {
  if (!process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { format: 'crawl [{bar}] {value}/{total} steps · {requests} requests · {site}', stream: process.stderr, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  const perSite = new Map<string, CrawlProgress>();
  bar.start(1, 0, { requests: 0, site: '' });
  return {
    update(p) {
      perSite.set(p.site, p);
      let done = 0;
      let total = 0;
      for (const s of perSite.values()) {
        done += s.done;
        total += s.total;
      }
      bar.setTotal(Math.max(total, 1));
      bar.update(done, { requests: p.requests, site: p.site });
    },
    stop: () => bar.stop(),
  };
}

/** `ogi crawl --plan`'s table: one row per host, then the totals and the politeness bound. */
export function planTable(plan: CrawlPlan): string {
  const secs = (ms: number): string => (ms / 1000).toFixed(1);
  const rows = plan.hosts.map((h) => [h.host, h.sites.join(' '), h.robots, h.starts, h.listings, h.reports, h.requests, h.basis, h.delayMs, secs(h.boundMs)]);
  const sum = (k: 'robots' | 'starts' | 'listings' | 'reports'): number => plan.hosts.reduce((n, h) => n + h[k], 0);
  rows.push(['total', `${new Set(plan.hosts.flatMap((h) => h.sites)).size} site(s)`, sum('robots'), sum('starts'), sum('listings'), sum('reports'), plan.requests, '', '', '']);
  return [
    formatTable(['host', 'sites', 'robots.txt', 'starts', 'listings (est.)', 'reports (est.)', 'requests', 'basis', 'delay ms', 'bound s'], rows),
    '',
    `politeness bound: ${secs(plan.boundMs)} s = max over hosts of requests × delay${plan.boundHost ? ` (${plan.boundHost})` : ''}; hosts run in parallel, one request at a time each`,
    `estimated: ${plan.estimated}`,
  ].join('\n');
}

const collect = (v: string, prev: string[]): string[] => [...prev, ...v.split(',').filter(Boolean)];

export function registerCrawlCommands(program: Command): void {
  program
    .command('sites')
    .description('list the crawlable sites (crawlers/<prov>/<slug>/site.yml)')
    .option('--json', 'print JSON instead of a table')
    .addHelpText(
      'after',
      `
The evidenced column counts the starts that carry their evidence URL (start: [{ url, evidence }]),
e.g. "2/2"; a site with none ("0/1") starts from its home page with discovery. The flag column
shows "unverified" for a site whose host the registry lists without evidence (status: unverified).
An invalid site.yml is listed with its error (site-invalid: file: field: problem) after the valid
sites; --json puts them under "invalid". Exit status 0 when every site.yml is valid, 1 otherwise.`,
    )
    .action((opts: { json?: boolean }) => {
      const { sites, invalid } = loadRegistry();
      if (opts.json) {
        process.stdout.write(JSON.stringify({ sites, invalid: invalid.map((e) => ({ file: e.file, error: e.message })) }, null, 2) + '\n');
      } else {
        process.stdout.write(
          formatTable(
            ['id', 'name', 'region', 'level', 'platform', 'start', 'evidenced', 'flag'],
            [
              ...sites.map((s) => [
                s.id,
                s.name,
                s.region,
                s.level,
                s.platform,
                s.start.length > 1 ? `${s.start[0]} (+${s.start.length - 1})` : (s.start[0] ?? ''),
                evidencedColumn(s),
                s.status === 'unverified' ? 'unverified' : '',
              ]),
              ...invalid.map((e) => [`${folderId(e)} (INVALID)`, null, null, null, null, e.message, null, null]),
            ],
          ) + '\n',
        );
        for (const e of invalid) process.stderr.write(`${e.message}\n`);
      }
      if (invalid.length > 0) process.exitCode = 1;
    });

  program
    .command('crawl')
    .description('crawl sites for annual reports: listings → articles and attachments → extract → load')
    .option('-s, --site <id...>', 'only these sites (repeat or comma-separate); default: all', collect, [])
    .option('--max-requests <n>', 'start no new step after N requests (steps under way finish); the next run resumes', (v) => Number.parseInt(v, 10))
    .option('--via <url>', 'send every request to this base URL (a local copy of the portals or a recording proxy, e.g. http://127.0.0.1:4567), keeping the real Host header')
    .option('--data-dir <dir>', 'archive and crawl state directory', 'data')
    .option('--db <path>', 'SQLite database to load into', DEFAULT_DB_PATH)
    .option('--delay <ms>', 'per-host delay between requests for sites without their own (default 1000)', (v) => Number.parseInt(v, 10))
    .option('--no-browser', 'never switch a challenged host to the browser')
    .option('--json', 'print the summary as JSON')
    .option('--plan', 'fetch nothing: print the expected requests per host and the politeness bound (max over hosts of requests × delay)')
    .addHelpText(
      'after',
      `
Examples:
  $ ogi sites
  $ ogi crawl --site zj-haining --site zj-haiyan
  $ ogi crawl --plan --json

--plan counts per host one robots.txt and the adapters' start steps, and estimates the listing and
report pages from site.yml's expect (attachments, retries and redirects are not counted); it
fetches nothing, opens no crawl state or database, and takes no lock (src/crawl/plan.ts).
  $ ogi crawl --via http://127.0.0.1:4567 --data-dir data/demo --db data/demo/ogi.sqlite

A crawl that is killed or stops at --max-requests resumes where it stopped on the next run.

Exit status:
  0  every selected site was crawled without failures (skipped links — robots.txt, hosts not
     allowed — and a stop at --max-requests are not failures)
  1  something failed: a site's listing could not be read, no annual-report column was found,
     fewer reports than site.yml expects, a host blocked the crawler (blocked: a WAF page or
     challenge still there after the host's one browser attempt), a report could not be fetched
     or extracted, or a
     site.yml is invalid (its site is not crawled; the others are). Details on stderr.
  2  the crawl could not run: a bad option, an unknown site, another crawl holds the lock,
     the database cannot be opened.`,
    )
    .action(async (opts: { site: string[]; maxRequests?: number; via?: string; dataDir: string; db: string; delay?: number; browser: boolean; json?: boolean; plan?: boolean }) => {
      if (opts.maxRequests !== undefined && !(opts.maxRequests > 0)) program.error('bad-option: --max-requests must be a positive whole number', { exitCode: 2 });
      const registry = loadRegistry();
      // one bad site.yml does not stop the others: it is reported, its site is not crawled
      const invalid = invalidFor(registry, opts.site);
      for (const e of invalid) process.stderr.write(`${e.message}\n`);
      const invalidIds = new Set(invalid.map(folderId));
      let sites;
      try {
        sites = selectSites(registry.sites, opts.site.filter((id) => !invalidIds.has(id)));
        if (opts.site.length > 0 && sites.length === 0) throw new OgiError('no-sites', 'none of the sites given with --site is valid');
      } catch (e) {
        return couldNotRun(e);
      }
      if (opts.plan) {
        let plan: CrawlPlan;
        try {
          // hosts the last crawl of this data directory reached are planned from what it asked of them
          const seen = seenRequests(readLatestRuns(opts.dataDir));
          plan = await planCrawl(sites, { seen, ...(opts.delay !== undefined ? { delayMs: opts.delay } : {}) });
        } catch (e) {
          return couldNotRun(e);
        }
        process.stdout.write((opts.json ? JSON.stringify(plan, null, 2) : planTable(plan)) + '\n');
        if (invalid.length > 0) process.exitCode = 1;
        return;
      }
      const progress = crawlProgress();
      let summary: CrawlSummary;
      try {
        summary = await runCrawl({
          sites,
          dataDir: opts.dataDir,
          dbPath: opts.db,
          ...(opts.via ? { via: opts.via } : {}),
          ...(opts.maxRequests !== undefined ? { maxRequests: opts.maxRequests } : {}),
          ...(opts.delay !== undefined ? { delayMs: opts.delay } : {}),
          browser: opts.browser ? 'auto' : 'never',
          onProgress: (p) => progress.update(p),
        });
      } catch (e) {
        progress.stop();
        return couldNotRun(e);
      }
      progress.stop();
      if (opts.json) {
        process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
      } else {
        process.stdout.write(summaryTable(summary) + '\n');
        for (const w of summary.sites.flatMap((s) => s.warnings)) process.stderr.write(`warning ${w.site} ${w.code}: ${w.message}\n`);
        if (summary.browserHosts.length) process.stderr.write(`hosts that needed the browser: ${summary.browserHosts.join(', ')}\n`);
        if (!summary.complete) process.stderr.write('stopped at --max-requests: run the same command again to resume\n');
      }
      const failed = summary.sites.map((s) => [s.site, siteFailures(s)] as const).filter(([, f]) => f.length > 0);
      for (const [site, f] of failed) process.stderr.write(`failed ${site}: ${f.join(', ')}\n`);
      if (failed.length > 0 || invalid.length > 0) {
        process.stderr.write(`crawl: ${failed.length} of ${summary.sites.length} site(s) with failures${invalid.length ? `, ${invalid.length} invalid site.yml` : ''}\n`);
        process.exitCode = 1;
      }
    });
}
