/**
 * `ogi load [--db PATH] FILE...`: extract each file and load it into the SQLite dataset,
 * then print one line per file (file, agency, year, status).
 */
import type { Command } from 'commander';
import { OgiError } from '../domain/errors.ts';
import { DEFAULT_DB_PATH, closeDatabase, openDatabase, type OgiDatabase } from '../load/index.ts';
import { formatTable } from '../query/format.ts';
import { ingestFiles } from './files.ts';

export function registerLoadCommand(program: Command): void {
  program
    .command('load')
    .description('extract files and load them into the SQLite dataset (same bytes twice change nothing)')
    .argument('<files...>', 'report documents (HTML, text, PDF, Word, Excel, ...)')
    .option('--db <path>', 'database file (created with its folder when missing)', DEFAULT_DB_PATH)
    .addHelpText(
      'after',
      `
Examples:
  $ ogi load downloads/*.pdf downloads/*.html
  $ ogi load --db data/mine.sqlite report.docx

Exit status:
  0  every file was loaded (new, new-version, re-extracted) or already was (unchanged)
  1  at least one file failed: not a report or unreadable (failed, also when loaded as such
     before and now unchanged), or could not be read or written (error — e.g. "database is
     locked" while another load writes); the others are loaded, the table says which and why
  2  nothing could be loaded: the database cannot be opened (not-a-database,
     not-an-ogi-database, database-locked) or a bad option`,
    )
    .action(async (files: string[], opts: { db: string }) => {
      let db: OgiDatabase;
      try {
        db = openDatabase(opts.db);
      } catch (e) {
        if (!(e instanceof OgiError)) throw e;
        process.stderr.write(`${e.message}\n`);
        process.exitCode = 2;
        return;
      }
      try {
        let done = 0;
        const outcomes = await ingestFiles(db, files, {
          onResult: (r) => {
            done++;
            if (process.stderr.isTTY) process.stderr.write(`\r${done}/${files.length} ${r.status.padEnd(12)}`);
          },
        });
        if (process.stderr.isTTY) process.stderr.write('\n');
        const rows = outcomes.map((r) => [r.source, r.agency, r.year, r.status, r.error]);
        console.log(formatTable(['file', 'agency', 'year', 'status', 'error'], rows));
        const tally = new Map<string, number>();
        for (const r of outcomes) tally.set(r.status, (tally.get(r.status) ?? 0) + 1);
        console.error(`${opts.db}: ${[...tally].map(([s, n]) => `${n} ${s}`).join(', ')}`);
        // a file loaded as failed before comes back unchanged, with its error: it still failed
        if (outcomes.some((r) => r.status === 'failed' || r.status === 'error' || r.error !== null)) process.exitCode = 1;
      } finally {
        closeDatabase(db);
      }
    });
}
