/**
 * Static paged list columns (platform `static-list`): a column is a plain HTML list page, its further
 * pages are linked by a 下一页 / 下页 / > link to `index_<n>.html`, and report links among the listed
 * articles are recognised by their titles (titles.ts). The first page is the column's head. A site
 * whose pages also link navigation and news narrows the articles to its column's URL pattern with a
 * crawler.ts built by `staticListAdapter({ article })`.
 */
import type { Site } from '../../../src/crawl/registry.ts';
import type { CrawlContext } from '../../../src/crawl/context.ts';
import type { Step } from '../../../src/crawl/step.ts';
import type { Adapter } from '../../../src/crawl/adapters/types.ts';
import { parseLinks, type ListItem } from '../../../src/crawl/adapters/links.ts';
import { recogniseReportTitle } from '../../../src/crawl/adapters/titles.ts';

export interface StaticList {
  articles: ListItem[];
  next: string | null;
}

export interface StaticListOptions {
  /** the path of an article of the column (every link when absent) */
  article?: RegExp;
}

export function parseStaticList(html: string, base: string, article?: RegExp): StaticList {
  const links = parseLinks(html, base);
  const articles = article ? links.filter((l) => article.test(new URL(l.url).pathname)) : links;
  const next = links.find((l) => /^下一页$|^下页$|^>$/.test(l.title) && /index_\d+\.html$/.test(l.url))?.url ?? null;
  return { articles, next };
}

const MAX_PAGES = 30;

export function staticListAdapter(opts: StaticListOptions = {}): Adapter {
  return {
    platform: 'static-list',
    start(site: Site): Step[] {
      return site.start.map((url) => ({ url, kind: 'listing', meta: { step: 'list', head: true, page: 1 } }));
    },
    async run(step: Step, ctx: CrawlContext): Promise<void> {
      const res = await ctx.fetch({ url: step.url, kind: 'listing' });
      const page = res.finalUrl || step.url;
      const list = parseStaticList(res.text(), page, opts.article);
      for (const a of list.articles) {
        const r = recogniseReportTitle(a.title);
        if (r) ctx.emitReport({ url: a.url, title: r.title, year: r.year, agency: r.agency, listedDate: a.date, foundOn: page });
      }
      const n = Number(step.meta.page ?? 1);
      if (list.next && n < (ctx.site.params.maxPages ?? MAX_PAGES)) ctx.enqueue({ url: list.next, kind: 'listing', meta: { step: 'list', page: n + 1 } });
    },
  };
}
