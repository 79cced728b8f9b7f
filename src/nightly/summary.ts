/** What one nightly run reports: summary.json, summary.md and the nightly_runs row are made from it. */
import type { RunIssue } from './store.ts';
import type { WalkReason } from './scout.ts';

export interface SiteReport {
  site: string;
  /** why the site's listings were walked; null when its listing heads were unchanged */
  walked: WalkReason | null;
  listingsSeen: number;
  reportLinks: number;
  new: number;
  changed: number;
  failed: number;
  extractionFailures: number;
  consistencyFailures: number;
}

export interface NightlySummary {
  runId: string;
  startedAt: string;
  finishedAt: string;
  status: 'ok' | 'needs-attention';
  requests: { scout: number; walk: number; total: number };
  sites: SiteReport[];
  reextracted: number;
  crossYear: { compared: number; mismatches: number };
  snapshot: string | null;
  issuesByCode: Record<string, { severity: RunIssue['severity']; count: number }>;
  issues: RunIssue[];
  runDir: string;
}
