/**
 * `ogi site SNAPSHOT_DIR` writes the dataset's website into a snapshot; `ogi serve SNAPSHOT_DIR`
 * serves it on this machine.
 */
import type { Command } from 'commander';
import { OgiError } from '../domain/errors.ts';
import { buildSite } from './build.ts';
import { serveSnapshot } from './serve.ts';

export function registerSiteCommands(program: Command): void {
  program
    .command('site')
    .description('write the dataset\'s static website into a snapshot (SNAPSHOT_DIR/site/)')
    .argument('<snapshot>', 'a snapshot directory written by ogi export')
    .option('--archive <dir...>', 'data directories whose archive (blobs/) holds the source documents shown beside each report', [])
    .addHelpText(
      'after',
      `
The site is static: it works opened from disk (file://) and from any static host; it fetches
nothing from the internet and needs no server code. Pages: home (counts, downloads with sizes and
SHA-256, citation, licence, changes), coverage (region × year), agencies, reports (tables beside
their archived source document), compare, SQL in the browser (sql.js), full-text search.
Source documents are copied from --archive (the data directory of the database, e.g. data/demo)
or, for files loaded with ogi load, from the file they were read from while its bytes still match.
ogi export writes the site itself (unless --no-site); this command rebuilds it.

Examples:
  $ ogi site data/snapshots/2026-01-15 --archive data
  $ ogi serve data/snapshots/2026-01-15              # then open http://127.0.0.1:8080/

Exit status 0 when the site is written; 1 when it is not: not-a-snapshot, not-writable.`,
    )
    .action(async (snapshot: string, opts: { archive: string[] }) => {
      try {
        const started = Date.now();
        const result = await buildSite(snapshot, { archiveDirs: opts.archive });
        console.log(`site ${result.dir}: ${result.reports} reports, ${result.agencies} agencies, ${result.sources} source documents${result.sourcesMissing ? ` (${result.sourcesMissing} not found in the archive: their pages link to the source URL)` : ''}`);
        console.error(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      } catch (e) {
        if (!(e instanceof OgiError)) throw e;
        console.error(e.message);
        process.exitCode = 1;
      }
    });

  program
    .command('serve')
    .description('serve a snapshot and its website on this machine')
    .argument('<snapshot>', 'a snapshot directory with a site (ogi export, or ogi site)')
    .option('--port <n>', 'port (0: any free port)', '8080')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .addHelpText(
      'after',
      `
Serves the snapshot's files read-only; / opens site/index.html. The SQL console reads the
snapshot's ogi.sqlite over HTTP here (opened from file:// it asks for the file instead).
Stop with Ctrl+C.

Examples:
  $ ogi serve data/snapshots/2026-01-15
  $ ogi serve data/snapshots/2026-01-15 --port 9000 --host 0.0.0.0

Exit status 1 when it cannot start: no-site, cannot-listen.`,
    )
    .action(async (snapshot: string, opts: { port: string; host: string }) => {
      try {
        const { url } = await serveSnapshot(snapshot, { port: Number(opts.port), host: opts.host });
        console.log(`serving ${snapshot} at ${url} (Ctrl+C stops)`);
      } catch (e) {
        if (!(e instanceof OgiError)) throw e;
        console.error(e.message);
        process.exitCode = 1;
      }
    });
}
