/**
 * What a platform adapter is: it turns one crawl step (a frontier item, src/crawl/step.ts) into
 * fetches and, through the context, into further steps and reports.
 */
import type { Site } from '../registry.ts';
import type { CrawlContext } from '../context.ts';
import type { Step } from '../step.ts';

export interface Adapter {
  platform: string;
  /** the steps a fresh crawl of the site begins with */
  start(site: Site): Step[];
  /** fetches and parses one step; discoveries go through ctx.enqueue / ctx.emitReport */
  run(step: Step, ctx: CrawlContext): Promise<void>;
  /**
   * For `ogi crawl --plan` (src/crawl/plan.ts): the listing requests a first crawl of the site makes
   * beyond its start steps — discovery pages, further pages of each column — when its columns list
   * `reports` reports. Without it the plan assumes pages of 15 records beyond the starts.
   */
  estimateListings?(site: Site, reports: number): number;
}
