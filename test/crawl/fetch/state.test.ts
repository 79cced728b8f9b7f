import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { acquireLock, LockError, openCrawlState, readLatestRuns } from '../../../src/crawl/state/index.ts';
import { tempDirs } from './tmp.ts';

const newDir = tempDirs('ogi-state-');

describe('crawl frontier', () => {
  it('queues a URL once per site, hands items out FIFO and counts pending', () => {
    const s = openCrawlState(newDir());
    const a = s.frontier.enqueue('zj', 'https://www.zj.gov.cn/col/col1/index.html', 'listing', { page: 1 });
    expect(a.added).toBe(true);
    expect(s.frontier.enqueue('zj', 'https://www.zj.gov.cn/col/col1/index.html', 'listing').added).toBe(false);
    expect(s.frontier.enqueue('zj', 'https://www.zj.gov.cn/col/col1/index.html', 'listing').id).toBe(a.id);
    // Another site may queue the same URL.
    expect(s.frontier.enqueue('hz', 'https://www.zj.gov.cn/col/col1/index.html', 'listing').added).toBe(true);
    s.frontier.enqueue('zj', 'https://www.zj.gov.cn/art/2024/1/1/art_1_2.html', 'article');
    expect(s.frontier.pendingCount('zj')).toBe(2);
    const first = s.frontier.nextPending('zj');
    expect(first?.url).toBe('https://www.zj.gov.cn/col/col1/index.html');
    expect(first?.meta).toEqual({ page: 1 });
    s.close();
  });

  it('marks an item done and queues what it discovered in one step; done URLs are never queued again', () => {
    const s = openCrawlState(newDir());
    const { id } = s.frontier.enqueue('zj', 'https://a.gov.cn/list', 'listing');
    const added = s.frontier.markDone(id, { status: 200 }, [
      { url: 'https://a.gov.cn/art/1.html', kind: 'article' },
      { url: 'https://a.gov.cn/art/1.html', kind: 'article' },
      { url: 'https://a.gov.cn/list', kind: 'listing' },
    ]);
    expect(added).toBe(1);
    expect(s.frontier.get(id)).toMatchObject({ status: 'done', attempts: 1, result: { status: 200 } });
    expect(s.frontier.enqueue('zj', 'https://a.gov.cn/list', 'listing').added).toBe(false);
    expect(s.frontier.nextPending('zj')?.url).toBe('https://a.gov.cn/art/1.html');
    const art = s.frontier.nextPending('zj');
    s.frontier.markFailed(art?.id ?? -1, 'http-404', 'http-404: HTTP 404');
    expect(s.frontier.get(art?.id ?? -1)).toMatchObject({ status: 'failed', error: 'http-404: HTTP 404', errorCode: 'http-404' });
    expect(s.frontier.counts('zj')).toEqual({ pending: 0, done: 1, failed: 1 });
    expect(s.frontier.nextPending('zj')).toBeUndefined();
    expect(s.frontier.requeueFailed('zj')).toBe(1);
    expect(s.frontier.pendingCount('zj')).toBe(1);
    expect(() => s.frontier.markDone(999, {})).toThrow(/^frontier-unknown-id: /);
    s.close();
  });

  it('keeps validators, robots skips and host state across reopen', () => {
    const dir = newDir();
    const s = openCrawlState(dir);
    s.cache.put('https://a.gov.cn/', { etag: '"x"', lastModified: null, sha256: 'ab'.repeat(32), contentType: 'text/html', finalUrl: null });
    s.fetchLog.recordRobotsSkip('https://a.gov.cn/private', 'a.gov.cn', 'zj', 'run1');
    s.hosts.markNeedsBrowser('a.gov.cn', 'status-412');
    s.hosts.setCookies('a.gov.cn', '{"cookies":[]}');
    s.close();
    const t = openCrawlState(dir);
    expect(t.cache.get('https://a.gov.cn/')?.etag).toBe('"x"');
    expect(t.fetchLog.robotsSkips('run1')).toEqual([{ url: 'https://a.gov.cn/private', host: 'a.gov.cn', site: 'zj' }]);
    expect(t.hosts.get('a.gov.cn')).toMatchObject({ needsBrowser: true, reason: 'status-412', cookies: '{"cookies":[]}' });
    expect(t.db.$client.pragma('journal_mode', { simple: true })).toBe('wal');
    t.close();
  });
});

