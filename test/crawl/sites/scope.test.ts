// Issue 17 point 7: a site.yml cannot widen the crawl beyond government hosts by accident. A start
// host must be under gov.cn or listed in allowHosts, and allowHosts entries are full host names
// (no bare suffix such as `com` or `gov.cn`, no IP literal such as `127.0.0.1` or its tail `0.0.1`).
import { describe, expect, it } from 'vitest';
import { loadSites, parseSite, siteHosts } from '../../../src/crawl/registry.ts';

const site = (start: string, allowHosts?: string): string =>
  `id: zj-test
name: 测试
region: "330481"
level: county
platform: jcms
start: ["${start}"]
${allowHosts === undefined ? '' : `allowHosts: ${allowHosts}\n`}`;

const FILE = 'crawlers/zj/test/site.yml';

describe('site.yml scope', () => {
  it.each([
    ['com'],
    ['cn'],
    ['gov.cn'],
    ['com.cn'],
    ['net.cn'],
    ['127.0.0.1'],
    ['0.0.1'],
    ['10.0.0.8'],
    ['"[::1]"'],
    ['localhost'],
    ['"*.example.com"'],
    ['.example.com'],
    ['-bad.example.com'],
    ['bad-.example.com'],
    ['a..example.com'],
    ['"example.com:8080"'],
    ['www.example.123'],
  ])('refuses allowHosts entry %s: entries must be full host names', (entry) => {
    expect(() => parseSite(site('http://www.haining.gov.cn/', `[${entry}]`), FILE)).toThrow(/site-invalid: crawlers\/zj\/test\/site.yml: allowHosts\.0: /);
  });

  it('accepts full host names in allowHosts, lower-cased', () => {
    const s = parseSite(site('http://www.haining.gov.cn/', '[zjjcmspublic.oss-cn-hangzhou.aliyuncs.com, zfxxgk.zj.gov.cn, Files.Example.COM]'), FILE);
    expect(s.allowHosts).toEqual(['zjjcmspublic.oss-cn-hangzhou.aliyuncs.com', 'zfxxgk.zj.gov.cn', 'files.example.com']);
  });

  it.each([
    ['https://www.example.com/'],
    ['https://www.gov.cn.example.com/'],
    ['https://xgov.cn/'],
    ['http://127.0.0.1:8080/'],
    ['http://[::1]/'],
  ])('refuses a start URL outside gov.cn that allowHosts does not list: %s', (start) => {
    expect(() => parseSite(site(start), FILE)).toThrow(
      /site-invalid: crawlers\/zj\/test\/site.yml: start: .* is not a government host; list it in allowHosts if the evidence shows it is the portal's/,
    );
  });

  it('accepts a start host outside gov.cn once allowHosts lists it (exactly)', () => {
    expect(parseSite(site('https://www.example.com/a.html', '[www.example.com]'), FILE).start).toEqual(['https://www.example.com/a.html']);
    expect(() => parseSite(site('https://other.example.com/', '[www.example.com]'), FILE)).toThrow(/not a government host/);
  });

  it('accepts every site in crawlers/, each host a gov.cn host or a full host name', () => {
    const sites = loadSites();
    expect(sites.length).toBeGreaterThan(10);
    for (const s of sites) for (const h of siteHosts(s)) expect(h.endsWith('.gov.cn') || h.split('.').length >= 3, `${s.id}: ${h}`).toBe(true);
  });
});
