/**
 * Scouting: decide, per site, whether its listings must be walked tonight. A site is walked when it
 * was never walked, its site.yml changed since its last walk, its last walk left something failed or unfinished, one of its known reports is
 * due for a revisit, or the first page of one of its columns (its "heads") changed. Heads are
 * fetched with conditional requests, so an unchanged site costs one 304 per column.
 */
import { createHash } from 'node:crypto';
import type { Fetcher } from '../crawl/fetch/index.ts';
import type { Site } from '../crawl/registry.ts';
import type { CrawlState } from '../crawl/state/index.ts';
import { LOADED_STATUSES, type NightlyStore, type ReportRecord } from './store.ts';

export type WalkReason = 'first-walk' | 'config-changed' | 'retry-failed' | 'resume' | 'revisit' | 'listing-changed';

export interface ScoutResult {
  site: string;
  /** null: the site's heads are unchanged, nothing to do */
  reason: WalkReason | null;
  /** listing heads fetched by the scout */
  headsFetched: number;
  /** heads whose fetch failed (the walk will retry and record them) */
  headErrors: string[];
}

/** What of a site's configuration decides what a walk reads: a change means walking it again. */
export function configFingerprint(site: Site): string {
  const { id, platform, start, params, allowHosts, sisterHosts, crawler } = site;
  return createHash('sha256').update(JSON.stringify({ id, platform, start, params, allowHosts, sisterHosts, crawler })).digest('hex').slice(0, 16);
}

/**
 * A report's revisit interval lies between `days` and 2 × `days`, fixed per URL, so that the
 * reports of one first walk come due on different nights instead of all at once. `days` = 0: every
 * known report is due (a full re-check).
 */
export function isDue(r: ReportRecord, days: number, now: Date): boolean {
  if (days <= 0) return true;
  const spread = createHash('sha256').update(r.url).digest().readUInt16BE(0) / 65536;
  return now.getTime() - Date.parse(r.checkedAt) >= days * (1 + spread) * 86_400_000;
}

export async function scoutSites(
  sites: Site[],
  opts: { store: NightlyStore; fetcher: Fetcher; state: CrawlState; due: Set<string> },
): Promise<ScoutResult[]> {
  return Promise.all(
    sites.map(async (site): Promise<ScoutResult> => {
      const base = { site: site.id, headsFetched: 0, headErrors: [] as string[] };
      const rec = opts.store.site(site.id);
      if (!rec || rec.heads.length === 0) return { ...base, reason: 'first-walk' };
      if (rec.config !== configFingerprint(site)) return { ...base, reason: 'config-changed' };
      if (opts.state.frontier.pendingCount(site.id) > 0) return { ...base, reason: 'resume' };
      if (!rec.clean) return { ...base, reason: 'retry-failed' };
      if ([...opts.due].some((k) => k.startsWith(`${site.id}\u0000`))) return { ...base, reason: 'revisit' };
      let changed = false;
      for (const h of rec.heads) {
        try {
          const res = await opts.fetcher.fetch({ url: h.url, kind: 'listing', site: site.id });
          base.headsFetched++;
          if (res.sha256 !== h.sha256) changed = true;
        } catch (e) {
          base.headErrors.push((e as Error).message);
          changed = true;
        }
        if (changed) break; // the walk reads every column anyway
      }
      return { ...base, reason: changed ? 'listing-changed' : null };
    }),
  );
}

/** Keys (site NUL url) of loaded reports due for a revisit. */
export function dueReports(records: ReportRecord[], days: number, now: Date): Set<string> {
  return new Set(records.filter((r) => LOADED_STATUSES.has(r.status) && isDue(r, days, now)).map((r) => `${r.site}\u0000${r.url}`));
}
