/**
 * Missing reports are visible (issue 13, point 4): in the nightly run, a year of a site's
 * expect.years whose report is due (by 31 January of the next year) and that neither the walk nor an
 * earlier run found is a `report-missing` warning; a site whose discovery finds no annual-report
 * column is a `column-not-found` error. Through runNightly against the replay server, with copies of
 * zj-haining (whose replica has a 2023 report, and a 2024 one in the updated mode) given their own
 * expect.years, so that the test does not depend on today's date or on the site.yml.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSites, selectSites, type Site } from '../../src/crawl/registry.ts';
import { dueYears, reportDeadline } from '../../src/nightly/breakage.ts';
import type { NightlySummary } from '../../src/nightly/run.ts';
import { startFaultProxy, type FaultProxy } from '../../testkit/replay/faults.ts';
import { startReplayServer, type ReplayServer } from '../../testkit/replay/server.ts';
import { nightly, query, removeTempDirs, tempDir } from './helpers.ts';

let server: ReplayServer;
let proxy: FaultProxy;
let haining: Site;
beforeAll(async () => {
  server = await startReplayServer();
  proxy = await startFaultProxy(server.url);
  [haining] = selectSites(loadSites(), ['zj-haining']) as [Site];
});
afterAll(async () => {
  await proxy.close();
  await server.close();
  removeTempDirs();
});

const EMPTY_COLUMN = '<!DOCTYPE html><html><head><meta charset="utf-8"><title>2023年政府信息公开年报</title></head><body><p>暂无信息</p></body></html>';

const missing = (run: NightlySummary): [string | null, string, string][] =>
  run.issues.filter((i) => i.code === 'report-missing').map((i) => [i.site, i.severity, i.message.match(/no report for (\d{4})/)?.[1] ?? i.message]);

describe('report-missing', () => {
  it("a department's year is due from 1 February of the next year, a government's from 1 April, Beijing time (条例 第四十九条)", () => {
    expect(reportDeadline(2023, 'department').toISOString()).toBe('2024-01-31T16:00:00.000Z');
    expect(reportDeadline(2023, 'county').toISOString()).toBe('2024-03-31T16:00:00.000Z');
    expect(dueYears([2021, 2025], new Date('2024-01-31T15:59:59Z'), 'department')).toEqual([2021, 2022]);
    expect(dueYears([2021, 2025], new Date('2024-01-31T16:00:00Z'), 'department')).toEqual([2021, 2022, 2023]);
    expect(dueYears([2021, 2025], new Date('2024-03-31T15:59:59Z'), 'city')).toEqual([2021, 2022]);
    expect(dueYears([2021, 2025], new Date('2024-03-31T16:00:00Z'), 'city')).toEqual([2021, 2022, 2023]);
    expect(dueYears([2021, 2025], new Date('2030-01-01T00:00:00Z'), 'province')).toEqual([2021, 2022, 2023, 2024, 2025]);
  });

  it('flags each due year of expect.years without a report, over what the walk found and what was known', async () => {
    const dir = tempDir();
    const site: Site = { ...haining, expect: { ...haining.expect, years: [2021, 2024] } };
    // 2024's report is not due yet on 20 January 2025: 2021 and 2022 are missing, 2023 was found
    const first = await nightly(dir, server.url, [], { sites: [site], noExport: true, now: new Date('2025-01-20T00:00:00Z') });
    expect(first.sites[0]).toMatchObject({ walked: 'first-walk', new: 1 });
    expect(missing(first)).toEqual([
      ['zj-haining', 'warning', '2021'],
      ['zj-haining', 'warning', '2022'],
    ]);
    expect(first.status).toBe('ok');
    const rows = query<{ code: string; severity: string }>(`${dir}/ogi.sqlite`, "SELECT code, severity FROM run_issues WHERE run_id = ? AND code = 'report-missing'", first.runId);
    expect(rows).toEqual([
      { code: 'report-missing', severity: 'warning' },
      { code: 'report-missing', severity: 'warning' },
    ]);

    // on 1 May 2025 the 2024 report of a county government is due; the updated replica lists it, while its 2023 column
    // now shows no list (through the fault proxy), and the walk starts from the 2024 column: the
    // 2023 report is known from the first run only
    const from2024: Site = { ...site, start: ['http://www.haining.gov.cn/col/col1229900011/index.html'] };
    server.setMode('updated');
    proxy.setRules([{ host: 'www.haining.gov.cn', path: '/col/col1229781527/index.html', fault: { type: 'replace', body: EMPTY_COLUMN, contentType: 'text/html; charset=utf-8' } }]);
    try {
      const second = await nightly(dir, proxy.url, [], { sites: [from2024], noExport: true, now: new Date('2025-05-01T00:00:00Z') });
      expect(second.sites[0]).toMatchObject({ reportLinks: 1, new: 1 });
      expect(missing(second)).toEqual([
        ['zj-haining', 'warning', '2021'],
        ['zj-haining', 'warning', '2022'],
      ]);
    } finally {
      proxy.setRules([]);
      server.setMode('initial');
    }
  }, 60_000);

  it('a site without expect.years expects no year', async () => {
    const dir = tempDir();
    const { years: _years, ...rest } = haining.expect;
    const run = await nightly(dir, server.url, [], { sites: [{ ...haining, expect: rest }], noExport: true, now: new Date('2030-06-01T00:00:00Z') });
    expect(run.sites[0]?.new).toBe(1);
    expect(missing(run)).toEqual([]);
  }, 60_000);
});

describe('column-not-found', () => {
  it('a site whose discovery finds no annual-report column is an error issue of that site', async () => {
    const dir = tempDir();
    // discovery from the home page, looking for a column name the portal does not have
    const lost: Site = { ...haining, start: ['http://www.haining.gov.cn/'], params: { ...haining.params, discoverText: '不存在的栏目名称' } };
    const run = await nightly(dir, server.url, [], { sites: [lost], noExport: true, now: new Date('2025-05-01T00:00:00Z') });
    expect(run.status).toBe('needs-attention');
    expect(run.issues.filter((i) => i.severity === 'error').map((i) => [i.site, i.code])).toEqual([['zj-haining', 'column-not-found']]);
    expect(run.issuesByCode['column-not-found']).toEqual({ severity: 'error', count: 1 });
  }, 60_000);
});
