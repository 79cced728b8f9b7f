import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRegistry, loadSites, parseSite, selectSites, siteHosts } from '../../../src/crawl/registry.ts';

const GOOD = `id: zj-test
name: 测试
region: "330481"
level: county
platform: jcms
start: [http://www.haining.gov.cn/col/col1229781527/index.html]
`;

describe('site registry', () => {
  const sites = loadSites();

  it("allows a site its start hosts, its allowHosts, its xxgk module hosts and its platform's file host", () => {
    const jcms = parseSite(
      `${GOOD}allowHosts: [zfxxgk.zj.gov.cn]\nparams:\n  annualReportModule: { area: "330483ZFC00000", years: [2022, 2024], host: "https://www.tx.gov.cn" }\n`,
      'crawlers/zj/test/site.yml',
    );
    expect(siteHosts(jcms).sort()).toEqual(['www.haining.gov.cn', 'www.tx.gov.cn', 'zfxxgk.zj.gov.cn', 'zjjcmspublic.oss-cn-hangzhou.aliyuncs.com']);
    const list = parseSite(GOOD.replace('platform: jcms', 'platform: static-list'), 'crawlers/zj/test/site.yml');
    expect(siteHosts(list)).toEqual(['www.haining.gov.cn']);
  });

  it('holds the province, all 11 Zhejiang cities, Haiyan, Haining, and a portal outside Zhejiang on another platform', () => {
    const zj = sites.filter((s) => s.province === 'zj');
    expect(zj.length).toBeGreaterThanOrEqual(14);
    const regions = new Set(zj.map((s) => s.region));
    for (const code of ['330000', '330100', '330200', '330300', '330400', '330500', '330600', '330700', '330800', '330900', '331000', '331100', '330424', '330481']) {
      expect(regions, code).toContain(code);
    }
    expect(sites.some((s) => s.province !== 'zj' && s.platform !== 'jcms')).toBe(true);
  });

  it('keeps the recorded real column ids for Haining, Haiyan and the per-year Jiaxing columns', () => {
    const byId = new Map(sites.map((s) => [s.id, s]));
    expect(byId.get('zj-haining')?.start).toEqual(['http://www.haining.gov.cn/col/col1229781527/index.html']);
    expect(byId.get('zj-haiyan')?.start).toEqual(['http://www.haiyan.gov.cn/col/col1229449092/index.html']);
    expect(byId.get('zj-jiaxing')?.start.map((u) => /col(\d+)/.exec(u)?.[1])).toEqual(['1229708661', '1229779129', '1229849768']);
  });

  it('accepts a valid site and applies defaults', () => {
    const s = parseSite(GOOD, 'crawlers/zj/test/site.yml');
    expect(s).toMatchObject({ id: 'zj-test', params: {}, allowHosts: [], expect: { minReports: 1 } });
  });

  it.each([
    [GOOD.replace('"330481"', '"3304"'), /site-invalid: crawlers\/zj\/test\/site.yml: region: a six-digit GB\/T 2260 code/],
    [GOOD.replace('platform: jcms', 'platform: wordpress'), /site-invalid: .*platform/],
    [GOOD.replace('start: [http://www.haining.gov.cn/col/col1229781527/index.html]', 'start: [www.haining.gov.cn]'), /start\.0: must be an absolute http\(s\) URL/],
    [GOOD + 'selectors: {}\n', /site-invalid: .*Unrecognized key/i],
    ['id: [unclosed', /site-invalid: .*YAML does not parse/],
  ])('rejects an invalid site.yml with a clear error (%#)', (text, message) => {
    expect(() => parseSite(text, 'crawlers/zj/test/site.yml')).toThrow(message);
  });

  it('reads only site.yml in a site folder: its replica, replica files and fixtures are not sites', () => {
    const root = mkdtempSync(join(tmpdir(), 'ogi-registry-'));
    mkdirSync(join(root, 'zj', 'test', 'fixtures', 'pages'), { recursive: true });
    mkdirSync(join(root, 'zj', 'test', 'replica-files'), { recursive: true });
    writeFileSync(join(root, 'zj', 'test', 'site.yml'), GOOD);
    writeFileSync(join(root, 'zj', 'test', 'replica.yml'), 'siteName: 测试\ncolumns: []\n');
    writeFileSync(join(root, 'zj', 'test', 'fixtures', 'recording.json'), '[]\n');
    writeFileSync(join(root, 'zj', 'test', 'replica-files', 'a.pdf'), '%PDF-1.7\n');
    expect(loadSites(root).map((s) => [s.id, s.dir.endsWith(join('zj', 'test')), s.crawler])).toEqual([['zj-test', true, null]]);
  });

  it('requires the id to match the folder', () => {
    const root = mkdtempSync(join(tmpdir(), 'ogi-registry-'));
    mkdirSync(join(root, 'zj', 'other'), { recursive: true });
    writeFileSync(join(root, 'zj', 'other', 'site.yml'), GOOD);
    expect(() => loadSites(root)).toThrow(/site-invalid: .*id must be "zj-other"/);
  });

  it('loads every valid site and reports each invalid site.yml with its file and field, instead of stopping at the first', () => {
    const root = mkdtempSync(join(tmpdir(), 'ogi-registry-'));
    for (const [prov, slug, text] of [
      ['zj', 'aaa', GOOD.replace('zj-test', 'zj-aaa').replace('"330481"', '"3304"')],
      ['zj', 'bbb', GOOD.replace('zj-test', 'zj-bbb')],
      ['zj', 'ccc', 'id: [unclosed'],
      ['zj', 'ddd', GOOD.replace('zj-test', 'zj-ddd')],
      ['zj', 'eee', GOOD],
    ] as const) {
      mkdirSync(join(root, prov, slug), { recursive: true });
      writeFileSync(join(root, prov, slug, 'site.yml'), text);
    }
    const { sites, invalid } = loadRegistry(root);
    expect(sites.map((s) => s.id)).toEqual(['zj-bbb', 'zj-ddd']);
    expect(invalid.map((e) => e.message)).toEqual([
      expect.stringMatching(/^site-invalid: .*zj\/aaa\/site\.yml: region: a six-digit GB\/T 2260 code/),
      expect.stringMatching(/^site-invalid: .*zj\/ccc\/site\.yml: YAML does not parse/),
      expect.stringMatching(/^site-invalid: .*zj\/eee\/site\.yml: id must be "zj-eee"/),
    ]);
    expect(invalid.map((e) => e.code)).toEqual(['site-invalid', 'site-invalid', 'site-invalid']);
    // loadSites, for tools that need every site valid, still stops at the first bad file
    expect(() => loadSites(root)).toThrow(/site-invalid: .*zj\/aaa\/site\.yml: region/);
  });

  it('selects sites by id and names the known ones for an unknown id', () => {
    expect(selectSites(sites, ['zj-haining']).map((s) => s.id)).toEqual(['zj-haining']);
    expect(() => selectSites(sites, ['zj-nowhere'])).toThrow(/site-unknown: no site "zj-nowhere" \(known: .*zj-haining/);
  });
});

describe('a site’s own crawler.ts', () => {
  it('replaces the platform adapter, building on it', async () => {
    const { loadAdapter } = await import('../../../src/crawl/adapters/index.ts');
    const root = mkdtempSync(join(tmpdir(), 'ogi-registry-'));
    mkdirSync(join(root, 'zj', 'test'), { recursive: true });
    writeFileSync(join(root, 'zj', 'test', 'site.yml'), GOOD);
    writeFileSync(
      join(root, 'zj', 'test', 'crawler.ts'),
      `export default (base) => ({ ...base, start: (site) => [...base.start(site), { url: 'http://www.haining.gov.cn/col/col1229900011/index.html', kind: 'listing', meta: { step: 'column' } }] });\n`,
    );
    const [site] = loadSites(root);
    expect(site?.crawler).toBe(join(root, 'zj', 'test', 'crawler.ts'));
    const adapter = await loadAdapter(site!);
    expect(adapter.start(site!).map((s) => s.url)).toEqual([
      'http://www.haining.gov.cn/col/col1229781527/index.html',
      'http://www.haining.gov.cn/col/col1229900011/index.html',
    ]);
    writeFileSync(join(root, 'zj', 'test', 'broken.ts'), 'export const adapter = 42;\n');
    await expect(loadAdapter({ ...site!, crawler: join(root, 'zj', 'test', 'broken.ts') })).rejects.toThrow(/crawler-invalid: /);
  });
});
