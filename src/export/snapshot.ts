/**
 * `ogi export`: an immutable, dated snapshot directory.
 *
 *   <out>/<YYYY-MM-DD>[-N]/
 *     ogi.sqlite            the database (a VACUUM INTO copy; every other file is exported from it)
 *     csv/<table>.csv       tidy tables + one wide table per statistical table
 *     parquet/<table>.parquet
 *     datapackage.json      Frictionless Data Package v2 (sizes, sha256, Table Schemas)
 *     CODEBOOK.md  CHANGES.md  metadata.yml (Datasette)  SHA256SUMS
 *
 * The snapshot is written under a hidden temporary name and renamed when complete, and its files
 * are made read-only: a snapshot directory either is whole or does not exist, and is never rewritten.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { OgiError } from '../domain/errors.ts';
import { MIGRATIONS_DIR, closeDatabase, openDatabaseReadonly } from '../load/database.ts';
import { listCannedQueries } from '../query/canned.ts';
import { makeDirectory } from '../util/fs.ts';
import { changesMarkdown } from './changes.ts';
import { codebookMarkdown } from './codebook.ts';
import { dataPackage } from './datapackage.ts';
import type { FileInfo } from './datapackage.ts';
import { datasetteMetadata } from './datasette.ts';
import { RESOURCES } from './resources.ts';
import { writeTable } from './write-table.ts';

export const DEFAULT_OUT_DIR = 'data/snapshots';
export const SNAPSHOT_DB = 'ogi.sqlite';

export interface ExportOptions {
  outDir: string;
  /** CSV with a UTF-8 byte order mark for Excel */
  excel?: boolean;
  now?: Date;
  /** write a snapshot even when the data equal the previous snapshot's of this database */
  force?: boolean;
}

export interface ExportResult {
  name: string;
  dir: string;
  /** the previous snapshot of the same database, which CHANGES.md compares with */
  previous: string | null;
  /** nothing was written: the data equal those of `previous` (dir and name are previous's) */
  unchanged: boolean;
  rows: Record<string, number>;
  files: FileInfo[];
}

const SNAPSHOT_NAME = /^(\d{4}-\d{2}-\d{2})(?:-(\d+))?$/;

/** snapshot directories in `outDir`, oldest first */
export function listSnapshots(outDir: string): string[] {
  if (!existsSync(outDir)) return [];
  const key = (name: string) => {
    const m = SNAPSHOT_NAME.exec(name);
    return [m?.[1] ?? '', Number(m?.[2] ?? 1)] as const;
  };
  return readdirSync(outDir)
    .filter((n) => SNAPSHOT_NAME.test(n) && existsSync(join(outDir, n, SNAPSHOT_DB)))
    .sort((a, b) => {
      const [da, na] = key(a);
      const [db, nb] = key(b);
      return da === db ? na - nb : da < db ? -1 : 1;
    });
}

/** the key under which datapackage.json records the database a snapshot was exported from */
export const DATABASE_KEY = 'ogi:database';

/**
 * The identity of a database: the id it gave itself when created (ogi_meta), or, for a database
 * made before ids existed and opened read-only since, its real path.
 */
function databaseIdOf(db: Database.Database, dbPath: string): string {
  try {
    const row = db.prepare(`SELECT value FROM ogi_meta WHERE key = 'database_id'`).get() as { value: string } | undefined;
    if (row) return row.value;
  } catch {
    // no ogi_meta table: an older database
  }
  return `file:${realpathSync(dbPath)}`;
}

/** The newest snapshot in `outDir` exported from the database `id`, or null. */
export function previousSnapshotOf(outDir: string, id: string): string | null {
  for (const name of listSnapshots(outDir).reverse()) {
    try {
      const pkg = JSON.parse(readFileSync(join(outDir, name, 'datapackage.json'), 'utf8')) as Record<string, unknown>;
      if (pkg[DATABASE_KEY] === id) return name;
    } catch {
      // a snapshot without a readable datapackage.json names no database
    }
  }
  return null;
}

/** The data files' hashes of a snapshot, from its SHA256SUMS. */
function dataHashes(dir: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const line of readFileSync(join(dir, 'SHA256SUMS'), 'utf8').split('\n')) {
    const m = /^([0-9a-f]{64}) {2}((?:csv|parquet)\/.+)$/.exec(line);
    if (m) sums.set(m[2]!, m[1]!);
  }
  return sums;
}

function snapshotName(outDir: string, now: Date): string {
  const date = now.toISOString().slice(0, 10);
  let name = date;
  for (let n = 2; existsSync(join(outDir, name)); n++) name = `${date}-${n}`;
  return name;
}

