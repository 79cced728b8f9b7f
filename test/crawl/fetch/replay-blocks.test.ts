// Issue 14 point 3 against the replay server: the fault proxy (testkit/replay/faults.ts) puts an
// openresty CT6T-style WAF (302 to the same URL with a cookie), a 521 加速乐 challenge and a firewall's
// empty answer in front of the Fujian replicas; the crawls load every report with every value equal,
// and a host the challenge walls off (browser off) becomes one `blocked` run issue. Evidence: see the
// fault types in testkit/replay/faults.ts. Needs /usr/bin/chromium.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSites, selectSites } from '../../../src/crawl/registry.ts';
import { runCrawl } from '../../../src/crawl/run.ts';
import { closeDatabase, openDatabase } from '../../../src/load/index.ts';
import { runNightly } from '../../../src/nightly/run.ts';
import { startFaultProxy, type FaultProxy } from '../../../testkit/replay/faults.ts';
import { expectedReports } from '../../../testkit/replay/replicas.ts';
import { startReplayServer, type ReplayServer } from '../../../testkit/replay/server.ts';
import { verifyDatabase } from '../../../testkit/replay/verify.ts';

let server: ReplayServer;
let proxy: FaultProxy;
const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'ogi-blocks-'));
  dirs.push(d);
  return d;
};

beforeAll(async () => {
  server = await startReplayServer();
  proxy = await startFaultProxy(server.url);
});
afterAll(async () => {
  await proxy.close();
  await server.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function mismatches(dir: string, hosts: string[]): string[] {
  const db = openDatabase(join(dir, 'ogi.sqlite'));
  try {
    const expected = expectedReports('initial').filter((e) => hosts.includes(e.host));
    expect(expected.length).toBeGreaterThan(0);
    return verifyDatabase(db.$client, expected).flatMap((c) => (c.found ? c.mismatches.map((m) => `${c.url}: ${m}`) : [`${c.url}: missing`]));
  } finally {
    closeDatabase(db);
  }
}

describe('blocks in front of the replicas', () => {
  it('crawls through a CT6T 302-with-cookie WAF, a 521 加速乐 challenge (browser) and an empty answer', async () => {
    proxy.setRules([
      { host: 'www.pingtan.gov.cn', path: /.*/, fault: { type: 'waf-redirect' } },
      { host: 'www.fujian.gov.cn', path: /.*/, fault: { type: 'jsl-challenge' } },
      { host: 'scjgj.fujian.gov.cn', path: /\/t\d{8}_\d+\.htm$/, fault: { type: 'empty' }, times: 1 },
    ]);
    const dir = tempDir();
    const sites = selectSites(loadSites(), ['fj-pingtan', 'fj-fujian', 'fj-scjgj']);
    const summary = await runCrawl({ sites, dataDir: dir, dbPath: join(dir, 'ogi.sqlite'), via: proxy.url, delayMs: 0 });
    expect(mismatches(dir, ['www.pingtan.gov.cn', 'www.fujian.gov.cn', 'scjgj.fujian.gov.cn'])).toEqual([]);
    expect(summary.browserHosts).toEqual(['www.fujian.gov.cn']);
    for (const s of summary.sites) expect(s.warnings.filter((w) => w.code === 'blocked')).toEqual([]);
    const hits = (host: string, type: string) => proxy.hits.filter((h) => h.host === host && h.fault === type).length;
    // the WAF stopped the first request only: its cookie went with every later one
    expect(hits('www.pingtan.gov.cn', 'waf-redirect')).toBe(1);
    expect(hits('www.fujian.gov.cn', 'jsl-challenge')).toBeGreaterThanOrEqual(1);
    expect(hits('scjgj.fujian.gov.cn', 'empty')).toBe(1);
  });

  it('a host the challenge walls off (browser off) is one `blocked` run issue naming host and status', async () => {
    proxy.setRules([{ host: 'www.fujian.gov.cn', path: /.*/, fault: { type: 'jsl-challenge' } }]);
    const dir = tempDir();
    const sites = selectSites(loadSites(), ['fj-fujian']);
    const run = await runNightly({ sites, dataDir: dir, dbPath: join(dir, 'ogi.sqlite'), via: proxy.url, delayMs: 0, browser: 'never', noExport: true });
    expect(run.issues.filter((i) => i.code === 'blocked')).toEqual([
      { site: 'fj-fujian', code: 'blocked', severity: 'error', message: 'www.fujian.gov.cn blocks the crawler (status-521; the browser is off); nothing more was fetched from it in this run' },
    ]);
  });
});
