/**
 * The replica portals served by the replay server: one entry per real host, with the platform
 * behaviour the notes describe (jcms column pages with <datastore>, classic POST or GET <nextgroup>
 * paging, jpaas shells, Shanghai's static list) and the quirks a crawler meets (GBK legacy pages,
 * a browser challenge, 429 with Retry-After, redirects, robots.txt rules, copycat mirrors).
 *
 * Report bodies carry the five seed reports (testkit/data/seeds.json, copied from the hand-read
 * corpus), multiplied per site by a whole number: every template identity is linear, so scaled
 * values stay consistent while each site's numbers differ. Column ids and article ids that the
 * notes record are the real ones; the others are made up for the replica.
 */
import seedsJson from '../data/seeds.json' with { type: 'json' };
import type { ReportValues } from '../reports/report-html.ts';

export type SeedId = keyof typeof seedsJson;
export const SEEDS = seedsJson as unknown as Record<SeedId, ReportValues>;

export interface ReplicaReport {
  seed: SeedId;
  /** every value is multiplied by this */
  scale: number;
  agency: string;
  /** report year (default: the seed's) */
  year?: number;
  /** listed title (default 〈agency〉〈year〉年度政府信息公开工作年度报告) */
  title?: string;
  /** publish time, 'YYYY-MM-DD HH:mm' */
  pub: string;
  /** article path on the host */
  path: string;
  /** how the report is published */
  format: 'html' | 'pdf' | 'doc' | 'images';
  /** where the attachment is served from (pdf/doc): a downfile.jsp path or an absolute mirror URL */
  attachment?: string;
  /** format 'images': the tables are pictures at `${pictures}-t2.png`, -t3, -t4 (testkit/data/<file name>) */
  pictures?: string;
  /** a listed URL that redirects (301) to `path` */
  listedPath?: string;
  /** only present in the 'updated' mode (a report published after the first crawl) */
  updatedOnly?: boolean;
  /** scale in the 'updated' mode (a corrected republication) */
  updatedScale?: number;
}

export interface ExtraLink {
  title: string;
  href: string;
  date: string;
}

export interface ReplicaColumn {
  id: string;
  name: string;
  unitid: string;
  paging: 'classic' | 'nextgroup' | 'jpaas';
  /** records embedded in the column page (and per GET group) */
  group: number;
  records: 'li' | 'li.clearfix' | 'tr';
  fillers: number;
  reports: ReplicaReport[];
  /** other listed links: legacy platform, robots-disallowed modules, copycat mirrors */
  extra?: ExtraLink[];
  /** the page's jpage initialiser leaves totalRecord out (older builds): the crawler must probe the proxy */
  hideTotal?: boolean;
  /** sibling year columns shown in the left navigation */
  nav?: { id: string; name: string }[];
}

export interface ReplicaHost {
  host: string;
  siteName: string;
  webid: string;
  /** portal home → (政务公开 →) 政府信息公开 page → annual-report column(s) */
  discovery: 'none' | 'direct' | 'two-step';
  xxgkCol: string;
  columns: ReplicaColumn[];
  robotsDisallow?: string[];
  /** every page needs a cookie that only the page's JavaScript computes (412 otherwise) */
  challenge?: boolean;
  /** answer the first data-proxy request with 429 and Retry-After */
  rateLimitProxyOnce?: boolean;
  /** the home page redirects (302) to /index.html */
  redirectHome?: boolean;
}

const T = (agency: string, year: number): string => `${agency}${year}年度政府信息公开工作年度报告`;

