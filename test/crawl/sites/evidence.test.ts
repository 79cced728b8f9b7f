// Issue 12, points 2 and 4: a start may carry the evidence URL it comes from (a real page of the
// column, from shared/evidence/ and shared/registry/zhejiang-portals.csv), and a site may
// declare sister hosts — other gov.cn hosts of the same government where its reports live.
import { describe, expect, it } from 'vitest';
import { evidencedColumn } from '../../../src/crawl/command.ts';
import { columnIdOf, governmentHosts, loadSites, parseSite, siteHosts, startEvidence } from '../../../src/crawl/registry.ts';

const FILE = 'crawlers/zj/test/site.yml';
const HEAD = `id: zj-test
name: 测试
region: "330481"
level: county
platform: jcms
`;

describe('evidenced starts', () => {
  it('takes a start with its evidence URL next to plain-string starts; adapters still see the URLs', () => {
    const s = parseSite(
      `${HEAD}start:
  - url: http://www.haining.gov.cn/col/col1229781527/index.html
    evidence: http://www.haining.gov.cn/art/2024/2/8/art_1229781527_5264708.html
  - http://www.haining.gov.cn/
`,
      FILE,
    );
    expect(s.start).toEqual(['http://www.haining.gov.cn/col/col1229781527/index.html', 'http://www.haining.gov.cn/']);
    expect(s.starts).toEqual([
      { url: 'http://www.haining.gov.cn/col/col1229781527/index.html', evidence: 'http://www.haining.gov.cn/art/2024/2/8/art_1229781527_5264708.html' },
      { url: 'http://www.haining.gov.cn/', evidence: null },
    ]);
    expect(startEvidence(s)).toEqual({ evidenced: 1, total: 2 });
    expect(evidencedColumn(s)).toBe('1/2');
  });

  it('keeps plain-string starts valid (not evidenced)', () => {
    const s = parseSite(`${HEAD}start: [http://www.haining.gov.cn/]\n`, FILE);
    expect(s.starts).toEqual([{ url: 'http://www.haining.gov.cn/', evidence: null }]);
    expect(evidencedColumn(s)).toBe('0/1');
  });

  it.each([
    // the evidence must show the start's column
    [
      'url: http://www.haining.gov.cn/col/col1229781527/index.html\n    evidence: http://www.haining.gov.cn/art/2024/2/8/art_1229000000_5264708.html',
      /start\.0\.evidence: http:\/\/www\.haining\.gov\.cn\/art\/2024\/2\/8\/art_1229000000_5264708\.html does not show column 1229781527/,
    ],
    ['url: http://www.haining.gov.cn/col/col1229781527/index.html\n    evidence: pages-text/haining-2023.txt', /start\.0\.evidence: must be an absolute http\(s\) URL/],
    ['url: http://www.haining.gov.cn/col/col1229781527/index.html', /site-invalid: .*start\.0/],
    ['url: http://www.haining.gov.cn/col/col1229781527/index.html\n    evidence: http://www.haining.gov.cn/art/2024/2/8/art_1229781527_5264708.html\n    note: x', /site-invalid: .*start\.0/],
  ])('refuses a bad evidenced start (%#)', (entry, message) => {
    expect(() => parseSite(`${HEAD}start:\n  - ${entry}\n`, FILE)).toThrow(message);
  });

  it('reads column ids from column and article URLs', () => {
    expect(columnIdOf('https://www.zhoushan.gov.cn/col/col1229781154/index.html')).toBe('1229781154');
    expect(columnIdOf('https://www.jiaxing.gov.cn/art/2023/1/17/art_1229708661_5056186.html')).toBe('1229708661');
    expect(columnIdOf('https://www.zj.gov.cn/')).toBeNull();
  });

  it('evidences every column start of crawlers/zj with a real page of the same column; home-page starts discover', () => {
    const byId = new Map(loadSites().map((s) => [s.id, s]));
    expect(byId.get('zj-haining')?.starts).toEqual([
      { url: 'http://www.haining.gov.cn/col/col1229781527/index.html', evidence: 'http://www.haining.gov.cn/art/2024/2/8/art_1229781527_5264708.html' },
    ]);
    expect(byId.get('zj-haiyan')?.starts[0]?.evidence).toBe('http://www.haiyan.gov.cn/art/2024/1/29/art_1229449092_89438.html');
    expect(byId.get('zj-jiaxing')?.starts.map((s) => s.evidence)).toEqual([
      'https://www.jiaxing.gov.cn/art/2023/1/17/art_1229708661_5056186.html',
      'https://www.jiaxing.gov.cn/art/2024/1/17/art_1229779129_5251843.html',
      'https://www.jiaxing.gov.cn/art/2025/3/10/art_1229849768_5473273.html',
    ]);
    // the city and province portals start from the report column of their registry row (CSV, pages-text)
    expect(Object.fromEntries(['zj-hangzhou', 'zj-huzhou', 'zj-lishui', 'zj-province', 'zj-quzhou', 'zj-shaoxing', 'zj-taizhou', 'zj-wenzhou', 'zj-zhoushan'].map((id) => [id, columnIdOf(byId.get(id)?.starts[0]?.evidence ?? '')]))).toEqual({
      'zj-hangzhou': '1229063423',
      'zj-huzhou': '1229513729',
      'zj-lishui': '1229850027',
      'zj-province': '1229776842',
      'zj-quzhou': '1229037201',
      'zj-shaoxing': '1229486299',
      'zj-taizhou': '1229199350',
      'zj-wenzhou': '1229850036',
      'zj-zhoushan': '1229781154',
    });
    for (const s of byId.values()) {
      if (s.province !== 'zj') continue;
      for (const st of s.starts) {
        // a column start carries its evidence; an unevidenced start is a home page to discover from
        if (columnIdOf(st.url) !== null) expect(st.evidence, `${s.id} ${st.url}`).not.toBeNull();
        else expect(new URL(st.url).pathname, `${s.id} ${st.url}`).toBe('/');
      }
    }
  });
});