describe('run lock', () => {
  it('allows one crawl per data directory and frees the lock on release', () => {
    const dir = newDir();
    const lock = acquireLock(dir);
    expect(readFileSync(join(dir, 'crawl.lock'), 'utf8').trim()).toBe(String(process.pid));
    expect(() => acquireLock(dir)).toThrow(LockError);
    expect(() => acquireLock(dir)).toThrow(/^locked: /);
    lock.release();
    expect(existsSync(join(dir, 'crawl.lock'))).toBe(false);
    acquireLock(dir).release();
  });

  it('takes over a stale lock left by a dead process', () => {
    const dir = newDir();
    // A PID that surely existed and is now dead: a child that has exited.
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const deadPid = Number(child.stdout.toString());
    writeFileSync(join(dir, 'crawl.lock'), `${deadPid}\n`);
    const lock = acquireLock(dir);
    expect(readFileSync(join(dir, 'crawl.lock'), 'utf8').trim()).toBe(String(process.pid));
    lock.release();
  });
});

// crawl.sqlite as data directories made before the crawl state had migrations hold it: the schema
// string the old CrawlState executed, verbatim, and no migration journal
const PRE_MIGRATION_SCHEMA = `
CREATE TABLE IF NOT EXISTS fetch_log (
  id INTEGER PRIMARY KEY, url TEXT NOT NULL, final_url TEXT, method TEXT NOT NULL, status INTEGER, content_type TEXT,
  sha256 TEXT, size INTEGER, fetched_at TEXT NOT NULL, elapsed_ms INTEGER NOT NULL, site TEXT, run_id TEXT, error TEXT,
  via_browser INTEGER NOT NULL DEFAULT 0, kind TEXT
);
CREATE INDEX IF NOT EXISTS fetch_log_url ON fetch_log(url);
CREATE INDEX IF NOT EXISTS fetch_log_run ON fetch_log(run_id);
CREATE TABLE IF NOT EXISTS validators (
  cache_key TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, sha256 TEXT, content_type TEXT, final_url TEXT, updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS robots_skips (
  id INTEGER PRIMARY KEY, url TEXT NOT NULL, host TEXT NOT NULL, site TEXT, run_id TEXT, skipped_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS hosts (
  host TEXT PRIMARY KEY, needs_browser INTEGER NOT NULL DEFAULT 0, reason TEXT, cookies TEXT, updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS frontier (
  id INTEGER PRIMARY KEY, site TEXT NOT NULL, url TEXT NOT NULL, kind TEXT NOT NULL, meta TEXT,
  status TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0, error TEXT, result TEXT,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL, UNIQUE (site, url)
);
CREATE INDEX IF NOT EXISTS frontier_pending ON frontier(site, status, id);
`;

