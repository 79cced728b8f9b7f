/**
 * ogi nightly against the replay server: a first run loads every replica report and writes the run
 * report and a snapshot; a second run with nothing changed fetches only robots.txt and the listing
 * heads (304s) and writes no snapshot; after the replicas change, the next run loads the new report
 * (its listing head changed) and a revisit finds the republished one; a newer extractor version
 * re-reads every report from the archive without the network.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSites, selectSites, type Site } from '../../src/crawl/registry.ts';
import { closeDatabase, openDatabase } from '../../src/load/index.ts';
import { reextractStale } from '../../src/ingest/index.ts';
import type { NightlySummary } from '../../src/nightly/run.ts';
import { readStatus, statusText } from '../../src/nightly/status.ts';
import { startReplayServer, type ReplayServer } from '../../testkit/replay/server.ts';
import { expectedReports } from '../../testkit/replay/replicas.ts';
import { verifyDatabase } from '../../testkit/replay/verify.ts';
import { dump, nightly, query, removeTempDirs, tempDir } from './helpers.ts';

const SITES = ['zj-haining', 'zj-jinhua', 'zj-haiyan', 'zj-huzhou', 'zj-lishui', 'sh-shanghai'];
const HOSTS = ['www.haining.gov.cn', 'www.jinhua.gov.cn', 'www.haiyan.gov.cn', 'www.huzhou.gov.cn', 'www.lishui.gov.cn', 'www.shanghai.gov.cn'];

let server: ReplayServer;
let dir: string;
let db: string;
let first: NightlySummary;

beforeAll(async () => {
  server = await startReplayServer();
  dir = tempDir();
  db = join(dir, 'ogi.sqlite');
  first = await nightly(dir, server.url, SITES);
});
afterAll(async () => {
  await server.close();
  removeTempDirs();
});

function mismatches(mode: 'initial' | 'updated'): string[] {
  const d = openDatabase(db);
  try {
    return verifyDatabase(d.$client, expectedReports(mode).filter((e) => HOSTS.includes(e.host))).flatMap((c) => (c.found ? c.mismatches.map((m) => `${c.url}: ${m}`) : [`${c.url}: missing`]));
  } finally {
    closeDatabase(d);
  }
}

describe('ogi nightly, run after run', () => {
  it('loads every replica report on the first run and writes the run report, a snapshot and the run row', () => {
    expect(first.status).toBe('ok');
    expect(mismatches('initial')).toEqual([]);
    expect(first.sites.every((s) => s.walked === 'first-walk')).toBe(true);
    expect(first.sites.reduce((n, s) => n + s.new, 0)).toBe(expectedReports('initial').filter((e) => HOSTS.includes(e.host)).length);
    const onDisk = JSON.parse(readFileSync(join(first.runDir, 'summary.json'), 'utf8')) as NightlySummary;
    expect(onDisk.runId).toBe(first.runId);
    const md = readFileSync(join(first.runDir, 'summary.md'), 'utf8');
    expect(md).toContain('## Sites');
    expect(md).toContain('zj-haiyan');
    expect(first.snapshot).not.toBeNull();
    expect(existsSync(join(first.snapshot as string, 'datapackage.json'))).toBe(true);
    // published with its website, whose report pages carry the archived source documents
    expect(existsSync(join(first.snapshot as string, 'site', 'index.html'))).toBe(true);
    expect(readdirSync(join(first.snapshot as string, 'site', 'sources')).length).toBeGreaterThan(0);
    expect(first.issues.filter((i) => i.code.startsWith('site-'))).toEqual([]);
    // the cross-year checks are published with the snapshot
    const crossYear = readFileSync(join(first.snapshot as string, 'csv', 'cross_year_checks.csv'), 'utf8').trim().split(/\r?\n/);
    expect(crossYear[0]).toBe('report_id,previous_report_id,applicant_code,carried_over,previous_carried_forward,passed');
    expect(crossYear.length - 1).toBe(first.crossYear.compared);
    expect(query(db, 'SELECT status, requests FROM nightly_runs')).toEqual([{ status: 'ok', requests: first.requests.total }]);
  });

  it('a second run with nothing changed asks only for robots.txt and listing heads, conditionally, and exports nothing', async () => {
    const before = dump(db);
    const mark = server.requests.length;
    const again = await nightly(dir, server.url, SITES);
    const asked = server.requests.slice(mark);
    expect(again.status).toBe('ok');
    expect(again.sites.every((s) => s.walked === null)).toBe(true);
    expect(again.snapshot).toBeNull();
    expect(asked.length).toBe(again.requests.total);
    expect(asked.filter((q) => q.path !== '/robots.txt').every((q) => q.status === 304 && /\/col\/|nw12344\/index/.test(q.path))).toBe(true);
    expect(asked.some((q) => q.path.includes('/art/') || q.path.includes('downfile'))).toBe(false);
    expect(again.requests.total).toBeLessThan(first.requests.total / 2);
    expect(dump(db)).toEqual(before);
  });

  it('after replica pages change: a changed listing head brings in the new report; a revisit finds the republished one', async () => {
    server.setMode('updated');
    try {
      const third = await nightly(dir, server.url, SITES);
      const bySite = Object.fromEntries(third.sites.map((s) => [s.site, s]));
      expect(bySite['zj-haining']).toMatchObject({ walked: 'listing-changed', new: 1 });
      // jinhua's listing did not change: its corrected report waits for its revisit
      expect(bySite['zj-jinhua']).toMatchObject({ walked: null, changed: 0 });
      // the snapshot is incremental: its CHANGES.md names exactly the report that was added
      const changes = readFileSync(join(third.snapshot as string, 'CHANGES.md'), 'utf8');
      expect(changes).toMatch(/## Reports added[\s\S]*\| 海宁市人民政府 \| 2024 \|/);
      expect(changes).not.toContain('## Revised values');
      // besides report-missing warnings for the years the replicas lack (test/nightly/missing.test.ts)
      expect(third.issues.filter((i) => i.code !== 'report-missing')).toEqual([]);
      const revisit = await nightly(dir, server.url, SITES, { revisitDays: 0 });
      expect(Object.fromEntries(revisit.sites.map((s) => [s.site, s]))['zj-jinhua']).toMatchObject({ walked: 'revisit', changed: 1 });
      const revised = readFileSync(join(revisit.snapshot as string, 'CHANGES.md'), 'utf8');
      expect(revised).toMatch(/## New document versions[\s\S]*\| 金华市人民政府 \| 2023 \|/);
      expect(revised).toContain('## Revised values');
      expect(mismatches('updated')).toEqual([]);
      const versions = query(db, "SELECT r.version, r.is_current FROM reports r JOIN agencies a ON a.id = r.agency_id WHERE a.name = '金华市人民政府' ORDER BY r.version");
      expect(versions).toEqual([
        { version: 1, is_current: 0 },
        { version: 2, is_current: 1 },
      ]);
    } finally {
      server.setMode('initial');
    }
  });

  it('re-extracts reports read by an older extractor from the archive, without the network', async () => {
    const before = dump(db);
    const d = openDatabase(db);
    try {
      const n = d.$client.prepare("UPDATE reports SET extractor_version = 'old'").run().changes;
      const mark = server.requests.length;
      const re = await reextractStale(d, dir);
      expect(re.reextracted).toBe(n);
      expect(server.requests.length).toBe(mark);
      expect(d.$client.prepare("SELECT count(*) AS n FROM reports WHERE extractor_version = 'old'").get()).toEqual({ n: 0 });
    } finally {
      closeDatabase(d);
    }
    expect(dump(db)).toEqual(before);
  });

  it("walks a site again when its site.yml changed, even though its listing heads did not", async () => {
    const [haining, ...rest] = selectSites(loadSites(), SITES) as [Site, ...Site[]];
    const edited: Site = { ...haining, params: { ...haining.params, maxPages: 7 } };
    const run = await nightly(dir, server.url, [], { sites: [edited, ...rest] });
    expect(run.sites.map((s) => s.walked)).toEqual(['config-changed', null, null, null, null, null]);
    expect(run.sites[0]).toMatchObject({ new: 0, changed: 0 });
    const again = await nightly(dir, server.url, [], { sites: [edited, ...rest] });
    expect(again.sites[0]?.walked).toBeNull();
  });

  it('ogi status shows coverage per site × year, the last successful run and open issues', () => {
    const d = openDatabase(db);
    try {
      const s = readStatus(d.$client);
      expect(s.lastSuccessfulRun?.id).toBeTruthy();
      expect(s.coverage.find((c) => c.site === 'zj-haining' && c.year === 2024)).toMatchObject({ loaded: 1, links: 1 });
      const text = statusText(s);
      expect(text).toContain('zj-haiyan');
      expect(text).toContain('last successful run: ');
    } finally {
      closeDatabase(d);
    }
  });

  it('refuses a second run on the same data directory while one holds the lock', async () => {
    const running = nightly(dir, server.url, SITES);
    await expect(nightly(dir, server.url, SITES)).rejects.toThrow(/^locked: /);
    await running;
  });
});
