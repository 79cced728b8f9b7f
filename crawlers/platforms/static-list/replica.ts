/**
 * The replica of a static paged list column (site.yml platform static-list) for the replay server
 * (PlatformReplica): the column's list pages `index.html`, `index_<n>.html` in the folder of the
 * site's start URL, newest first, linked by 上一页 / 下一页, and its report pages, the way
 * Shanghai's nw12344 column is written (shared/notes/portals-and-templates.md; the markup of the
 * list is assumed). A site without replica.yml is not served.
 */
import { z } from 'zod';
import type { Site } from '../../../src/crawl/registry.ts';
import type { PlatformReplica, Reply, Served, ServedReplica } from '../../../testkit/replay/platform-replica.ts';
import { ReportSchema, reportArticlePage, reportsIn, reportTitleOf, reportValues, type ExpectedReport, type Mode, type ReplicaReport } from '../../../testkit/replay/replica-reports.ts';

export const StaticListReplicaSchema = z
  .object({
    siteName: z.string(),
    columnName: z.string(),
    /** the id of the article body's element */
    container: z.enum(['zoom', 'ivs_content']),
    perPage: z.number().int().positive(),
    fillers: z.number().int().min(0),
    /** filler news titles, taken in turn; {y} is the filler's year */
    fillerTitles: z.array(z.string()).min(1),
    reports: z.array(ReportSchema),
    robotsDisallow: z.array(z.string()).optional(),
  })
  .strict();

interface ListEntry {
  href: string;
  title: string;
  date: string;
}

const HTML = 'text/html; charset=UTF-8';
/** Last-Modified of the list pages (the replicas' epoch) */
const SITE_EPOCH = new Date(Date.UTC(2025, 5, 30, 8, 0, 0));

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** Filler dates go back from mid-2025 in 27-day steps. */
function fillerDate(i: number): string {
  return new Date(Date.UTC(2025, 5, 30) - i * 27 * 86400_000).toISOString().slice(0, 10);
}

/** One served static list column. */
export class StaticListReplica implements ServedReplica {
  readonly site: string;
  readonly hosts: string[];
  readonly host: string;
  readonly scheme: 'http' | 'https';
  /** the column's folder on the host, e.g. /nw12344/ (its pages are index.html, index_<n>.html) */
  readonly dir: string;
  readonly list: z.infer<typeof StaticListReplicaSchema>;
  /** the reports it publishes (scripts/bench-nightly.ts adds synthetic ones) */
  readonly reports: ReplicaReport[];

  constructor(site: Site, list: z.infer<typeof StaticListReplicaSchema>, served: Served) {
    this.site = site.id;
    this.host = served.host;
    this.hosts = [served.host];
    this.scheme = served.scheme;
    this.dir = new URL(site.start[0] ?? '').pathname.replace(/[^/]*$/, '');
    this.list = list;
    this.reports = list.reports;
  }

  /** The column's entries, newest first: reports and filler news. */
  entries(mode: Mode): ListEntry[] {
    const entries: ListEntry[] = reportsIn(this.reports, mode).map((r) => ({ href: r.path, title: reportTitleOf(r), date: r.pub.slice(0, 10) }));
    for (let i = 0; i < this.list.fillers; i++) {
      const date = fillerDate(i);
      const title = (this.list.fillerTitles[i % this.list.fillerTitles.length] ?? '').replace('{y}', date.slice(0, 4));
      entries.push({ href: `${this.dir}${date.replace(/-/g, '')}/${(0x5f3c00 + i).toString(16)}a1b2c3d4e5f60718293a4b5c6d.html`, title, date });
    }
    return entries.sort((a, b) => b.date.localeCompare(a.date));
  }

  /** Page `page` (1-based), or null past its end. */
  page(mode: Mode, page: number): string | null {
    const entries = this.entries(mode);
    const pages = Math.ceil(entries.length / this.list.perPage);
    if (page < 1 || page > pages) return null;
    const items = entries.slice((page - 1) * this.list.perPage, page * this.list.perPage);
    const name = (n: number): string => (n === 1 ? 'index.html' : `index_${n}.html`);
    const pager = [page > 1 ? `<a href="${name(page - 1)}">上一页</a>` : '', `<span>${page}/${pages}</span>`, page < pages ? `<a href="${name(page + 1)}">下一页</a>` : ''].join(' ');
    return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>${esc(this.list.columnName)}_${esc(this.list.siteName)}</title></head>
<body>
<div class="crumb"><a href="/">首页</a> &gt; 政务公开 &gt; ${esc(this.list.columnName)}</div>
<ul class="uli14 pageList">
${items.map((e) => `<li><a href="${esc(e.href)}" title="${esc(e.title)}" target="_blank">${esc(e.title)}</a><span class="time">${e.date}</span></li>`).join('\n')}
</ul>
<div class="pagination">${pager}</div>
</body></html>
`;
  }

  route(req: { url: URL; mode: Mode }): Reply | null {
    const path = req.url.pathname;
    const page = path.startsWith(this.dir) ? /^index(?:_(\d+))?\.html$/.exec(path.slice(this.dir.length)) : null;
    if (page) {
      const body = this.page(req.mode, Number(page[1] ?? 1));
      return body ? { status: 200, body, type: HTML, modified: SITE_EPOCH } : null;
    }
    const r = reportsIn(this.reports, req.mode).find((x) => x.path === path);
    return r ? { status: 200, body: reportArticlePage(r, req.mode, this.list.container), type: HTML, modified: new Date(`${r.pub.replace(' ', 'T')}:00+08:00`) } : null;
  }

  robots(): string {
    const rules = ['/module/search/', ...(this.list.robotsDisallow ?? [])];
    return `User-agent: *\n${[...new Set(rules)].map((r) => `Disallow: ${r}`).join('\n')}\n`;
  }

  expected(mode: Mode): ExpectedReport[] {
    return reportsIn(this.reports, mode).map((r) => {
      const articleUrl = `${this.scheme}://${this.host}${r.path}`;
      const url = r.format === 'html' || r.format === 'images' ? articleUrl : new URL(r.attachment ?? '', articleUrl).href;
      return { host: this.host, url, articleUrl, title: reportTitleOf(r), values: reportValues(r, mode), format: r.format };
    });
  }
}

/** The static-list replica: a site's replica.yml; a site without one is not served. */
export const staticListReplica: PlatformReplica = {
  platform: 'static-list',
  load(site: Site, yml: unknown, served: Served, file: string): ServedReplica | null {
    if (yml === null) return null;
    const r = StaticListReplicaSchema.safeParse(yml);
    if (!r.success) throw new Error(`replica-invalid: ${file}: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
    return new StaticListReplica(site, r.data, served);
  },
};
