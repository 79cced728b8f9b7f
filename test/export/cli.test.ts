import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, SEEDS } from '../support/paths.ts';

const run = promisify(execFile);

let dir: string;
let db: string;
const ogi = (...args: string[]) =>
  run('node', [join(REPO, 'bin/ogi.js'), ...args], { cwd: REPO }).catch((e: { stdout: string; stderr: string; code: number }) => e);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ogi-publish-cli-'));
  db = join(dir, 'ogi.sqlite');
  const seeds = readdirSync(SEEDS).filter((f) => f.endsWith('.txt')).map((f) => join(SEEDS, f));
  await ogi('load', '--db', db, ...seeds);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ogi query / search / export (the command line, as a user runs it)', () => {
  it('refuses DELETE with a clear error and exit code 1', async () => {
    const result = await ogi('query', 'DELETE FROM reports', '--db', db);
    expect((result as { code?: number }).code).toBe(1);
    expect(result.stderr).toContain('readonly-query: only statements that read are allowed; DELETE would change the database');
    const count = await ogi('query', 'SELECT count(*) AS n FROM reports', '--db', db, '--format', 'json');
    expect(JSON.parse(count.stdout)).toEqual([{ n: 5 }]);
  });

  it('lists and runs canned queries with parameters', async () => {
    const list = await ogi('query', '--list', '--format', 'csv');
    expect(list.stdout).toContain('top_agencies_by_requests,year=2023,');
    const top = await ogi('query', 'top_agencies_by_requests', '--param', 'year=2023', '--db', db, '--format', 'json');
    const rows = JSON.parse(top.stdout) as { agency: string; new_received: number }[];
    expect(rows[0]).toMatchObject({ agency: '海宁市人民政府', new_received: 523 });
    const csv = await ogi('query', 'requests_by_year_level', '--db', db, '--format', 'csv');
    expect(csv.stdout.split('\r\n')[0]).toMatch(/^year,level,reports,new_received,/);
  });

  it('finds 信息处理费 in report text and shows a snippet', async () => {
    const result = await ogi('search', '信息处理费', '--db', db);
    expect(result.stdout).toMatch(/海宁市人民政府\s+2023\s+\S+\s+.*【信息处理费】/);
  });

  it('exports a snapshot whose datapackage hashes match the files', async () => {
    const out = join(dir, 'snapshots');
    const result = await ogi('export', '--db', db, '--out', out);
    const snapshot = /snapshot (\S+)/.exec(result.stdout)?.[1];
    expect(snapshot).toBeDefined();
    const pkg = JSON.parse(readFileSync(join(snapshot ?? '', 'datapackage.json'), 'utf8')) as { resources: { path: string; hash: string }[] };
    for (const r of pkg.resources) {
      const hash = createHash('sha256').update(readFileSync(join(snapshot ?? '', r.path))).digest('hex');
      expect(r.hash, r.path).toBe(`sha256:${hash}`);
    }
    expect(readFileSync(join(snapshot ?? '', 'csv', 'table3_wide.csv'), 'utf8')).toContain('海宁市人民政府,2023,2021,1,true,505,16,0,0,1,1,523');
  });
});