describe('crawl.sqlite made before migrations', () => {
  it('opens with its rows kept, failures given their code, and works on', () => {
    const dir = newDir();
    const old = new Database(join(dir, 'crawl.sqlite'));
    old.exec(PRE_MIGRATION_SCHEMA);
    const t = '2025-01-01T00:00:00.000Z';
    const addItem = old.prepare('INSERT INTO frontier (site, url, kind, meta, status, attempts, error, result, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    addItem.run('zj', 'https://a.gov.cn/list', 'listing', '{"step":"column"}', 'done', 1, null, '{"reports":1}', t, t);
    addItem.run('zj', 'https://a.gov.cn/private/1.html', 'article', null, 'failed', 1, 'robots-disallowed: robots.txt of a.gov.cn disallows this URL', null, t, t);
    addItem.run('zj', 'https://a.gov.cn/art/2.html', 'article', null, 'failed', 2, 'Something broke: no code', null, t, t);
    addItem.run('zj', 'https://a.gov.cn/art/3.html', 'article', null, 'pending', 0, null, null, t, t);
    old.prepare('INSERT INTO fetch_log (url, method, status, fetched_at, elapsed_ms, site, run_id, via_browser) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run('https://a.gov.cn/list', 'GET', 200, t, 12, 'zj', 'run0', 1);
    old.prepare('INSERT INTO validators (cache_key, etag, updated_at) VALUES (?, ?, ?)').run('https://a.gov.cn/list', '"v1"', t);
    old.prepare('INSERT INTO robots_skips (url, host, site, run_id, skipped_at) VALUES (?, ?, ?, ?, ?)').run('https://a.gov.cn/private/1.html', 'a.gov.cn', 'zj', 'run0', t);
    old.prepare('INSERT INTO hosts (host, needs_browser, reason, cookies, updated_at) VALUES (?, ?, ?, ?, ?)').run('a.gov.cn', 1, 'status-412', '{"cookies":[]}', t);
    old.close();

    const s = openCrawlState(dir);
    expect(s.frontier.list('zj').map((i) => [i.url, i.status, i.errorCode])).toEqual([
      ['https://a.gov.cn/list', 'done', null],
      ['https://a.gov.cn/private/1.html', 'failed', 'robots-disallowed'],
      ['https://a.gov.cn/art/2.html', 'failed', null],
      ['https://a.gov.cn/art/3.html', 'pending', null],
    ]);
    expect(s.frontier.list('zj')[0]).toMatchObject({ meta: { step: 'column' }, result: { reports: 1 }, attempts: 1 });
    expect(s.fetchLog.entries({ runId: 'run0' })).toMatchObject([{ url: 'https://a.gov.cn/list', status: 200, elapsedMs: 12, viaBrowser: true }]);
    expect(s.cache.get('https://a.gov.cn/list')?.etag).toBe('"v1"');
    expect(s.fetchLog.robotsSkips('run0')).toEqual([{ url: 'https://a.gov.cn/private/1.html', host: 'a.gov.cn', site: 'zj' }]);
    expect(s.hosts.get('a.gov.cn')).toEqual({ host: 'a.gov.cn', needsBrowser: true, reason: 'status-412', cookies: '{"cookies":[]}' });
    // the old UNIQUE (site, url) still refuses a second row; new steps commit as before
    expect(s.frontier.enqueue('zj', 'https://a.gov.cn/art/3.html', 'article').added).toBe(false);
    const next = s.frontier.nextPending('zj');
    expect(s.frontier.markDone(next?.id ?? -1, undefined, [{ url: 'https://a.gov.cn/art/4.html', kind: 'article' }])).toBe(1);
    s.close();

    // reopening applies nothing twice
    const again = openCrawlState(dir);
    expect(again.frontier.counts('zj')).toEqual({ pending: 1, done: 2, failed: 2 });
    expect(again.db.$client.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get()).toEqual({ n: 2 });
    again.close();
  });

  it('stores an absent meta or result as SQL NULL, not as JSON null', () => {
    const s = openCrawlState(newDir());
    const { id } = s.frontier.enqueue('zj', 'https://a.gov.cn/list', 'listing');
    s.frontier.markDone(id);
    expect(s.db.$client.prepare('SELECT meta, result FROM frontier WHERE id = ?').get(id)).toEqual({ meta: null, result: null });
    expect(s.frontier.get(id)).toMatchObject({ meta: null, result: null });
    s.close();
  });
});

describe('fetch log', () => {
  it("reads back each site's latest run (a run of several sites whole), not the history before it", () => {
    const dir = newDir();
    const s = openCrawlState(dir);
    const log = (url: string, site: string | null, runId: string, fetchedAt: string): void =>
      s.fetchLog.record({ url, finalUrl: url, method: 'GET', status: 200, contentType: 'text/html', sha256: null, size: 0, fetchedAt, elapsedMs: 1, site, runId, error: null, viaBrowser: false, kind: 'listing' });
    log('https://a.gov.cn/1', 'zj-a', 'night-1', '2026-01-01T00:00:00Z');
    log('https://b.gov.cn/1', 'zj-b', 'night-1', '2026-01-01T00:00:01Z');
    log('https://a.gov.cn/robots.txt', null, 'night-2', '2026-01-02T00:00:00Z');
    log('https://a.gov.cn/1', 'zj-a', 'night-2', '2026-01-02T00:00:01Z');
    log('https://a.gov.cn/2', 'zj-a', 'night-2', '2026-01-02T00:00:02Z');
    s.close();
    // zj-a's latest run is night-2 (robots.txt included); zj-b was last crawled in night-1, taken whole
    expect(readLatestRuns(dir).map((e) => `${e.runId} ${e.url}`)).toEqual([
      'night-1 https://a.gov.cn/1',
      'night-1 https://b.gov.cn/1',
      'night-2 https://a.gov.cn/robots.txt',
      'night-2 https://a.gov.cn/1',
      'night-2 https://a.gov.cn/2',
    ]);
    expect(readLatestRuns(newDir())).toEqual([]);
  });
});
