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
}
