/**
 * The crawl frontier: per site, every URL its crawl has seen, handed out oldest first (breadth
 * first), with each step's outcome. Every call commits on its own, and marking a step done commits
 * together with what it discovered, so a crawl killed with SIGKILL at any moment resumes from the
 * last committed step: nothing lost, nothing queued twice.
 */
import { and, count, eq, sql } from 'drizzle-orm';
import { OgiError } from '../../domain/errors.ts';
import { frontier, type FRONTIER_KINDS, type FRONTIER_STATUSES } from '../../../schema/crawl/tables.ts';
import { type CrawlDatabase, now } from './database.ts';

export type FrontierKind = (typeof FRONTIER_KINDS)[number];
export type FrontierStatus = (typeof FRONTIER_STATUSES)[number];
export type JsonObject = Record<string, unknown>;

export interface FrontierItem {
  id: number;
  site: string;
  url: string;
  kind: FrontierKind;
  meta: JsonObject | null;
  status: FrontierStatus;
  attempts: number;
  /** "code: sentence" of the last failure */
  error: string | null;
  /** the code of the last failure, e.g. robots-disallowed, http-404 */
  errorCode: string | null;
  result: JsonObject | null;
}

export interface NewFrontierItem {
  url: string;
  kind: FrontierKind;
  meta?: JsonObject;
}

const itemColumns = {
  id: frontier.id,
  site: frontier.site,
  url: frontier.url,
  kind: frontier.kind,
  meta: frontier.meta,
  status: frontier.status,
  attempts: frontier.attempts,
  error: frontier.error,
  errorCode: frontier.errorCode,
  result: frontier.result,
};

const p = sql.placeholder;
/** JSON columns are written through a bare placeholder with the text already made: a JSON-mode
 *  placeholder would store SQL NULL as the string 'null' */
const jsonParam = (name: string) => sql`${p(name)}`;
const jsonText = (v: JsonObject | undefined): string | null => (v === undefined ? null : JSON.stringify(v));

export class Frontier {
  // Statements of the per-step path, prepared once per connection.
  private readonly insert;
  private readonly idOf;
  private readonly siteOf;
  private readonly oldestPending;
  private readonly byId;
  private readonly setDone;
  private readonly pendingOf;
  private readonly statusCounts;

  constructor(private readonly db: CrawlDatabase) {
    this.insert = db
      .insert(frontier)
      .values({ site: p('site'), url: p('url'), kind: p('kind'), meta: jsonParam('meta'), status: 'pending', createdAt: p('t'), updatedAt: p('t') })
      .onConflictDoNothing({ target: [frontier.site, frontier.url] })
      .prepare();
    this.idOf = db
      .select({ id: frontier.id })
      .from(frontier)
      .where(and(eq(frontier.site, p('site')), eq(frontier.url, p('url'))))
      .prepare();
    this.siteOf = db.select({ site: frontier.site }).from(frontier).where(eq(frontier.id, p('id'))).prepare();
    this.oldestPending = db
      .select(itemColumns)
      .from(frontier)
      .where(and(eq(frontier.site, p('site')), eq(frontier.status, 'pending')))
      .orderBy(frontier.id)
      .limit(1)
      .prepare();
    this.byId = db.select(itemColumns).from(frontier).where(eq(frontier.id, p('id'))).prepare();
    this.setDone = db
      .update(frontier)
      .set({ status: 'done', attempts: sql`${frontier.attempts} + 1`, error: null, errorCode: null, result: jsonParam('result'), updatedAt: sql`${p('t')}` })
      .where(eq(frontier.id, p('id')))
      .prepare();
    this.pendingOf = db
      .select({ n: count() })
      .from(frontier)
      .where(and(eq(frontier.site, p('site')), eq(frontier.status, 'pending')))
      .prepare();
    this.statusCounts = db
      .select({ status: frontier.status, n: count() })
      .from(frontier)
      .where(eq(frontier.site, p('site')))
      .groupBy(frontier.status)
      .prepare();
  }

  /** Queues a URL for a site unless that site has seen it before. Returns the row id and whether it was new. */
  enqueue(site: string, url: string, kind: FrontierKind, meta?: JsonObject): { id: number; added: boolean } {
    const t = now();
    const info = this.insert.run({ site, url, kind, meta: jsonText(meta), t });
    if (info.changes === 1) return { id: Number(info.lastInsertRowid), added: true };
    const row = this.idOf.get({ site, url });
    if (!row) throw new OgiError('frontier-lost', `${url} of ${site} was neither queued nor found`);
    return { id: row.id, added: false };
  }

  enqueueMany(site: string, items: NewFrontierItem[]): number {
    return this.db.transaction(() => items.filter((i) => this.enqueue(site, i.url, i.kind, i.meta).added).length);
  }

  /** The oldest pending item of a site (FIFO = breadth first), or undefined when the site is drained. */
  nextPending(site: string): FrontierItem | undefined {
    return this.oldestPending.get({ site });
  }

  get(id: number): FrontierItem | undefined {
    return this.byId.get({ id });
  }

  /**
   * Marks an item done and, in the same transaction, queues what was discovered on it, so a kill
   * between the two can neither lose the children nor re-process the parent.
   */
  markDone(id: number, result?: JsonObject, discovered: NewFrontierItem[] = []): number {
    return this.db.transaction(() => {
      const row = this.siteOf.get({ id });
      if (!row) throw new OgiError('frontier-unknown-id', `no frontier item ${id}`);
      this.setDone.run({ id, result: jsonText(result), t: now() });
      return discovered.filter((i) => this.enqueue(row.site, i.url, i.kind, i.meta).added).length;
    });
  }

  /** Records a failed step: `code` as its own column, `message` ("code: sentence") for people. */
  markFailed(id: number, code: string, message: string): void {
    this.db
      .update(frontier)
      .set({ status: 'failed', attempts: sql`${frontier.attempts} + 1`, error: message, errorCode: code, updatedAt: now() })
      .where(eq(frontier.id, id))
      .run();
  }

  pendingCount(site: string): number {
    return this.pendingOf.get({ site })?.n ?? 0;
  }

  counts(site: string): Record<FrontierStatus, number> {
    const counts: Record<FrontierStatus, number> = { pending: 0, done: 0, failed: 0 };
    for (const r of this.statusCounts.all({ site })) counts[r.status] = r.n;
    return counts;
  }

  list(site: string): FrontierItem[] {
    return this.db.select(itemColumns).from(frontier).where(eq(frontier.site, site)).orderBy(frontier.id).all();
  }

  /** Puts failed items of a site back in the queue (e.g. at the start of a new run). Returns how many. */
  requeueFailed(site: string): number {
    return this.db
      .update(frontier)
      .set({ status: 'pending', updatedAt: now() })
      .where(and(eq(frontier.site, site), eq(frontier.status, 'failed')))
      .run().changes;
  }

  /** Forgets a site's frontier so that a fresh crawl starts over (a finished crawl's state is not a resume point). */
  reset(site: string): number {
    return this.db.delete(frontier).where(eq(frontier.site, site)).run().changes;
  }
}
