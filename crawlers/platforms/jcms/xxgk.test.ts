/**
 * The xxgk modules over replica pages built from the evidence (replica/xxgk-pages.ts):
 * pages-text/xxgk-annualreport-module.txt (module URLs per organ × year on wenzhou, longwan, tx,
 * linhai, lishui), pages-text/quzhou-2022.txt (report under 组配分类 2022年度) and the search.jsp
 * request shape in zj-request-evidence.md / the notes. The answer markup is assumed (see the replica).
 */
import { describe, expect, it } from 'vitest';
import { CrawlContext, type PageFetcher } from '../../../src/crawl/context.ts';
import { parseSite, type Site } from '../../../src/crawl/registry.ts';
import { jcmsAdapter } from './adapter.ts';
import type { CrawlWarning, ReportLink, Step } from '../../../src/crawl/step.ts';
import {
  annualReportModuleUrl,
  isXxgkStep,
  parseModuleAnswer,
  parseSearchAnswer,
  runXxgkStep,
  xxgkParams,
  xxgkStartSteps,
} from './xxgk.ts';
import { XxgkParamsSchema } from './params.ts';
import { moduleAnswerHtml, searchAnswerHtml, xxgkFetcher, type XxgkReplica } from './replica/xxgk-pages.ts';
import seeds from '../../../testkit/data/seeds.json' with { type: 'json' };
import type { ReportValues } from '../../../testkit/reports/report-html.ts';

function site(start: string, params: Record<string, unknown>): Site {
  return { id: 'zj-test', name: 'test', region: '330300', level: 'city', platform: 'jcms', start: [start], params, allowHosts: [], expect: { minReports: 1 }, dir: 'crawlers/zj/test', province: 'zj', crawler: null } as unknown as Site;
}

async function walk(s: Site, fetcher: PageFetcher): Promise<{ steps: Step[]; reports: ReportLink[]; warnings: CrawlWarning[] }> {
  const queue = xxgkStartSteps(s);
  const seen = new Set(queue.map((q) => q.url));
  const out = { steps: [] as Step[], reports: [] as ReportLink[], warnings: [] as CrawlWarning[] };
  while (queue.length) {
    const step = queue.shift() as Step;
    expect(isXxgkStep(step)).toBe(true);
    out.steps.push(step);
    const ctx = new CrawlContext(s, fetcher);
    await runXxgkStep(step, ctx);
    out.warnings.push(...ctx.warnings);
    for (const n of ctx.steps) if (!seen.has(n.url)) (seen.add(n.url), queue.push(n));
    for (const r of ctx.reports) if (!out.reports.some((x) => x.url === r.url)) out.reports.push(r);
  }
  return out;
}

const values = (agency: string, year: number): ReportValues => ({ ...(seeds as unknown as Record<string, ReportValues>).seed000!, agency, year });

describe('xxgk params', () => {
  it('takes one organ code or several, one module or a list, and refuses a bad year range', () => {
    expect(XxgkParamsSchema.parse({ annualReportModule: { area: '001008003015001', years: [2022, 2024] } }).annualReportModule).toEqual([{ area: ['001008003015001'], years: [2022, 2024] }]);
    expect(XxgkParamsSchema.parse({ annualReportModule: [{ area: ['a', 'b'], years: [2023, 2023], host: 'https://www.tx.gov.cn/' }] }).annualReportModule?.[0]?.host).toBe('https://www.tx.gov.cn');
    expect(() => XxgkParamsSchema.parse({ annualReportModule: { area: 'x', years: [2024, 2022] } })).toThrow();
    expect(() => XxgkParamsSchema.parse({ xxgkSearch: { jdid: 3084, divid: '1525479', infotypeId: 'A0102' } })).toThrow();
    expect(xxgkParams(site('http://www.wenzhou.gov.cn/', { webid: '1' }))).toEqual({});
    // parsing is idempotent: params the registry already parsed with XxgkParamsShape parse again alike
    const once = XxgkParamsSchema.parse({ annualReportModule: { area: 'LH331082-018', years: [2023, 2023], query: { showType: '2' } }, xxgkSearch: { jdid: 3084, divid: 'div1525479', infotypeId: { '2022': 'A0102' } } });
    expect(XxgkParamsSchema.parse(once)).toEqual(once);
    expect(xxgkStartSteps(site('http://www.wenzhou.gov.cn/', {}))).toEqual([]);
  });
});

