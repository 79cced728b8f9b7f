/**
 * `ogi load [--db PATH] FILE...`: extract each file and load it into the SQLite dataset,
 * then print one line per file (file, agency, year, status).
 */
import type { Command } from 'commander';
import { DEFAULT_DB_PATH, closeDatabase, openDatabase } from '../load/index.ts';
import { formatTable } from '../query/format.ts';
import { ingestFiles } from './files.ts';

export function registerLoadCommand(program: Command): void {
  program
    .command('load')
    .description('extract files and load them into the SQLite dataset (same bytes twice change nothing)')
    .argument('<files...>', 'report documents (HTML, text, PDF, Word, Excel, ...)')
    .option('--db <path>', 'database file', DEFAULT_DB_PATH)
    .action(async (files: string[], opts: { db: string }) => {
      const db = openDatabase(opts.db);
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
      } finally {
        closeDatabase(db);
      }
    });
}