export const JCMS_HOSTS: ReplicaHost[] = [
  {
    host: 'www.zj.gov.cn', siteName: '浙江省人民政府门户网站', webid: '3096', discovery: 'direct', xxgkCol: '1229019364',
    columns: [{
      id: '1229019365', name: '政府信息公开年报', unitid: '4406521', paging: 'classic', group: 15, records: 'li', fillers: 40,
      reports: [
        { seed: 'seed002', scale: 3, agency: '浙江省人民政府', pub: '2024-03-28 16:00', path: '/art/2024/3/28/art_1229019365_2512345.html', format: 'html' },
        { seed: 'seed004', scale: 2, agency: '浙江省人民政府办公厅', pub: '2021-01-29 10:00', path: '/art/2021/1/29/art_1229019365_2231234.html', format: 'html' },
      ],
      extra: [{ title: '浙江省2014年度政府信息公开工作报告', href: 'http://zfxxgk.zj.gov.cn/xxgk/jcms_files/jcms1/web1/site/art/2015/3/27/art_10758_1184502.html', date: '2015-03-27' }],
    }],
  },
  {
    host: 'www.hangzhou.gov.cn', siteName: '杭州市人民政府门户网站', webid: '149', discovery: 'direct', xxgkCol: '1229063379',
    columns: [
      {
        id: '1229497170', name: '政府信息公开年报', unitid: '6793088', paging: 'classic', group: 15, records: 'li.clearfix', fillers: 30,
        reports: [
          { seed: 'seed002', scale: 4, agency: '杭州市人民政府', pub: '2024-03-29 09:00', path: '/art/2024/3/29/art_1229497170_4245678.html', format: 'html' },
        ],
      },
      {
        id: '1229506050', name: '部门政府信息公开年报', unitid: '7781234', paging: 'jpaas', group: 15, records: 'li', fillers: 5,
        reports: [
          { seed: 'seed003', scale: 2, agency: '杭州市发展和改革委员会', pub: '2024-01-25 15:20', path: '/col/col1229506050/art/2024/art_3ed700cdcd56c7dea9f536da308d9115.html', format: 'html' },
        ],
      },
    ],
  },
  {
    host: 'www.ningbo.gov.cn', siteName: '宁波市人民政府门户网站', webid: '3028', discovery: 'direct', xxgkCol: '1229095997',
    columns: [{
      id: '1229095999', name: '政府信息公开年报', unitid: '5832190', paging: 'nextgroup', group: 12, records: 'li', fillers: 30,
      reports: [
        { seed: 'seed002', scale: 2, agency: '宁波市人民政府', pub: '2024-03-27 17:00', path: '/art/2024/3/27/art_1229095999_59012345.html', format: 'html' },
        { seed: 'seed004', scale: 3, agency: '宁波市人民政府', pub: '2021-03-26 17:00', path: '/art/2021/3/26/art_1229095999_58900123.html', format: 'html' },
      ],
    }],
  },
  {
    host: 'www.wenzhou.gov.cn', siteName: '温州市人民政府门户网站', webid: '3189', discovery: 'two-step', xxgkCol: '1229116601',
    columns: [{
      id: '1229116623', name: '政府信息公开年报', unitid: '4678901', paging: 'classic', group: 15, records: 'tr', fillers: 60, hideTotal: true,
      reports: [{ seed: 'seed002', scale: 2, agency: '温州市人民政府', pub: '2024-03-30 10:00', path: '/art/2024/3/30/art_1229116623_4210987.html', format: 'html' }],
    }],
  },
  {
    host: 'www.jiaxing.gov.cn', siteName: '嘉兴市人民政府门户网站', webid: '3080', discovery: 'none', xxgkCol: '1229708600',
    columns: [
      {
        id: '1229708661', name: '2022年度', unitid: '5660001', paging: 'classic', group: 15, records: 'li', fillers: 3,
        reports: [{ seed: 'seed003', scale: 1, agency: '嘉兴市经济和信息化局', year: 2022, pub: '2023-01-17 10:12', path: '/art/2023/1/17/art_1229708661_5056186.html', format: 'html' }],
      },
      {
        id: '1229779129', name: '2023年度', unitid: '5660002', paging: 'classic', group: 15, records: 'li', fillers: 20,
        reports: [{ seed: 'seed002', scale: 2, agency: '嘉兴市人民政府', pub: '2024-03-07 15:00', path: '/art/2024/3/7/art_1229779129_5274268.html', format: 'html' }],
      },
      {
        id: '1229849768', name: '2024年度', unitid: '5660003', paging: 'classic', group: 15, records: 'li', fillers: 4,
        reports: [
          { seed: 'seed002', scale: 3, agency: '嘉兴市人民政府', year: 2024, pub: '2025-03-10 16:30', path: '/art/2025/3/10/art_1229849768_5473273.html', format: 'html' },
          { seed: 'seed000', scale: 1, agency: '嘉兴市人民政府办公室', year: 2024, pub: '2025-01-21 09:00', path: '/art/2025/1/21/art_1229849768_5447272.html', format: 'html' },
        ],
      },
    ],
  },
  {
    host: 'www.huzhou.gov.cn', siteName: '湖州市人民政府门户网站', webid: '3201', discovery: 'direct', xxgkCol: '1229213300',
    columns: [{
      id: '1229213367', name: '政府信息公开年报', unitid: '6012345', paging: 'classic', group: 15, records: 'li', fillers: 10,
      reports: [{
        seed: 'seed002', scale: 1, agency: '湖州市人民政府', pub: '2024-03-26 11:00', path: '/art/2024/3/26/art_1229213367_59123456.html', format: 'pdf',
        attachment: '/module/download/downfile.jsp?classid=0&filename=8f3c2a1b9d7e4f60a1b2c3d4e5f60718.pdf',
      }],
    }],
  },
  {
    host: 'www.sx.gov.cn', siteName: '绍兴市人民政府门户网站', webid: '3175', discovery: 'direct', xxgkCol: '1229354000',
    columns: [{
      id: '1229354018', name: '政府信息公开年报', unitid: '4876543', paging: 'classic', group: 15, records: 'li', fillers: 10,
      reports: [{
        seed: 'seed004', scale: 1, agency: '绍兴市人民政府', pub: '2021-03-29 16:00', path: '/art/2021/3/29/art_1229354018_3843210.html', format: 'doc',
        attachment: 'http://zjjcmspublic.oss-cn-hangzhou.aliyuncs.com/jcms_files/jcms1/web3175/site/attach/-1/2103291600sxnb.doc',
      }],
    }],
  },
  {
    host: 'www.jinhua.gov.cn', siteName: '金华市人民政府门户网站', webid: '3091', discovery: 'direct', xxgkCol: '1229160300',
    columns: [{
      id: '1229160383', name: '政府信息公开年报', unitid: '5123409', paging: 'classic', group: 15, records: 'li', fillers: 12,
      reports: [{ seed: 'seed002', scale: 2, updatedScale: 3, agency: '金华市人民政府', pub: '2024-03-25 10:00', path: '/art/2024/3/25/art_1229160383_4123987.html', format: 'html' }],
      // a copycat mirror of a gov page: same path shape, foreign domain (refused by the host allow-list)
      extra: [{ title: '金华市人民政府2022年度政府信息公开工作年度报告', href: 'http://www.haose21.com/art/2023/3/28/art_1229160383_4012345.html', date: '2023-03-28' }],
    }],
  },
  {
    host: 'www.qz.gov.cn', siteName: '衢州市人民政府门户网站', webid: '2946', discovery: 'direct', xxgkCol: '1229040200', rateLimitProxyOnce: true,
    columns: [{
      id: '1229040241', name: '政府信息公开年报', unitid: '4901234', paging: 'classic', group: 15, records: 'li', fillers: 30,
      reports: [{ seed: 'seed003', scale: 3, agency: '衢州市人民政府', pub: '2024-03-30 09:00', path: '/art/2024/3/30/art_1229040241_5801234.html', format: 'html' }],
    }],
  },
  {
    host: 'www.zhoushan.gov.cn', siteName: '舟山市人民政府门户网站', webid: '3134', discovery: 'direct', xxgkCol: '1229108000', challenge: true,
    columns: [{
      id: '1229108045', name: '政府信息公开年报', unitid: '5090123', paging: 'classic', group: 15, records: 'li', fillers: 4,
      reports: [{ seed: 'seed002', scale: 1, agency: '舟山市人民政府', pub: '2024-03-28 09:30', path: '/art/2024/3/28/art_1229108045_3901234.html', format: 'html' }],
    }],
  },
  {
    host: 'www.zjtz.gov.cn', siteName: '台州市人民政府门户网站', webid: '3133', discovery: 'direct', xxgkCol: '1229206900', redirectHome: true,
    columns: [{
      id: '1229206933', name: '政府信息公开年报', unitid: '4912345', paging: 'classic', group: 15, records: 'li', fillers: 8,
      reports: [{
        seed: 'seed002', scale: 2, agency: '台州市人民政府', pub: '2024-03-29 15:00', path: '/art/2024/3/29/art_1229206933_59034567.html', format: 'html',
        listedPath: '/art/2024/3/29/art_1229206933_59034560.html',
      }],
    }],
  },
  {
    host: 'www.lishui.gov.cn', siteName: '丽水市人民政府门户网站', webid: '3171', discovery: 'direct', xxgkCol: '1229218300',
    robotsDisallow: ['/module/xxgk/xxgkAnnualReport.jsp', '/module/search/'],
    columns: [{
      id: '1229218389', name: '政府信息公开年报', unitid: '4923456', paging: 'classic', group: 15, records: 'li', fillers: 8,
      reports: [
        { seed: 'seed002', scale: 2, agency: '丽水市人民政府', pub: '2024-03-28 17:00', path: '/art/2024/3/28/art_1229218389_5034567.html', format: 'html' },
        // the tables published as pictures of tables (rendered by testkit/replay/build-data.ts)
        {
          seed: 'seed002', scale: 1, agency: '丽水市人民政府', year: 2022, pub: '2023-01-30 10:00', path: '/art/2023/1/30/art_1229218389_4987654.html', format: 'images',
          pictures: '/picture/0/lishui-2022',
        },
      ],
      extra: [{ title: '丽水市人民政府2017年度政府信息公开工作年度报告', href: '/module/xxgk/xxgkAnnualReport.jsp?fbtime=2017&area=113325000026455663', date: '2018-03-30' }],
    }],
  },
  {
    host: 'www.haiyan.gov.cn', siteName: '海盐县人民政府门户网站', webid: '3210', discovery: 'none', xxgkCol: '1229449000',
    columns: [{
      id: '1229449092', name: '政府信息公开年报', unitid: '7084512', paging: 'classic', group: 15, records: 'li', fillers: 25,
      reports: [
        { seed: 'seed003', scale: 1, agency: '海盐县沈荡镇', title: '海盐县沈荡镇2023年度政府信息公开工作年度报告(含图解)', pub: '2024-01-29 10:00', path: '/art/2024/1/29/art_1229449092_89438.html', format: 'html' },
        { seed: 'seed000', scale: 1, agency: '海盐县百步经济开发区（百步镇）', pub: '2024-01-30 09:00', path: '/art/2024/1/30/art_1229449092_89501.html', format: 'html' },
        { seed: 'seed001', scale: 1, agency: '百步镇人民政府', pub: '2021-01-28 16:00', path: '/art/2021/1/28/art_1229449092_61234.html', format: 'html' },
        { seed: 'seed004', scale: 1, agency: '海盐县人民政府', pub: '2021-03-30 10:00', path: '/art/2021/3/30/art_1229449092_62345.html', format: 'html' },
      ],
      extra: [{ title: '图解：海盐县人民政府2020年度政府信息公开工作年度报告', href: '/art/2021/3/30/art_1229449092_62346.html', date: '2021-03-30' }],
    }],
  },
  {
    host: 'www.haining.gov.cn', siteName: '海宁市人民政府门户网站', webid: '3207', discovery: 'none', xxgkCol: '1229781500',
    columns: [{
      id: '1229781527', name: '2023年政府信息公开年报', unitid: '7345678', paging: 'classic', group: 15, records: 'li', fillers: 6,
      nav: [{ id: '1229781527', name: '2023年政府信息公开年报' }, { id: '1229900011', name: '2024年政府信息公开年报' }],
      reports: [{ seed: 'seed002', scale: 1, agency: '海宁市人民政府', title: '(图文)海宁市人民政府2023年度政府信息公开工作年度报告', pub: '2024-02-08 14:35', path: '/art/2024/2/8/art_1229781527_5264708.html', format: 'html' }],
    }, {
      id: '1229900011', name: '2024年政府信息公开年报', unitid: '7345679', paging: 'classic', group: 15, records: 'li', fillers: 0,
      nav: [{ id: '1229781527', name: '2023年政府信息公开年报' }, { id: '1229900011', name: '2024年政府信息公开年报' }],
      reports: [{ seed: 'seed002', scale: 2, agency: '海宁市人民政府', year: 2024, pub: '2025-02-10 10:00', path: '/art/2025/2/10/art_1229900011_5600123.html', format: 'html', updatedOnly: true }],
    }],
  },
];

