/**
 * The replica shape of a Hanweb jcms portal (site.yml platform jcms, replica.yml without a
 * `variant`): the platform behaviour of the evidence in shared/evidence/zhejiang (each field below
 * cites its file, or says assumed): jcms column pages with <datastore>, classic POST ranges, a
 * page=1 <nextgroup> template with GET answers that carry totalrecord/totalpage and no <nextgroup>,
 * upgraded hosts whose classic proxy is 404, organ > year column trees, single-article columns,
 * jpaas shells with several JSON units, and the quirks a crawler meets (GBK legacy pages, a browser
 * challenge, 429 with Retry-After, redirects, robots.txt rules, copycat mirrors). Column ids and
 * article ids that the notes record are the real ones; the others are made up for the replica.
 */
import { z } from 'zod';
import { columnIdOf, type Site } from '../../../../src/crawl/registry.ts';
import type { Served } from '../../../../testkit/replay/platform-replica.ts';
import { GENERATED_YEARS, idHash, ReportSchema, SEEDS, type ReplicaReport, type SeedId } from '../../../../testkit/replay/replica-reports.ts';

const ExtraLinkSchema = z
  .object({
    title: z.string(),
    href: z.string(),
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    /** served as a pre-2019 free-text report page, GBK-encoded, at its (absolute) href */
    legacy: z.object({ agency: z.string(), pub: z.string() }).strict().optional(),
    /** served as a bare page with the title at its (relative) href, e.g. a module robots.txt disallows */
    stub: z.boolean().optional(),
  })
  .strict();

const ColumnSchema = z
  .object({
    id: z.string().regex(/^\d+$/),
    name: z.string(),
    unitid: z.string().regex(/^\d+$/),
    /**
     * how the rest of the records is read: classic POST ranges (zj-request-evidence.md); nextgroup:
     * the column page's <nextgroup> is a page=1 template of the GET proxy, whose answers carry
     * totalrecord/totalpage and no nextgroup (dingxi-column-datastore.xml, jiangsu-gxt-dataproxy-excerpt.xml);
     * upgraded: a host on /module/web/jpage/dataproxy.jsp only, the classic path answers 404
     * (jshrss-dataproxy-writeup.md), and the page's jpage call does not name its proxy (assumed);
     * jpaas: a shell with several unit scripts answered as JSON (miit-jpaas-shell.html, miit-jpaas-unit-response.json)
     */
    paging: z.enum(['classic', 'nextgroup', 'upgraded', 'jpaas']),
    /** records embedded in the column page */
    group: z.number().int().positive(),
    /** records per GET proxy page / jpaas page (default 15; gxt: 940 records on 63 pages) */
    perPage: z.number().int().positive().optional(),
    records: z.enum(['li', 'li.clearfix', 'tr']),
    fillers: z.number().int().min(0),
    reports: z.array(ReportSchema),
    /** other listed links: legacy platform, robots-disallowed modules, copycat mirrors */
    extra: z.array(ExtraLinkSchema).optional(),
    /** the page's jpage initialiser leaves totalRecord out (older builds): the crawler must probe the proxy */
    hideTotal: z.boolean().optional(),
    /** sibling year columns shown in the left navigation */
    nav: z.array(z.object({ id: z.string(), name: z.string() }).strict()).optional(),
    /**
     * sub-columns listed on the page, whatever their names: 信息公开年报 > organ (温州市人民政府 / 市级部门单位)
     * > year ("2023年度" or just "2024") (pages-text/wenzhou-2023.txt, wenzhou-depts.txt); each is a column of this replica
     */
    sub: z.array(z.object({ id: z.string(), name: z.string() }).strict()).optional(),
    /** the breadcrumb below 首页 (default 政务公开 > 政府信息公开 > name): "您现在的位置:首页 > 信息公开年报 > 温州市人民政府 > 2023年度" */
    crumb: z.array(z.string()).optional(),
    /** reached only through its parent's sub-columns, not linked from the 政府信息公开 page (assumed) */
    child: z.boolean().optional(),
    /** the column page is itself its one report (pages-text/zhoushan-single-article-columns.txt): the report's path is the column's */
    single: z.boolean().optional(),
  })
  .strict()
  .refine((c) => !c.single || (c.reports.length === 1 && c.reports[0]?.path === `/col/col${c.id}/index.html`), 'a single-article column has one report whose path is the column page');

