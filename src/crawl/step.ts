/**
 * The data a crawl passes around: a step (a frontier item) and what running one yields — report
 * links and warnings. Plain JSON, so the frontier (SQLite) can hold steps and a killed crawl resumes
 * at the step it was on. Both the crawl context and the adapter contract are written in these terms.
 */

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
  /**
   * The first page of a column: the nightly scout re-reads it (a conditional GET) to see whether
   * the site changed. Set by the adapter that knows which of its listing steps begin a column.
   */
  head?: boolean;
  method?: 'GET' | 'POST';
  form?: Record<string, string>;
  headers?: Record<string, string>;
  /** discovery depth below a start page */
  depth?: number;
  /** the listing page the step belongs to (for Referer and reporting) */
  column?: string;
}

export interface ReportLink {
  url: string;
  title: string;
  year: number;
  agency: string | null;
  /** date shown next to the link in the listing (YYYY-MM-DD), when there is one */
  listedDate?: string | null;
  /** listing page the link was found on */
  foundOn?: string;
}

export interface CrawlWarning {
  site: string;
  code: string;
  message: string;
  url?: string;
}