describe('the annual-report module (xxgkAnnualReport.jsp)', () => {
  it('asks for each organ and year with the URL shape of the evidence', () => {
    // xxgk-annualreport-module.txt: https://www.wenzhou.gov.cn/module/xxgk/xxgkAnnualReport.jsp?area=001008003015001&fbtime=2024
    expect(annualReportModuleUrl('https://www.wenzhou.gov.cn', '001008003015001', 2024)).toBe('https://www.wenzhou.gov.cn/module/xxgk/xxgkAnnualReport.jsp?area=001008003015001&fbtime=2024');
    // linhai: area=LH331082-018&fbtime=2023&showType=2&artId=86132
    expect(annualReportModuleUrl('https://www.linhai.gov.cn', 'LH331082-018', 2023, { showType: '2', artId: '86132' })).toBe(
      'https://www.linhai.gov.cn/module/xxgk/xxgkAnnualReport.jsp?area=LH331082-018&fbtime=2023&showType=2&artId=86132',
    );
    const steps = xxgkStartSteps(site('http://www.wenzhou.gov.cn/col/col1229781587/index.html', { annualReportModule: { area: '001008003015001', years: [2022, 2024] } }));
    expect(steps.map((s) => s.url)).toEqual([2024, 2023, 2022].map((y) => `http://www.wenzhou.gov.cn/module/xxgk/xxgkAnnualReport.jsp?area=001008003015001&fbtime=${y}#listing`));
    expect(steps[0]?.meta).toMatchObject({ step: 'xxgk-module', area: '001008003015001', year: 2024, module: 'http://www.wenzhou.gov.cn/module/xxgk/xxgkAnnualReport.jsp?area=001008003015001&fbtime=2024' });
  });

  it('takes an answer that carries the report as the report, at the module URL', () => {
    const html = moduleAnswerHtml({ area: '330483ZFC00000', year: 2024, shape: 'report', title: '桐乡市人民政府2024年政府信息公开工作年度报告', values: values('桐乡市人民政府', 2024) });
    const a = parseModuleAnswer(html, 'https://www.tx.gov.cn/module/xxgk/xxgkAnnualReport.jsp?area=330483ZFC00000&fbtime=2024', 2024);
    expect(a.report).toEqual({ title: '桐乡市人民政府2024年政府信息公开工作年度报告', agency: '桐乡市人民政府', year: 2024 });
    expect(a.empty).toBe(false);
  });

  it('reads a report whose title is only in the text, and says 暂无 is empty', () => {
    const text = `<html><body><div>2017年丽水市政府信息公开工作年度报告</div><p>一、概述</p><p>一、总体情况 …</p>${'<p>正文</p>'.repeat(40)}</body></html>`;
    expect(parseModuleAnswer(text, 'http://www.lishui.gov.cn/module/xxgk/xxgkAnnualReport.jsp?fbtime=2017&area=113325000026455663', 2017).report).toEqual({ title: '2017年丽水市政府信息公开工作年度报告', agency: '丽水市', year: 2017 });
    const none = parseModuleAnswer(moduleAnswerHtml({ area: 'x', year: 2022, shape: 'absent' }), 'http://www.wenzhou.gov.cn/m', 2022);
    expect(none).toEqual({ report: null, links: [], empty: true });
  });

  it('walks organs × years: a report page, a list of report articles, a year without a report (warned)', async () => {
    const replica: XxgkReplica = {
      host: 'www.longwan.gov.cn',
      modules: [
        { area: '001008003002032', year: 2023, shape: 'report', title: '温州市龙湾区人民政府2023年政府信息公开工作年度报告', values: values('温州市龙湾区人民政府', 2023) },
        {
          area: '001008003002012',
          year: 2024,
          shape: 'links',
          links: [
            { href: '/art/2025/1/20/art_1229780000_100001.html', title: '温州市龙湾区发展和改革局2024年政府信息公开工作年度报告', date: '2025-01-20' },
            { href: '/art/2025/1/21/art_1229780000_100002.html', title: '温州市龙湾区2024年法治政府建设年度报告', date: '2025-01-21' },
          ],
        },
      ],
      searches: [],
    };
    const s = site('http://www.longwan.gov.cn/', { annualReportModule: [{ area: '001008003002032', years: [2023, 2023] }, { area: ['001008003002012'], years: [2023, 2024] }] });
    const w = await walk(s, xxgkFetcher(replica));
    expect(w.reports.map((r) => [r.url, r.year, r.agency])).toEqual([
      ['http://www.longwan.gov.cn/module/xxgk/xxgkAnnualReport.jsp?area=001008003002032&fbtime=2023', 2023, '温州市龙湾区人民政府'],
      ['http://www.longwan.gov.cn/art/2025/1/20/art_1229780000_100001.html', 2024, '温州市龙湾区发展和改革局'],
    ]);
    expect(w.warnings.map((x) => [x.code, x.url])).toEqual([['xxgk-module-empty', 'http://www.longwan.gov.cn/module/xxgk/xxgkAnnualReport.jsp?area=001008003002012&fbtime=2023']]);
  });
});