export const SHANGHAI = {
  host: 'www.shanghai.gov.cn',
  perPage: 10,
  fillers: 14,
  reports: [
    { seed: 'seed002', scale: 5, agency: '上海市人民政府', year: 2023, title: '2023年上海市人民政府政府信息公开工作年度报告', pub: '2024-03-29 10:00', path: '/nw12344/20240329/d7775c906c0b402a93cbebf4e979c002.html', format: 'html' },
    { seed: 'seed003', scale: 4, agency: '上海市人民政府', year: 2022, title: '2022年上海市人民政府政府信息公开工作年度报告', pub: '2023-03-31 10:00', path: '/nw12344/20230331/4a03b5fa47ae4c73b7ec42801de6be66.html', format: 'html' },
    { seed: 'seed004', scale: 5, agency: '上海市人民政府', year: 2019, title: '2019年上海市人民政府政府信息公开工作年度报告', pub: '2020-08-13 10:00', path: '/nw12344/20200813/0001-12344_64595.html', format: 'html' },
  ] as ReplicaReport[],
};

/** The pre-2019 report on the old provincial platform, served GBK-encoded as legacy pages were. */
export const LEGACY = {
  host: 'zfxxgk.zj.gov.cn',
  path: '/xxgk/jcms_files/jcms1/web1/site/art/2015/3/27/art_10758_1184502.html',
  title: '浙江省2014年度政府信息公开工作报告',
};

