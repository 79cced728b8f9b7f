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
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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
}

export interface ExportResult {
  name: string;
  dir: string;
  previous: string | null;
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
  const previousName = listSnapshots(opts.outDir).at(-1) ?? null;
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
    try {
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
    const pkg = dataPackage({ version: name, created: now.toISOString(), resources: RESOURCES, files, excel: opts.excel ?? false });
    writeFileSync(join(work, 'datapackage.json'), `${JSON.stringify(pkg, null, 2)}\n`);
    files.set('datapackage.json', { ...sha256File(join(work, 'datapackage.json')), path: 'datapackage.json' });
    const sums = [...files.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
    // `sha256sum -c SHA256SUMS` format: hash, two spaces, path
    writeFileSync(join(work, 'SHA256SUMS'), sums.map((f) => `${f.sha256}  ${f.path}`).join('\n') + '\n');

    for (const p of [...files.keys(), 'SHA256SUMS']) chmodSync(join(work, p), 0o444);
    renameSync(work, dir);
    return { name, dir, previous: previousName, rows, files: sums };
  } catch (e) {
    rmSync(work, { recursive: true, force: true });
    throw e;
  }
}
