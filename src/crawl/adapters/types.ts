/**
 * What a platform adapter is: it turns one crawl step (a frontier item) into fetches and, through
 * the context, into further steps and reports. Steps are plain JSON so the frontier (SQLite) can hold
 * them and a killed crawl resumes at the step it was on.
 */
import type { Site } from '../registry.ts';
import type { CrawlContext } from '../context.ts';

/** One crawl step. `url` is the frontier key (unique per site), so it must identify the request. */
export interface Step {
  url: string;
  kind: 'listing' | 'other';
  meta: StepMeta;
}

export interface StepMeta {
  [key: string]: unknown;
  /** what the adapter does with the page */
  step: string;
  method?: 'GET' | 'POST';
  form?: Record<string, string>;
  headers?: Record<string, string>;
  /** discovery depth below a start page */
  depth?: number;
  /** the listing page the step belongs to (for Referer and reporting) */
  column?: string;
}

export interface Adapter {
  platform: string;
  /** the steps a fresh crawl of the site begins with */
  start(site: Site): Step[];
  /** fetches and parses one step; discoveries go through ctx.enqueue / ctx.emitReport */
  run(step: Step, ctx: CrawlContext): Promise<void>;
}
