import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Table } from '../../src/domain/report.ts';
import { REPO, SEEDS } from '../support/paths.ts';

const run = promisify(execFile);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ogi-load-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** the CLI as a child process: its output and exit status (a non-zero status does not throw) */
const ogi = (...args: string[]) =>
  run('node', [join(REPO, 'bin/ogi.js'), ...args], { cwd: REPO }).then(
    (r) => ({ ...r, code: 0 }),
    (e: { stdout: string; stderr: string; code: number }) => e,
  );

it('ogi load of the seeds twice leaves one reports row per document, with the hand-read values', async () => {
  const seeds = readdirSync(SEEDS).filter((f) => f.endsWith('.txt')).sort().map((f) => join(SEEDS, f));
  const garbage = join(dir, 'garbage.html');
  writeFileSync(garbage, '<html><body>not a report</body></html>');
  const db = join(dir, 'x.sqlite');

  const first = await ogi('load', '--db', db, ...seeds, garbage, join(dir, 'missing.pdf'));
  expect(first.code).toBe(1); // two files failed
  const lines = first.stdout.trim().split('\n').slice(2);
  expect(lines).toHaveLength(seeds.length + 2);
  expect(lines.slice(0, seeds.length).every((l) => /\snew\s*$/.test(l))).toBe(true);
  expect(lines[seeds.length]).toMatch(/failed\s+not-a-report: /);
  expect(lines[seeds.length + 1]).toMatch(/error\s+read-error: /);

  const second = await ogi('load', '--db', db, ...seeds, garbage);
  expect(second.code).toBe(1); // the garbage is still no report
  expect((await ogi('load', '--db', db, ...seeds)).code).toBe(0);
  expect(second.stdout.trim().split('\n').slice(2).every((l) => /\sunchanged(\s|$)/.test(l))).toBe(true);

  const sqlite = new Database(db, { readonly: true });
  try {
    expect(sqlite.prepare('SELECT count(*) AS reports, count(DISTINCT document_id) AS documents FROM reports').get()).toEqual({
      reports: seeds.length + 1,
      documents: seeds.length + 1,
    });
    for (const seed of seeds) {
      const expected = JSON.parse(readFileSync(seed.replace(/\.txt$/, '.expected.json'), 'utf8')) as { agency: string; year: number; table3: Table | null };
      const report = sqlite
        .prepare('SELECT r.id FROM reports r JOIN agencies a ON a.id = r.agency_id WHERE a.name = ? AND r.year = ? AND r.is_current = 1')
        .get(expected.agency, expected.year) as { id: number } | undefined;
      expect(report, seed).toBeDefined();
      const cells = sqlite.prepare('SELECT row_code, applicant_code, value FROM table3_cells WHERE report_id = ?').all(report?.id) as {
        row_code: string;
        applicant_code: string;
        value: number | null;
      }[];
      const stored: Table = {};
      for (const c of cells) (stored[c.row_code] ??= {})[c.applicant_code] = c.value;
      expect(cells.length === 0 ? null : stored, seed).toEqual(expected.table3);
    }
  } finally {
    sqlite.close();
  }
});

it('ogi load exits 1 when every file failed, and 2 when the database cannot be opened', async () => {
  const db = join(dir, 'all-failed.sqlite');
  const garbage = join(dir, 'garbage2.html');
  writeFileSync(garbage, '<html><body>still not a report</body></html>');
  const r = await ogi('load', '--db', db, garbage, join(dir, 'missing.docx'));
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/1 failed, 1 error/);
  const folder = await ogi('load', '--db', dir, garbage);
  expect(folder.code).toBe(2);
  expect(folder.stderr).toMatch(/^not-a-database: .* is a folder/m);
  expect(folder.stderr).not.toMatch(/^\s+at /m);
  const help = await ogi('load', '--help');
  expect(help.stdout).toMatch(/Exit status:[\s\S]*0 [\s\S]*1 [\s\S]*2 /);
});

it('a load that meets "database is locked" (another load writing) ends as a failed file and exit 1', async () => {
  const seeds = readdirSync(SEEDS).filter((f) => f.endsWith('.txt')).sort().map((f) => join(SEEDS, f));
  const db = join(dir, 'locked.sqlite');
  expect((await ogi('load', '--db', db, seeds[0] as string)).code).toBe(0);
  // another writer holds the write lock for longer than the load waits (busy_timeout)
  const other = new Database(db);
  other.exec('BEGIN IMMEDIATE');
  other.prepare('INSERT INTO agencies (name) VALUES (?)').run('another load');
  try {
    const r = await ogi('load', '--db', db, seeds[1] as string);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/\serror\s+load-error: database is locked/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  } finally {
    other.exec('ROLLBACK');
    other.close();
  }
}, 60_000);
