import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock, LockError, openCrawlState } from '../../../src/crawl/state.ts';
import { tempDirs } from './tmp.ts';

const newDir = tempDirs('ogi-state-');

describe('crawl frontier', () => {
  it('queues a URL once per site, hands items out FIFO and counts pending', () => {
    const s = openCrawlState(newDir());
    const a = s.enqueue('zj', 'https://www.zj.gov.cn/col/col1/index.html', 'listing', { page: 1 });
    expect(a.added).toBe(true);
    expect(s.enqueue('zj', 'https://www.zj.gov.cn/col/col1/index.html', 'listing').added).toBe(false);
    expect(s.enqueue('zj', 'https://www.zj.gov.cn/col/col1/index.html', 'listing').id).toBe(a.id);
    // Another site may queue the same URL.
    expect(s.enqueue('hz', 'https://www.zj.gov.cn/col/col1/index.html', 'listing').added).toBe(true);
    s.enqueue('zj', 'https://www.zj.gov.cn/art/2024/1/1/art_1_2.html', 'article');
    expect(s.pendingCount('zj')).toBe(2);
    const first = s.nextPending('zj');
    expect(first?.url).toBe('https://www.zj.gov.cn/col/col1/index.html');
    expect(first?.meta).toEqual({ page: 1 });
    s.close();
  });

  it('marks an item done and queues what it discovered in one step; done URLs are never queued again', () => {
    const s = openCrawlState(newDir());
    const { id } = s.enqueue('zj', 'https://a.gov.cn/list', 'listing');
    const added = s.markDone(id, { status: 200 }, [
      { url: 'https://a.gov.cn/art/1.html', kind: 'article' },
      { url: 'https://a.gov.cn/art/1.html', kind: 'article' },
      { url: 'https://a.gov.cn/list', kind: 'listing' },
    ]);
    expect(added).toBe(1);
    expect(s.getItem(id)).toMatchObject({ status: 'done', attempts: 1, result: { status: 200 } });
    expect(s.enqueue('zj', 'https://a.gov.cn/list', 'listing').added).toBe(false);
    expect(s.nextPending('zj')?.url).toBe('https://a.gov.cn/art/1.html');
    const art = s.nextPending('zj');
    s.markFailed(art?.id ?? -1, 'http-404: HTTP 404');
    expect(s.frontierCounts('zj')).toEqual({ pending: 0, done: 1, failed: 1 });
    expect(s.nextPending('zj')).toBeUndefined();
    expect(s.requeueFailed('zj')).toBe(1);
    expect(s.pendingCount('zj')).toBe(1);
    expect(() => s.markDone(999, {})).toThrow(/^frontier-unknown-id: /);
    s.close();
  });

  it('keeps validators, robots skips and host state across reopen', () => {
    const dir = newDir();
    const s = openCrawlState(dir);
    s.putValidators('https://a.gov.cn/', { etag: '"x"', lastModified: null, sha256: 'ab'.repeat(32), contentType: 'text/html', finalUrl: null });
    s.recordRobotsSkip('https://a.gov.cn/private', 'a.gov.cn', 'zj', 'run1');
    s.markHostNeedsBrowser('a.gov.cn', 'status-412');
    s.setHostCookies('a.gov.cn', '{"cookies":[]}');
    s.close();
    const t = openCrawlState(dir);
    expect(t.getValidators('https://a.gov.cn/')?.etag).toBe('"x"');
    expect(t.robotsSkips('run1')).toEqual([{ url: 'https://a.gov.cn/private', host: 'a.gov.cn', site: 'zj' }]);
    expect(t.getHost('a.gov.cn')).toMatchObject({ needsBrowser: true, reason: 'status-412', cookies: '{"cookies":[]}' });
    expect(t.db.pragma('journal_mode', { simple: true })).toBe('wal');
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
