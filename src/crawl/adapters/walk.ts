/**
 * Walks a site's listings in memory (no frontier, no database): every listing step the adapter
 * discovers is run until none is left; the report links found and the warnings are returned.
 * Used to record per-site fixtures and to test adapters against them.
 */
import type { Site } from '../registry.ts';
import { CrawlContext, type PageFetcher } from '../context.ts';
import type { CrawlWarning, ReportLink, Step } from '../step.ts';
import { loadAdapter } from './index.ts';

export interface Walk {
  steps: Step[];
  reports: ReportLink[];
  warnings: CrawlWarning[];
  /** listing steps that failed, with their error */
  failed: { url: string; error: string }[];
}

export async function walkListings(site: Site, fetcher: PageFetcher, maxSteps = 200): Promise<Walk> {
  const adapter = await loadAdapter(site);
  const queue: Step[] = adapter.start(site);
  const seen = new Set(queue.map((s) => s.url));
  const out: Walk = { steps: [], reports: [], warnings: [], failed: [] };
  while (queue.length > 0 && out.steps.length < maxSteps) {
    const step = queue.shift() as Step;
    out.steps.push(step);
    const ctx = new CrawlContext(site, fetcher);
    try {
      await adapter.run(step, ctx);
    } catch (e) {
      out.failed.push({ url: step.url, error: (e as Error).message });
      continue;
    }
    out.warnings.push(...ctx.warnings);
    for (const s of ctx.steps) {
      if (seen.has(s.url)) continue;
      seen.add(s.url);
      queue.push(s);
    }
    for (const r of ctx.reports) if (!out.reports.some((x) => x.url === r.url)) out.reports.push(r);
  }
  return out;
}
