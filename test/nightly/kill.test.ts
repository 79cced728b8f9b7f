/**
 * kill -9 of `ogi nightly` during fetching and during loading, then a rerun: both databases pass
 * PRAGMA integrity_check, nothing is duplicated, and the loaded content equals that of an
 * undisturbed run. The killed runs stay in nightly_runs as `interrupted`.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/crawl/registry.ts';
import { startReplayServer, type ReplayServer } from '../../testkit/replay/server.ts';
import { dump, nightly, query, removeTempDirs, tempDir } from './helpers.ts';

const SITES = ['zj-haiyan', 'zj-province', 'zj-ningbo', 'sh-shanghai', 'zj-huzhou', 'zj-jiaxing'];

let server: ReplayServer;
let reference: string[];
let referenceLinks: unknown[];

beforeAll(async () => {
  server = await startReplayServer();
  const dir = tempDir();
  await nightly(dir, server.url, SITES, { noExport: true });
  reference = dump(join(dir, 'ogi.sqlite'));
  referenceLinks = query(join(dir, 'ogi.sqlite'), 'SELECT site, url, year, status FROM nightly_reports ORDER BY site, url');
}, 60_000);
afterAll(async () => {
  await server.close();
  removeTempDirs();
});

function count(dbPath: string, sql: string): number | null {
  try {
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare(sql).get() as { n: number | null }).n ?? 0;
    } finally {
      db.close();
    }
  } catch {
    return null; // not created yet, or its tables are not there yet
  }
}

/** Starts `ogi nightly` in a child and SIGKILLs it as soon as `when()` holds; true if it was killed mid-run. */
async function killWhen(dir: string, when: () => boolean): Promise<boolean> {
  const child = spawn(
    process.execPath,
    [join(REPO_ROOT, 'bin', 'ogi.js'), 'nightly', ...SITES.flatMap((s) => ['--site', s]), '--via', server.url, '--data-dir', dir, '--db', join(dir, 'ogi.sqlite'), '--delay', '60', '--no-browser', '--no-export'],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  let killed = false;
  for (let i = 0; i < 1200 && child.exitCode === null; i++) {
    await new Promise((r) => setTimeout(r, 25));
    if (when()) {
      killed = child.kill('SIGKILL');
      break;
    }
  }
  await exited;
  return killed;
}

describe('kill -9 during a nightly run', () => {
  it('leaves databases that a rerun completes into the content of an undisturbed run', async () => {
    const dir = tempDir();
    const db = join(dir, 'ogi.sqlite');
    const state = join(dir, 'crawl.sqlite');
    // during fetching: some articles requested, none finished loading everywhere
    expect(await killWhen(dir, () => (count(state, "SELECT count(*) AS n FROM fetch_log WHERE kind = 'article'") ?? 0) >= 3)).toBe(true);
    const loadedBefore = count(db, 'SELECT count(*) AS n FROM reports') ?? 0;
    // during loading: a rerun killed once it has loaded more reports, with steps still pending
    expect(
      await killWhen(dir, () => (count(db, 'SELECT count(*) AS n FROM reports') ?? 0) > loadedBefore && (count(state, "SELECT count(*) AS n FROM frontier WHERE status = 'pending'") ?? 0) > 0),
    ).toBe(true);
    expect(count(db, "SELECT count(*) AS n FROM nightly_runs WHERE status = 'running'")).toBe(1);

    const done = await nightly(dir, server.url, SITES, { noExport: true });
    expect(done.status).toBe('ok');
    for (const file of [db, state]) expect(query(file, 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    expect(query(db, 'SELECT sha256 FROM documents GROUP BY sha256 HAVING count(*) > 1')).toEqual([]);
    expect(query(db, 'SELECT agency_id, year, version FROM reports WHERE ok = 1 GROUP BY agency_id, year, version HAVING count(*) > 1')).toEqual([]);
    expect(query(db, 'SELECT report_id, row_code, applicant_code FROM table3_cells GROUP BY 1, 2, 3 HAVING count(*) > 1')).toEqual([]);
    expect(dump(db)).toEqual(reference);
    expect(query(db, 'SELECT site, url, year, status FROM nightly_reports ORDER BY site, url')).toEqual(referenceLinks);
    expect(query(db, 'SELECT status, count(*) AS n FROM nightly_runs GROUP BY status ORDER BY status')).toEqual([
      { status: 'interrupted', n: 2 },
      { status: 'ok', n: 1 },
    ]);
  }, 90_000);
});
