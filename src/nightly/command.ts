/**
 * `ogi nightly` (the scheduled job: scout → walk what changed → extract → validate → load →
 * export → run report) and `ogi status` (coverage, last runs, open issues).
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadSites, selectSites } from '../crawl/registry.ts';
import { DEFAULT_DB_PATH, closeDatabase, openDatabase } from '../load/index.ts';
import { formatTable } from '../query/format.ts';
import { runNightly, type NightlySummary } from './run.ts';
import { readStatus, statusText } from './status.ts';

const collect = (v: string, prev: string[]): string[] => [...prev, ...v.split(',').filter(Boolean)];
const int = (v: string): number => Number.parseInt(v, 10);

export function registerNightlyCommands(program: Command): void {
  program
    .command('nightly')
    .description('the scheduled job: scout listings, fetch new or changed reports, extract, validate, load, export, report')
    .option('--data-dir <dir>', 'archive, crawl state and run reports', 'data')
    .option('--db <path>', 'SQLite database', DEFAULT_DB_PATH)
    .option('--via <url>', 'send every request to this base URL (a local copy of the portals, a recording proxy), keeping the real Host header')
    .option('-s, --site <id...>', 'only these sites (repeat or comma-separate); default: all', collect, [])
    .option('--out <dir>', 'snapshot directory (default <data-dir>/snapshots)')
    .option('--delay <ms>', 'per-host delay between requests for sites without their own (default 1000)', int)
    .option('--revisit-days <n>', 're-check each known report every n to 2n days (0: every run)', int, 30)
    .option('--no-browser', 'never switch a challenged host to the browser')
    .option('--no-export', 'do not write a snapshot')
    .option('--json', 'print summary.json instead of the table')
    .addHelpText(
      'after',
      `
Writes <data-dir>/nightly/runs/<run id>/summary.json and summary.md, and the nightly_runs and
run_issues tables. Exit status 1 when an issue needs a human (severity error); 2 when the run
could not start (another run holds the lock, an unknown site id, a bad option).

Examples:
  $ ogi nightly
  $ ogi nightly --via http://127.0.0.1:4567 --data-dir data/demo --db data/demo/ogi.sqlite`,
    )
    .action(async (opts: { dataDir: string; db: string; via?: string; site: string[]; out?: string; delay?: number; revisitDays: number; browser: boolean; export: boolean; json?: boolean }) => {
      if (!(opts.revisitDays >= 0)) program.error('bad-option: --revisit-days must be a whole number ≥ 0', { exitCode: 2 });
      let summary: NightlySummary;
      try {
        const sites = selectSites(loadSites(), opts.site);
        summary = await runNightly({
          sites,
          dataDir: opts.dataDir,
          dbPath: opts.db,
          outDir: opts.out ?? join(opts.dataDir, 'snapshots'),
          revisitDays: opts.revisitDays,
          browser: opts.browser ? 'auto' : 'never',
          noExport: !opts.export,
          ...(opts.via ? { via: opts.via } : {}),
          ...(opts.delay !== undefined ? { delayMs: opts.delay } : {}),
        });
      } catch (e) {
        program.error((e as Error).message, { exitCode: 2 });
      }
      if (opts.json) process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
      else {
        process.stdout.write(
          formatTable(
            ['site', 'walked', 'listings', 'links', 'new', 'changed', 'failed', 'extraction ✗', 'consistency ✗'],
            summary.sites.map((s) => [s.site, s.walked ?? '—', s.listingsSeen, s.reportLinks, s.new, s.changed, s.failed, s.extractionFailures, s.consistencyFailures]),
          ) + '\n',
        );
        process.stdout.write(`requests: ${summary.requests.total} · issues: ${summary.issues.length} · status: ${summary.status} · report: ${summary.runDir}/summary.md\n`);
        for (const i of summary.issues.filter((x) => x.severity === 'error')) process.stderr.write(`error ${i.site ?? '-'} ${i.code}: ${i.message}\n`);
      }
      if (summary.status === 'needs-attention') process.exitCode = 1;
    });

  program
    .command('status')
    .description('coverage per site × year, the last (successful) nightly run and its open issues')
    .option('--db <path>', 'SQLite database', DEFAULT_DB_PATH)
    .option('--json', 'print JSON')
    .action((opts: { db: string; json?: boolean }) => {
      const db = openDatabase(opts.db);
      try {
        const s = readStatus(db.$client);
        process.stdout.write(opts.json ? JSON.stringify(s, null, 2) + '\n' : statusText(s));
      } finally {
        closeDatabase(db);
      }
    });
}
