/**
 * `ogi export [--out DIR] [--db PATH] [--excel] [--no-site]`: write a dated, immutable snapshot,
 * and its website (src/site) unless --no-site.
 */
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_DB_PATH } from '../load/database.ts';
import { OgiError } from '../domain/errors.ts';
import { formatTable } from '../query/format.ts';
import { buildSite } from '../site/build.ts';
import { DEFAULT_OUT_DIR, exportSnapshot } from './snapshot.ts';

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description('write a dated snapshot: CSV, Parquet, SQLite, datapackage.json, CODEBOOK.md, CHANGES.md, Datasette metadata')
    .option('--out <dir>', 'directory that holds the snapshots', DEFAULT_OUT_DIR)
    .option('--db <path>', 'database file', DEFAULT_DB_PATH)
    .option('--excel', 'write CSV with a UTF-8 byte order mark so Excel shows Chinese text correctly')
    .option('--force', 'write a snapshot even when the data equal the previous snapshot of this database')
    .option('--no-site', 'do not write the snapshot\'s website (SNAPSHOT/site/; ogi site writes it later)')
    .addHelpText(
      'after',
      `
The database is opened read-only: export never creates or changes it, and works on a read-only
file (a published snapshot's ogi.sqlite keeps its SHA256SUMS). The snapshot is written under a
temporary name and renamed when complete. It records the database it was exported from;
CHANGES.md compares it with the previous snapshot of the same database in --out, and when the
data are the same as that snapshot's nothing is written (unless --force).
The snapshot's website is then written into SNAPSHOT/site/ (see ogi site --help), with the source
documents from the archive beside --db (its blobs/ folder); --no-site leaves it out.

Examples:
  $ ogi export                                         # data/ogi.sqlite → data/snapshots/<date>/
  $ ogi export --db data/demo/ogi.sqlite --out data/demo/snapshots --excel

Exit status 0 when the snapshot is written or the data are unchanged; 1 when it is not written:
no-database, not-a-database, not-an-ogi-database (--db), not-a-directory, not-writable (--out).`,
    )
    .action(async (opts: { out: string; db: string; excel?: boolean; force?: boolean; site: boolean }) => {
      try {
        const started = Date.now();
        const result = await exportSnapshot(opts.db, { outDir: opts.out, excel: opts.excel ?? false, force: opts.force ?? false });
        if (result.unchanged) {
          console.log(`unchanged: the data equal those of snapshot ${result.dir}; nothing written (--force writes a new snapshot)`);
          return;
        }
        console.log(formatTable(['table', 'rows'], Object.entries(result.rows).map(([t, n]) => [t, n])));
        console.log(`snapshot ${result.dir}${result.previous ? ` (changes against ${result.previous} in CHANGES.md)` : ''}`);
        if (opts.site) {
          const site = await buildSite(result.dir, { archiveDirs: [dirname(opts.db)] });
          const missing = site.sourcesMissing ? `, ${site.sourcesMissing} not in the archive` : '';
          console.log(`site ${site.dir} (${site.sources} source documents${missing}; open ${site.dir}/index.html, or: ogi serve ${result.dir})`);
        }
        console.error(`exported in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      } catch (e) {
        if (!(e instanceof OgiError)) throw e;
        console.error(e.message);
        process.exitCode = 1;
      }
    });
}