describe('the xxgk directory (search.jsp)', () => {
  const rows = [
    { href: '/art/2023/3/10/art_1229037201_5078305.html', title: '衢州市人民政府2022年政府信息公开工作年度报告', date: '2023-03-10' },
    { href: '/art/2023/3/1/art_1229037201_5070001.html', title: '衢州市2022年法治政府建设年度报告', date: '2023-03-01' },
    ...Array.from({ length: 20 }, (_, i) => ({ href: `/art/2023/2/${i + 1}/art_1229037201_50600${String(i).padStart(2, '0')}.html`, title: `衢州市第${i + 1}号通知`, date: `2023-02-${String(i + 1).padStart(2, '0')}` })),
    // a title without its year under the 2022年度 category: the category's year fills in [assumed form]
    { href: '/art/2023/1/20/art_1229037201_5050001.html', title: '衢州市人民政府办公室政府信息公开工作年度报告', date: '2023-01-20' },
  ];
  const replica: XxgkReplica = { host: 'www.qz.gov.cn', modules: [], searches: [{ divid: 'div1525479', infotypeId: 'A0102', rows, perPage: 15 }] };

  it('POSTs the directory form, pages by currpage to 共N页, and takes the reports under 组配分类 2022年度', async () => {
    const log: { method: string; url: string; form?: Record<string, string> }[] = [];
    const s = site('https://www.qz.gov.cn/', { xxgkSearch: { jdid: 3084, divid: 'div1525479', infotypeId: { '2022': 'A0102' } } });
    const w = await walk(s, xxgkFetcher(replica, log));
    expect(log.map((l) => [l.method, l.form?.currpage])).toEqual([
      ['POST', '1'],
      ['POST', '2'],
    ]);
    expect(log[0]?.form).toMatchObject({ infotypeId: 'A0102', jdid: '3084', divid: 'div1525479', fbtime: '-1', isAllList: '1' });
    expect(w.steps[0]?.meta.head).toBe(true);
    expect(w.reports.map((r) => [r.url, r.year, r.agency, r.listedDate])).toEqual([
      ['https://www.qz.gov.cn/art/2023/3/10/art_1229037201_5078305.html', 2022, '衢州市人民政府', '2023-03-10'],
      ['https://www.qz.gov.cn/art/2023/1/20/art_1229037201_5050001.html', 2022, '衢州市人民政府办公室', '2023-01-20'],
    ]);
    expect(w.warnings).toEqual([]);
  });

  it('reads the page count of an answer and warns when a category holds no report', async () => {
    expect(parseSearchAnswer(searchAnswerHtml({ divid: 'd', infotypeId: 'i', rows, perPage: 10 }, 1), 'https://www.qz.gov.cn/', null).totalPages).toBe(3);
    const s = site('https://www.qz.gov.cn/', { xxgkSearch: { jdid: '3084', divid: 'div1525479', infotypeId: 'Z9999' } });
    const w = await walk(s, xxgkFetcher(replica));
    expect(w.warnings.map((x) => x.code)).toEqual(['xxgk-search-empty']);
  });
});

describe('module answers and the year', () => {
  it('takes the title at its word when it names the year before fbtime (fbtime may be the publish year)', () => {
    const html = moduleAnswerHtml({ area: '001008003015001', year: 2024, shape: 'report', title: '温州市人民政府2023年政府信息公开工作年度报告', values: values('温州市人民政府', 2023) });
    expect(parseModuleAnswer(html, 'https://www.wenzhou.gov.cn/module/xxgk/xxgkAnnualReport.jsp?area=001008003015001&fbtime=2024', 2024).report).toEqual({ title: '温州市人民政府2023年政府信息公开工作年度报告', agency: '温州市人民政府', year: 2023 });
  });
});

describe('the jcms adapter', () => {
  it('starts and runs the module steps of a site.yml that names them, beside its columns', async () => {
    const s = parseSite(
      ['id: zj-test', 'name: 龙湾', 'region: "330303"', 'level: district', 'platform: jcms', 'start: [http://www.longwan.gov.cn/col/col1229780000/index.html]', 'params:', '  annualReportModule: { area: "001008003002032", years: [2023, 2023] }'].join('\n'),
      'crawlers/zj/test/site.yml',
    );
    const steps = jcmsAdapter.start(s);
    expect(steps[0]?.url).toBe('http://www.longwan.gov.cn/col/col1229780000/index.html');
    const module = steps.filter(isXxgkStep);
    expect(module).toHaveLength(1);
    const replica: XxgkReplica = {
      host: 'www.longwan.gov.cn',
      modules: [{ area: '001008003002032', year: 2023, shape: 'report', title: '温州市龙湾区人民政府2023年政府信息公开工作年度报告', values: values('温州市龙湾区人民政府', 2023) }],
      searches: [],
    };
    const ctx = new CrawlContext(s, xxgkFetcher(replica));
    await jcmsAdapter.run(module[0]!, ctx);
    expect(ctx.reports.map((r) => [r.year, r.agency])).toEqual([[2023, '温州市龙湾区人民政府']]);
  });
});
