/**
 * issue 17, point 4: `ogi query` had no limit. A runaway recursive query ran until killed, and a
 * large result was gathered in memory (5.2 GB for 20 million rows) before anything was printed.
 * Now the query runs in a child process that is stopped after --timeout seconds, and rows are
 * written as they come in every format. These tests run the CLI as a user does.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, loadExtraction, openDatabase } from '../../src/load/index.ts';
import { loadInput, makeExtraction } from '../load/extraction-fixture.ts';
import { REPO } from '../support/paths.ts';

const run = promisify(execFile);
const OGI = join(REPO, 'bin/ogi.js');
const ogi = (...args: string[]) =>
  run('node', [OGI, ...args], { cwd: REPO }).then(
    (r) => ({ ...r, code: 0 }),
    (e: { stdout: string; stderr: string; code: number }) => e,
  );

let dir: string;
let db: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ogi-query-cli-'));
  db = join(dir, 'ogi.sqlite');
  const d = openDatabase(db);
  loadExtraction(d, loadInput(makeExtraction({ year: 2023 })));
  closeDatabase(d);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** a query without end: it yields rows for ever */
const ENDLESS = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x, printf(\'row %d\', x) AS label FROM c';

/**
 * Reads `wanted` lines of the command's output through a pipe, then stops it. The query never
 * ends, so lines can only arrive if they are written as they come; the reader is slow to start
 * and the pipe small, so a writer that ignored backpressure would have to hold them in memory.
 */
async function firstLines(args: string[], wanted: number): Promise<{ lines: string[]; runningWhenRead: boolean }> {
  const child = spawn('node', [OGI, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let runningWhenRead = false;
  try {
    const reader = createInterface({ input: child.stdout, crlfDelay: Infinity });
    for await (const line of reader) {
      lines.push(line);
      if (lines.length >= wanted) {
        runningWhenRead = child.exitCode === null && child.signalCode === null;
        break;
      }
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once('close', resolve)));
  }
  return { lines, runningWhenRead };
}

describe('ogi query limits', () => {
  it('stops a runaway recursive query after --timeout seconds with query-timeout and a non-zero exit', async () => {
    const result = await ogi('query', 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c', '--db', db, '--timeout', '1');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/^query-timeout: the query ran longer than 1 s/m);
    expect(result.stdout).toBe('');
  }, 60_000);

  it.each([
    ['csv', 200_000, (i: number) => `${i},row ${i}`],
    ['table', 200_000, (i: number) => new RegExp(`^${i}\\s+row ${i}$`)],
    ['json', 400_000, null],
  ] as const)('streams the rows of an endless query in %s format as they come', async (format, wanted, expected) => {
    const { lines, runningWhenRead } = await firstLines(['query', ENDLESS, '--db', db, '--format', format, '--timeout', '0'], wanted);
    expect(lines).toHaveLength(wanted);
    expect(runningWhenRead).toBe(true);
    if (format === 'csv') expect(lines[0]).toBe('x,label');
    if (format === 'table') expect(lines.slice(0, 2)).toEqual([expect.stringMatching(/^x\s+label$/), expect.stringMatching(/^-+\s+-+$/)]);
    if (format === 'json') expect(lines.slice(0, 5)).toEqual(['[', '  {', '    "x": 1,', '    "label": "row 1"', '  },']);
    if (expected) {
      const body = lines.slice(format === 'csv' ? 1 : 2);
      for (const [i, line] of [[0, body[0]], [1500, body[1500]], [body.length - 1, body.at(-1)]] as const) {
        const want = expected(i + 1);
        if (typeof want === 'string') expect(line).toBe(want);
        else expect(line).toMatch(want);
      }
    }
  }, 120_000);

  it('writes valid JSON and CSV for a finite result, and an empty JSON array for no rows', async () => {
    const json = await ogi('query', 'SELECT id, year, agency_id FROM reports', '--db', db, '--format', 'json');
    expect(JSON.parse(json.stdout)).toEqual([{ id: 1, year: 2023, agency_id: 1 }]);
    const none = await ogi('query', 'SELECT id FROM reports WHERE 0', '--db', db, '--format', 'json');
    expect(JSON.parse(none.stdout)).toEqual([]);
    const csv = await ogi('query', "SELECT 'a,b' AS x, NULL AS y", '--db', db, '--format', 'csv');
    expect(csv.stdout).toBe('x,y\r\n"a,b",\r\n');
    const table = await ogi('query', 'SELECT 1 AS n', '--db', db);
    expect(table.stdout).toBe('n\n-\n1\n');
    expect(table.stderr).toBe('(1 row)\n');
  }, 60_000);

  it('keeps refusing writes and reporting SQL errors with their codes', async () => {
    const write = await ogi('query', 'DELETE FROM reports', '--db', db);
    expect(write.code).toBe(1);
    expect(write.stderr).toBe('readonly-query: only statements that read are allowed; DELETE would change the database\n');
    const bad = await ogi('query', 'SELECT * FROM nope', '--db', db);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('query-error: no such table: nope\n');
    const runtime = await ogi('query', 'SELECT abs(-9223372036854775808)', '--db', db);
    expect(runtime.code).toBe(1);
    expect(runtime.stderr).toContain('query-error: integer overflow');
    const canned = await ogi('query', 'coverage', '--db', db, '--format', 'csv');
    expect(canned.code).toBe(0);
    expect(canned.stdout.split('\r\n')[0]).toMatch(/^agency,/);
  }, 60_000);
});