/** The scheme each portal's site.yml uses (URLs in the database keep it). */
export const SCHEMES: Record<string, 'http' | 'https'> = {
  'www.zj.gov.cn': 'https', 'www.hangzhou.gov.cn': 'https', 'www.ningbo.gov.cn': 'http', 'www.wenzhou.gov.cn': 'https',
  'www.jiaxing.gov.cn': 'https', 'www.huzhou.gov.cn': 'https', 'www.sx.gov.cn': 'https', 'www.jinhua.gov.cn': 'http',
  'www.qz.gov.cn': 'http', 'www.zhoushan.gov.cn': 'https', 'www.zjtz.gov.cn': 'https', 'www.lishui.gov.cn': 'http',
  'www.haiyan.gov.cn': 'http', 'www.haining.gov.cn': 'http', 'www.shanghai.gov.cn': 'https',
};

export const OSS_HOST = 'zjjcmspublic.oss-cn-hangzhou.aliyuncs.com';

export type Mode = 'initial' | 'updated';

export function reportTitleOf(r: ReplicaReport): string {
  return r.title ?? T(r.agency, r.year ?? SEEDS[r.seed].year);
}

function scaleTable(t: Record<string, Record<string, number | null>> | null, k: number): Record<string, Record<string, number | null>> | null {
  if (!t) return null;
  return Object.fromEntries(Object.entries(t).map(([row, cols]) => [row, Object.fromEntries(Object.entries(cols).map(([c, v]) => [c, v === null ? null : v * k]))]));
}

