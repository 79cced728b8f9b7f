/**
 * The commands that only read (`status`, `export`, `query`, `search`), run as a user runs them:
 * they open the database read-only and never create one, refuse what is not an ogi database with
 * `code: sentence` (no Node stack), and a missing default database names the demo's. Issue 17,
 * points 2, 6 and 9.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, SEEDS } from '../support/paths.ts';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function ogi(args: string[], cwd = REPO): Promise<Result> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(REPO, 'bin/ogi.js'), ...args], { cwd, encoding: 'utf8', timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
/** a Node stack trace line */
const STACK = /^\s+at .+:\d+:\d+\)?$/m;

let dir: string;
let db: string;
let snapshot: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ogi-read-commands-'));
  db = join(dir, 'ogi.sqlite');
  const seeds = readdirSync(SEEDS).filter((f) => f.endsWith('.txt')).map((f) => join(SEEDS, f));
  expect((await ogi(['load', '--db', db, ...seeds])).code).toBe(0);
  const exported = await ogi(['export', '--db', db, '--out', join(dir, 'snapshots')]);
  expect(exported.code, exported.stderr).toBe(0);
  snapshot = /snapshot (\S+)/.exec(exported.stdout)?.[1] ?? '';
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('read commands never write', () => {
  it("leave a snapshot's ogi.sqlite byte for byte as its SHA256SUMS say", async () => {
    const file = join(snapshot, 'ogi.sqlite');
    const listed = readFileSync(join(snapshot, 'SHA256SUMS'), 'utf8').split('\n').find((l) => l.endsWith('  ogi.sqlite'))?.split(' ')[0];
    expect(sha256(file)).toBe(listed);
    const status = await ogi(['status', '--db', file]);
    expect(status.code, status.stderr).toBe(0);
    const query = await ogi(['query', 'SELECT count(*) AS n FROM reports', '--db', file, '--format', 'json']);
    expect(JSON.parse(query.stdout)).toEqual([{ n: 5 }]);
    expect((await ogi(['search', '信息处理费', '--db', file])).code).toBe(0);
    const exported = await ogi(['export', '--db', file, '--out', join(dir, 'again')]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(sha256(file)).toBe(listed);
    expect(readdirSync(snapshot).filter((f) => f.startsWith('ogi.sqlite'))).toEqual(['ogi.sqlite']);
  });

  it('work on a read-only copy (chmod -w)', async () => {
    const ro = join(dir, 'readonly.sqlite');
    copyFileSync(join(snapshot, 'ogi.sqlite'), ro);
    chmodSync(ro, 0o444);
    const before = sha256(ro);
    const status = await ogi(['status', '--db', ro]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/reports: 5 current of 5 agencies/);
    const exported = await ogi(['export', '--db', ro, '--out', join(dir, 'from-readonly')]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(sha256(ro)).toBe(before);
  });

  it('status does not create data/ogi.sqlite where there is none, and says so', async () => {
    const cwd = mkdtempSync(join(dir, 'fresh-'));
    const r = await ogi(['status'], cwd);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^no-database: data\/ogi\.sqlite does not exist/m);
    expect(existsSync(join(cwd, 'data'))).toBe(false);
    for (const args of [['export'], ['query', 'SELECT 1'], ['search', '信息']]) {
      const x = await ogi(args, cwd);
      expect(x.code, args[0]).toBe(1);
      expect(x.stderr, args[0]).toMatch(/^no-database: /m);
    }
    expect(existsSync(join(cwd, 'data'))).toBe(false);
  });

  it("names the demo's database when the default one is missing after the demo", async () => {
    const cwd = mkdtempSync(join(dir, 'after-demo-'));
    mkdirSync(join(cwd, 'data', 'demo'), { recursive: true });
    copyFileSync(db, join(cwd, 'data', 'demo', 'ogi.sqlite'));
    for (const args of [['status'], ['export'], ['query', 'coverage']]) {
      const r = await ogi(args, cwd);
      expect(r.code, args[0]).toBe(1);
      expect(r.stderr, args[0]).toContain("no-database: data/ogi.sqlite does not exist; the demo's database is data/demo/ogi.sqlite: pass --db data/demo/ogi.sqlite");
    }
    expect(existsSync(join(cwd, 'data', 'ogi.sqlite'))).toBe(false);
  });
});

describe('what is not an ogi database is refused with code: sentence', () => {
  it('an SQLite file without ogi tables: refused, not given ogi tables', async () => {
    const other = join(dir, 'other.sqlite');
    const sqlite = new Database(other);
    sqlite.exec('CREATE TABLE birds (name TEXT); INSERT INTO birds VALUES (\'鹭\')');
    sqlite.close();
    const before = sha256(other);
    for (const args of [['status'], ['export', '--out', join(dir, 'x')], ['query', 'SELECT 1'], ['search', '鹭']]) {
      const r = await ogi([...args, '--db', other]);
      expect(r.code, args[0]).toBe(1);
      expect(r.stderr, args[0]).toMatch(/^not-an-ogi-database: .*other\.sqlite is an SQLite database without ogi's tables \(it has birds\)/m);
      expect(r.stderr, args[0]).not.toMatch(STACK);
    }
    const load = await ogi(['load', '--db', other, join(SEEDS, readdirSync(SEEDS).find((f) => f.endsWith('.txt')) ?? '')]);
    expect(load.code).toBe(2);
    expect(load.stderr).toMatch(/^not-an-ogi-database: /m);
    expect(sha256(other)).toBe(before);
  });

  it('a file that is not SQLite, or a folder, as --db: not-a-database, no stack', async () => {
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'not a database at all, just some notes\n'.repeat(20));
    for (const target of [text, dir]) {
      for (const args of [['status'], ['export', '--out', join(dir, 'x')], ['query', 'SELECT 1'], ['load', join(SEEDS, 'nope.txt')]]) {
        const r = await ogi([...args, '--db', target]);
        expect(r.code, `${args[0]} ${target}`).toBe(args[0] === 'load' ? 2 : 1);
        expect(r.stderr, `${args[0]} ${target}`).toMatch(/^not-a-database: /m);
        expect(r.stderr).not.toMatch(STACK);
      }
    }
    expect(readFileSync(text, 'utf8')).toMatch(/^not a database/);
  });
});

describe('export to where it cannot write', () => {
  it('--out naming a file: not-a-directory', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const r = await ogi(['export', '--db', db, '--out', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^not-a-directory: --out .*a-file: .* exists and is not a folder/m);
    expect(r.stderr).not.toMatch(STACK);
  });

  it('--out /proc/x fails at once instead of spinning (Node’s recursive mkdir loops there)', async () => {
    const started = Date.now();
    const r = await ogi(['export', '--db', db, '--out', '/proc/x']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^not-writable: --out \/proc\/x: cannot create \/proc\/x/m);
    expect(r.stderr).not.toMatch(STACK);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});

describe('ogi status reports what is loaded, however it was loaded', () => {
  it('shows current reports per agency × year of a database filled by ogi load (no nightly run)', async () => {
    const r = await ogi(['status', '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^reports: 5 current of 5 agencies, years 2020–2023/m);
    expect(r.stdout).toMatch(/海宁市人民政府\s+✓/);
    expect(r.stdout).toContain('nightly runs: none');
    const json = JSON.parse((await ogi(['status', '--db', db, '--json'])).stdout) as { loaded: Array<{ agency: string; year: number }> };
    expect(json.loaded).toContainEqual(expect.objectContaining({ agency: '海宁市人民政府', year: 2023 }));
  });

  it('documents its read-only opening and exit status in --help', async () => {
    for (const cmd of ['status', 'export']) {
      const r = await ogi([cmd, '--help']);
      expect(r.stdout, cmd).toMatch(/read-only/);
      expect(r.stdout, cmd).toMatch(/Exit status/);
      expect(r.stdout, cmd).toMatch(/Examples:/);
    }
  });
});