/** A Hanweb jcms portal (site.yml platform jcms). */
export const JcmsReplicaSchema = z
  .object({
    siteName: z.string(),
    webid: z.string().regex(/^\d+$/),
    /** portal home → (政务公开 →) 政府信息公开 page → annual-report column(s) */
    discovery: z.enum(['none', 'direct', 'two-step']),
    xxgkCol: z.string().regex(/^\d+$/),
    columns: z.array(ColumnSchema).min(1),
    robotsDisallow: z.array(z.string()).optional(),
    /** every page needs a cookie that only the page's JavaScript computes (412 otherwise) */
    challenge: z.boolean().optional(),
    /** answer the first data-proxy request with 429 and Retry-After */
    rateLimitProxyOnce: z.boolean().optional(),
    /** the home page redirects (302) to /index.html */
    redirectHome: z.boolean().optional(),
  })
  .strict();

export type ExtraLink = z.infer<typeof ExtraLinkSchema>;
export type ReplicaColumn = z.infer<typeof ColumnSchema>;

export type ReplicaHost = z.infer<typeof JcmsReplicaSchema> & Served;

/**
 * The replica of a jcms site without a replica.yml, generated from its site.yml (issue 13.3): a
 * jcms portal whose column(s) list one report per year of GENERATED_YEARS among filler news, read
 * through the GET-proxy paging shape (a page=1 <nextgroup> template, answers with
 * totalrecord/totalpage). The columns are the site's evidenced start columns (their real ids),
 * reached without discovery; a site that starts from its home page gets one 政府信息公开年报 column
 * (a made-up id) linked from its 政府信息公开 page, which the home page links (discovery: direct).
 * The agency is the site's name; values are the seed reports × a per-site scale.
 */
export function generatedReplica(site: Site): z.infer<typeof JcmsReplicaSchema> {
  const h = idHash(site.id);
  const host = new URL(site.start[0] ?? '').hostname;
  const startCols = [...new Set(site.start.filter((u) => new URL(u).hostname === host).flatMap((u) => columnIdOf(u) ?? []))];
  const cols = startCols.length > 0 ? startCols : [`1229${String(500_000 + (h % 400_000))}`];
  const seeds = Object.keys(SEEDS) as SeedId[];
  const reportsOf = (col: string, ci: number): ReplicaReport[] =>
    GENERATED_YEARS.flatMap((year, i) => {
      if (i % cols.length !== ci) return [];
      const day = 10 + ((h >>> 3) % 15) + i;
      return [
        {
          seed: seeds[(h + i) % seeds.length] ?? 'seed000',
          scale: 1 + ((h >>> 5) % 7),
          agency: site.name,
          year,
          pub: `${year + 1}-01-${String(day).padStart(2, '0')} 10:00`,
          path: `/art/${year + 1}/1/${day}/art_${col}_${100_000 + ((h >>> 7) % 800_000) + i}.html`,
          format: 'html',
        },
      ];
    });
  return {
    siteName: site.name,
    webid: site.params.webid ?? String(1000 + (h % 9000)),
    discovery: startCols.length > 0 ? 'none' : 'direct',
    xxgkCol: `1228${String(100_000 + ((h >>> 11) % 800_000))}`,
    columns: cols.map((id, ci) => ({
      id,
      name: '政府信息公开年报',
      unitid: String(5_000_000 + ((h >>> 13) % 1_000_000) + ci),
      paging: 'nextgroup' as const,
      group: 12,
      records: 'li' as const,
      fillers: 16 + (h % 10),
      reports: reportsOf(id, ci),
    })),
  };
}