function sha256File(path: string): FileInfo & { path: string } {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(1 << 20);
  let bytes = 0;
  try {
    for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0; ) {
      hash.update(buf.subarray(0, n));
      bytes += n;
    }
  } finally {
    closeSync(fd);
  }
  return { path, bytes, sha256: hash.digest('hex') };
}

export async function exportSnapshot(dbPath: string, opts: ExportOptions): Promise<ExportResult> {
  // read-only: the source database is never changed, not even migrated (the copy is)
  const source = openDatabaseReadonly(dbPath);
  const now = opts.now ?? new Date();
  try {
    makeDirectory(opts.outDir, '--out');
  } catch (e) {
    closeDatabase(source);
    throw e;
  }
  const name = snapshotName(opts.outDir, now);
  const dir = join(opts.outDir, name);
  const work = join(opts.outDir, `.${name}.partial-${process.pid}`);
  try {
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work);
  } catch (e) {
    closeDatabase(source);
    throw new OgiError('not-writable', `--out ${opts.outDir}: cannot write a snapshot there (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }

  try {
    mkdirSync(join(work, 'csv'));
    mkdirSync(join(work, 'parquet'));
    // a consistent, compact copy, read from the read-only source
    try {
      source.$client.prepare('VACUUM INTO ?').run(join(work, SNAPSHOT_DB));
    } finally {
      closeDatabase(source);
    }
    const copy = new Database(join(work, SNAPSHOT_DB));
    const rows: Record<string, number> = {};
    let changes: string;
    let database: string;
    let previousName: string | null;
    try {
      database = databaseIdOf(copy, dbPath);
      previousName = previousSnapshotOf(opts.outDir, database);
      // a published file is read as-is: no -wal/-shm side files needed
      copy.pragma('journal_mode = DELETE');
      // the copy gets the current schema (a database written by an older ogi is migrated here, not at its source)
      migrate(drizzle(copy), { migrationsFolder: MIGRATIONS_DIR });
      for (const r of RESOURCES) {
        rows[r.name] = await writeTable(copy, r.sql, r.fields, {
          csvPath: join(work, 'csv', `${r.name}.csv`),
          parquetPath: join(work, 'parquet', `${r.name}.parquet`),
          bom: opts.excel ?? false,
        });
      }
      changes = changesMarkdown(copy, name, previousName ? { name: previousName, dbPath: join(opts.outDir, previousName, SNAPSHOT_DB) } : null);
    } finally {
      copy.close();
    }
    writeFileSync(join(work, 'CHANGES.md'), changes);
    writeFileSync(join(work, 'CODEBOOK.md'), codebookMarkdown(name));
    writeFileSync(join(work, 'metadata.yml'), datasetteMetadata(RESOURCES, listCannedQueries()));

    const paths = [
      SNAPSHOT_DB,
      'CHANGES.md',
      'CODEBOOK.md',
      'metadata.yml',
      ...RESOURCES.map((r) => `csv/${r.name}.csv`),
      ...RESOURCES.map((r) => `parquet/${r.name}.parquet`),
    ];
    const files = new Map(paths.map((p) => [p, { ...sha256File(join(work, p)), path: p }]));
    // the same data as the previous snapshot of this database: nothing new to publish
    if (previousName && !opts.force) {
      const before = dataHashes(join(opts.outDir, previousName));
      const data = [...files.values()].filter((f) => /^(csv|parquet)\//.test(f.path));
      if (data.every((f) => before.get(f.path) === f.sha256) && before.size === data.length) {
        rmSync(work, { recursive: true, force: true });
        return { name: previousName, dir: join(opts.outDir, previousName), previous: previousName, unchanged: true, rows, files: [] };
      }
    }
    const pkg = dataPackage({ version: name, created: now.toISOString(), resources: RESOURCES, files, excel: opts.excel ?? false, database });
    writeFileSync(join(work, 'datapackage.json'), `${JSON.stringify(pkg, null, 2)}\n`);
    files.set('datapackage.json', { ...sha256File(join(work, 'datapackage.json')), path: 'datapackage.json' });
    const sums = [...files.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
    // `sha256sum -c SHA256SUMS` format: hash, two spaces, path
    writeFileSync(join(work, 'SHA256SUMS'), sums.map((f) => `${f.sha256}  ${f.path}`).join('\n') + '\n');

    for (const p of [...files.keys(), 'SHA256SUMS']) chmodSync(join(work, p), 0o444);
    renameSync(work, dir);
    return { name, dir, previous: previousName, unchanged: false, rows, files: sums };
  } catch (e) {
    rmSync(work, { recursive: true, force: true });
    throw e;
  }
}