export function reportScale(r: ReplicaReport, mode: Mode): number {
  return mode === 'updated' && r.updatedScale ? r.updatedScale : r.scale;
}

/** The values a replica report publishes in a mode. */
export function reportValues(r: ReplicaReport, mode: Mode = 'initial'): ReportValues {
  const s = SEEDS[r.seed];
  const k = reportScale(r, mode);
  return { agency: r.agency, year: r.year ?? s.year, template: s.template, table2: scaleTable(s.table2, k), table3: scaleTable(s.table3, k), table4: scaleTable(s.table4, k) };
}

export interface ExpectedReport {
  host: string;
  /** the URL the report's tables are published at (article page, or its attachment) */
  url: string;
  articleUrl: string;
  title: string;
  values: ReportValues;
  format: ReplicaReport['format'];
}

/** Every replica report that a complete crawl should load, with its values — for tests and the demo. */
export function expectedReports(mode: Mode = 'initial'): ExpectedReport[] {
  const out: ExpectedReport[] = [];
  const add = (host: string, r: ReplicaReport): void => {
    if (r.updatedOnly && mode !== 'updated') return;
    const articleUrl = `${SCHEMES[host] ?? 'http'}://${host}${r.path}`;
    const url = r.format === 'html' || r.format === 'images' ? articleUrl : new URL(r.attachment ?? '', articleUrl).href;
    out.push({ host, url, articleUrl, title: reportTitleOf(r), values: reportValues(r, mode), format: r.format });
  };
  for (const h of JCMS_HOSTS) for (const c of h.columns) for (const r of c.reports) add(h.host, r);
  for (const r of SHANGHAI.reports) add(SHANGHAI.host, r);
  return out;
}