describe('sister hosts', () => {
  it('allows a site its sister hosts and counts them among its government hosts', () => {
    const s = parseSite(`${HEAD}start: [http://www.ningbo.gov.cn/]\nsisterHosts: [ZFXX.ningbo.gov.cn]\n`, FILE);
    expect(s.sisterHosts).toEqual(['zfxx.ningbo.gov.cn']);
    expect(siteHosts(s)).toContain('zfxx.ningbo.gov.cn');
    expect(governmentHosts(s)).toEqual(['www.ningbo.gov.cn', 'zfxx.ningbo.gov.cn']);
  });

  it('takes a start on a sister host', () => {
    const s = parseSite(`${HEAD}start: [http://www.zhoushan.gov.cn/, http://xxgk.zhoushan.gov.cn/col/col1229485623/index.html]\nsisterHosts: [xxgk.zhoushan.gov.cn]\n`, FILE);
    expect(governmentHosts(s)).toEqual(['www.zhoushan.gov.cn', 'xxgk.zhoushan.gov.cn']);
  });

  it.each([
    ['files.example.com', /sisterHosts\.0: "files\.example\.com" is not under gov\.cn; a host outside gov\.cn goes in allowHosts/],
    ['gov.cn', /sisterHosts\.0: .*public suffix/],
    ['*.ningbo.gov.cn', /sisterHosts\.0: .*wildcard/],
    ['http://zfxx.ningbo.gov.cn', /sisterHosts\.0: .*not a bare host name/],
    ['127.0.0.1', /sisterHosts\.0: .*IP address/],
  ])('refuses sister host %s', (host, message) => {
    expect(() => parseSite(`${HEAD}start: [http://www.ningbo.gov.cn/]\nsisterHosts: ["${host}"]\n`, FILE)).toThrow(message);
  });

  it('declares the sister hosts the evidence names: Ningbo, Zhoushan, the province, Hangzhou, Huzhou', () => {
    const byId = new Map(loadSites().map((s) => [s.id, s]));
    expect(byId.get('zj-ningbo')?.sisterHosts).toEqual(['zfxx.ningbo.gov.cn']);
    expect(byId.get('zj-zhoushan')?.sisterHosts).toEqual(['xxgk.zhoushan.gov.cn']);
    expect(byId.get('zj-province')?.sisterHosts).toEqual(['zfxxgk.zj.gov.cn']);
    expect(byId.get('zj-hangzhou')?.sisterHosts).toEqual(['wsjkw.hangzhou.gov.cn', 'edu.hangzhou.gov.cn']);
    expect(byId.get('zj-huzhou')?.sisterHosts).toEqual(['xzfw.huzhou.gov.cn']);
    for (const s of byId.values()) for (const h of s.sisterHosts) expect(siteHosts(s), s.id).toContain(h);
  });
});
