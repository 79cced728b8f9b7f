/**
 * Shanghai portal (own CMS, not jcms): the annual reports sit in column `nw12344`, a static list
 * `/nw12344/index.html` with further pages `index_<n>.html`, and articles
 * `/nw12344/<YYYYMMDD>/<id>.html` (old ids `0001-12344_64595`, new ids 32-hex). Bodies are in
 * `#ivs_content` (handled by parseArticle).
 */
import type { Site } from '../registry.ts';
import type { CrawlContext } from '../context.ts';
import type { Step } from '../step.ts';
import type { Adapter } from './types.ts';
import { parseLinks, type ListItem } from './jcms.ts';
import { recogniseReportTitle } from './titles.ts';

const ARTICLE = /\/nw12344\/\d{8}\/[\w-]+\.html$/;

export interface ShanghaiList {
  articles: ListItem[];
  next: string | null;
}

export function parseShanghaiList(html: string, base: string): ShanghaiList {
  const links = parseLinks(html, base);
  const articles = links.filter((l) => ARTICLE.test(new URL(l.url).pathname));
  const next = links.find((l) => /^下一页$|^下页$|^>$/.test(l.title) && /index_\d+\.html$/.test(l.url))?.url ?? null;
  return { articles, next };
}

const MAX_PAGES = 30;

export const shanghaiAdapter: Adapter = {
  platform: 'shanghai',
  start(site: Site): Step[] {
    return site.start.map((url) => ({ url, kind: 'listing', meta: { step: 'list', page: 1 } }));
  },
  async run(step: Step, ctx: CrawlContext): Promise<void> {
    const res = await ctx.fetch({ url: step.url, kind: 'listing' });
    const page = res.finalUrl || step.url;
    const list = parseShanghaiList(res.text(), page);
    for (const a of list.articles) {
      const r = recogniseReportTitle(a.title);
      if (r) ctx.emitReport({ url: a.url, title: r.title, year: r.year, agency: r.agency, listedDate: a.date, foundOn: page });
    }
    const n = Number(step.meta.page ?? 1);
    if (list.next && n < (ctx.site.params.maxPages ?? MAX_PAGES)) ctx.enqueue({ url: list.next, kind: 'listing', meta: { step: 'list', page: n + 1 } });
  },
};
