/**
 * `ogi nightly` (the scheduled job: scout → walk what changed → extract → validate → load →
 * export → run report) and `ogi status` (coverage, last runs, open issues).
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { folderId, invalidFor, loadRegistry, selectSites } from '../crawl/registry.ts';
import { DEFAULT_DB_PATH, closeDatabase, openDatabaseReadonly } from '../load/index.ts';
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
run_issues tables. Exit status 1 when an issue needs a human (severity error) or a site.yml is
invalid (reported as site-invalid, its site left out, the others run); 2 when the run
could not start (another run holds the lock, an unknown site id, a bad option).

Examples:
  $ ogi nightly
  $ ogi nightly --via http://127.0.0.1:4567 --data-dir data/demo --db data/demo/ogi.sqlite`,
    )
    .action(async (opts: { dataDir: string; db: string; via?: string; site: string[]; out?: string; delay?: number; revisitDays: number; browser: boolean; export: boolean; json?: boolean }) => {
      if (!(opts.revisitDays >= 0)) program.error('bad-option: --revisit-days must be a whole number ≥ 0', { exitCode: 2 });
      let summary: NightlySummary;
      // an invalid site.yml is reported and its site left out; the run needs a human then (exit 1)
      const registry = loadRegistry();
      const invalid = invalidFor(registry, opts.site);
      for (const e of invalid) process.stderr.write(`${e.message}\n`);
      try {
        const invalidIds = new Set(invalid.map(folderId));
        const sites = selectSites(registry.sites, opts.site.filter((id) => !invalidIds.has(id)));
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
      if (summary.status === 'needs-attention' || invalid.length > 0) process.exitCode = 1;
    });

  program
    .command('status')
    .description('what the database holds: current reports per agency × year; nightly runs, site coverage and open issues')
    .option('--db <path>', 'SQLite database', DEFAULT_DB_PATH)
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
Shows what the database holds however it was loaded (ogi load, ogi crawl, ogi nightly): current
reports per agency × year, and — when ogi nightly has run on it — the last runs, coverage per
site × year (report links loaded / found) and the open issues. The database is opened read-only:
status never creates or changes it (a snapshot's ogi.sqlite keeps its SHA256SUMS).

Exit status 0; 1 when the database cannot be read (no-database, not-a-database,
not-an-ogi-database).

Examples:
  $ ogi status
  $ ogi status --db data/demo/ogi.sqlite
  $ ogi status --db data/snapshots/2025-01-31/ogi.sqlite --json`,
    )
    .action((opts: { db: string; json?: boolean }) => {
      const db = openDatabaseReadonly(opts.db);
      try {
        const s = readStatus(db.$client);
        process.stdout.write(opts.json ? JSON.stringify(s, null, 2) + '\n' : statusText(s));
      } finally {
        closeDatabase(db);
      }
    });
}
