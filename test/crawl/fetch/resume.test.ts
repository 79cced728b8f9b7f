// kill -9 at arbitrary moments, then rerun: the final state equals an uninterrupted crawl's — same
// frontier, same content per URL in the fetch log, no duplicate rows, every archived blob present,
// and the dead process's lock taken over.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasBlob } from '../../../src/archive/index.ts';
import { openCrawlState } from '../../../src/crawl/state/index.ts';
import { send, startTestServer, type TestServer } from './server.ts';
import { tempDirs } from './tmp.ts';

const newDir = tempDirs('ogi-resume-');
const CHILD = join(import.meta.dirname, 'crawl-child.ts');
const SEED = 'http://www.resume.gov.cn/p/0.html';
const PAGES = 50;
let server: TestServer;

// A deterministic site: a binary tree of pages with back links, PDFs, dead links and a
// robots-blocked link.
beforeAll(async () => {
  server = await startTestServer((req, res) => {
    const path = req.url ?? '/';
    if (path === '/robots.txt') return send(res, 200, 'User-agent: *\nDisallow: /private/\n', { 'content-type': 'text/plain' });
    const page = path.match(/^\/p\/(\d+)\.html$/);
    if (page) {
      const n = Number(page[1]);
      if (n >= PAGES) return send(res, 404, 'no such page');
      const links = [2 * n + 1, 2 * n + 2].filter((c) => c < PAGES + 2).map((c) => `<a href="/p/${c}.html">${c}</a>`);
      links.push('<a href="/p/0.html">home</a>');
      if (n % 5 === 0) links.push(`<a href="/files/${n}.pdf">pdf</a>`);
      if (n === 7) links.push('<a href="/private/secret.html">secret</a>');
      return send(res, 200, `<html><body><h1>第${n}页 年度报告</h1>${links.join(' ')}</body></html>`);
    }
    if (path.startsWith('/files/')) return send(res, 200, Buffer.from(`%PDF-1.4 ${path}`), { 'content-type': 'application/pdf' });
    send(res, 404, 'not found');
  });
});
afterAll(() => server.close());

function run(dataDir: string): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, server.origin, SEED], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      if (code !== 0 && code !== null) console.error(stderr);
      resolve(code);
    }),
  );
  return { child, exited };
}

async function runUntilRequests(dataDir: string, extraRequests: number): Promise<void> {
  const start = server.requests.length;
  const { child, exited } = run(dataDir);
  while (server.requests.length < start + extraRequests) {
    if (child.exitCode !== null) throw new Error('the crawl finished before it could be killed');
    await new Promise((r) => setTimeout(r, 2));
  }
  child.kill('SIGKILL');
  expect(await exited).toBeNull();
}

interface Snapshot {
  runs: number;
  frontier: Array<[string, string, string, string]>;
  contentByUrl: Record<string, string[]>;
  duplicateFrontierRows: number;
  missingBlobs: string[];
}

function snapshot(dataDir: string): Snapshot {
  const s = openCrawlState(dataDir);
  const frontier = s
    .frontier.list('demo')
    .map((i): [string, string, string, string] => [i.url, i.kind, i.status, i.status === 'done' ? String(i.result?.sha256) : String(i.error)])
    .sort((a, b) => a[0].localeCompare(b[0]));
  const contentByUrl: Record<string, string[]> = {};
  const log = s.fetchLog.entries();
  for (const e of log) {
    if (e.error !== null) continue;
    const set = new Set(contentByUrl[e.url] ?? []);
    set.add(`${e.status} ${e.sha256}`);
    contentByUrl[e.url] = [...set].sort();
  }
  const dup = s.db.$client.prepare('SELECT count(*) AS n FROM (SELECT site, url FROM frontier GROUP BY site, url HAVING count(*) > 1)').get() as { n: number };
  const missingBlobs = log.filter((e) => e.sha256 !== null && !hasBlob(dataDir, e.sha256)).map((e) => e.url);
  const runs = new Set(log.map((e) => e.runId)).size;
  s.close();
  return { runs, frontier, contentByUrl, duplicateFrontierRows: dup.n, missingBlobs };
}

describe('kill -9 and resume', () => {
  it('ends in the same state as an uninterrupted crawl', async () => {
    const straight = newDir();
    const first = run(straight);
    expect(await first.exited).toBe(0);
    const expected = snapshot(straight);
    expect(expected.frontier.filter((f) => f[2] === 'done')).toHaveLength(PAGES + 10); // pages + PDFs
    expect(expected.frontier.filter((f) => f[2] === 'failed').map((f) => f[3].split(':')[0])).toEqual(['http-404', 'http-404', 'robots-disallowed']);

    const killed = newDir();
    // Each run makes about 64 requests in all; kill four times, each after a few more.
    for (const after of [3, 11, 9, 13]) await runUntilRequests(killed, after);
    expect(existsSync(join(killed, 'crawl.lock'))).toBe(true); // left behind by the killed process
    const last = run(killed);
    expect(await last.exited).toBe(0);
    expect(existsSync(join(killed, 'crawl.lock'))).toBe(false);

    const got = snapshot(killed);
    expect(got.runs).toBe(5); // every killed process got some work done
    expect(got.duplicateFrontierRows).toBe(0);
    expect(got.missingBlobs).toEqual([]);
    expect(expected.missingBlobs).toEqual([]);
    expect(got.frontier).toEqual(expected.frontier);
    expect(got.contentByUrl).toEqual(expected.contentByUrl);
  });
});
