/**
 * Every site in crawlers/ has a recorded fixture (crawlers/<prov>/<slug>/fixtures/: the pages a crawl of
 * it received, and expected.json, the parsed result). Re-parsing the recorded pages must give
 * exactly the expected result; fixtures recorded from the replay server are also checked against
 * the replica's own list of reports, so the expectation is not only the parser's own output.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CRAWLERS_DIR, loadSites } from '../../../src/crawl/registry.ts';
import { expectationFor, type SiteExpectation } from '../../../testkit/recording/record.ts';
import { RecordedFetcher, siteFixtureDir } from '../../../testkit/recording/recording.ts';
import { expectedReports } from '../../../testkit/replay/replicas.ts';

const sites = loadSites();

describe('site fixtures', () => {
  it('exist for every site in crawlers/ (record with: node bin/run-ts.js testkit/recording/record.ts --site ID)', () => {
    const missing = sites.filter((s) => !existsSync(join(siteFixtureDir(s), 'expected.json')) || !existsSync(join(siteFixtureDir(s), 'recording.json')));
    expect(missing.map((s) => s.id)).toEqual([]);
  });

  it('belong to a site in crawlers/ (a fixtures/ folder sits beside a site.yml)', () => {
    const dirs = new Set(sites.map((s) => siteFixtureDir(s)));
    const folders = readdirSync(CRAWLERS_DIR)
      .map((prov) => join(CRAWLERS_DIR, prov))
      .filter((p) => statSync(p).isDirectory())
      .flatMap((p) => readdirSync(p).map((slug) => join(p, slug, 'fixtures')))
      .filter((f) => existsSync(f));
    expect(folders.filter((f) => !dirs.has(f))).toEqual([]);
  });

  for (const site of sites) {
    describe(site.id, () => {
      const dir = siteFixtureDir(site);
      const expectedFile = join(dir, 'expected.json');

      it('parses its recorded pages to expected.json', async () => {
        expect(existsSync(expectedFile), `${site.id} has no fixture`).toBe(true);
        const expected = JSON.parse(readFileSync(expectedFile, 'utf8')) as SiteExpectation;
        const got = await expectationFor(site, new RecordedFetcher(dir), expected.source);
        expect(got).toEqual(expected);
        expect(got.reports.length).toBeGreaterThanOrEqual(site.expect.minReports);
        if (site.expect.maxReports !== undefined) expect(got.reports.length).toBeLessThanOrEqual(site.expect.maxReports);
        const [from, to] = site.expect.years ?? [1900, 2100];
        for (const r of got.reports) expect(r.year, r.title).toSatisfy((y: number) => y >= from && y <= to);
      });

      it('finds every report the replica publishes, with its year and agency', () => {
        const expected = JSON.parse(readFileSync(expectedFile, 'utf8')) as SiteExpectation;
        if (expected.source !== 'replay') return;
        const hosts = new Set(site.start.map((u) => new URL(u).hostname));
        const replica = expectedReports().filter((e) => hosts.has(e.host));
        expect(replica.length).toBeGreaterThan(0);
        for (const r of replica) {
          const found = expected.articles.find((a) => a.finalUrl === r.articleUrl);
          expect(found, r.articleUrl).toBeDefined();
          const link = expected.reports.find((l) => l.url === found?.url);
          expect(link?.year).toBe(r.values.year);
          expect(link?.agency?.replace(/^\(图文\)/, '')).toBe(r.values.agency);
          // a link to the document itself (a PDF) has no page title: its listed title is the report's
          expect(found?.mediaType === undefined ? found?.title : link?.title).toBe(r.title);
        }
      });
    });
  }
});
