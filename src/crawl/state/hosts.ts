/**
 * What the crawl learned about a host: whether plain HTTP meets an anti-bot challenge there (so
 * later runs go to the browser at once), and its cookie jar (challenge clearance included).
 */
import { asc, eq, sql } from 'drizzle-orm';
import { hosts } from '../../../schema/crawl/tables.ts';
import { type CrawlDatabase, now } from './database.ts';

export interface HostState {
  host: string;
  needsBrowser: boolean;
  reason: string | null;
  cookies: string | null; // JSON of the host's serialized tough-cookie jar
}

const hostColumns = { host: hosts.host, needsBrowser: hosts.needsBrowser, reason: hosts.reason, cookies: hosts.cookies };

export class HostStore {
  constructor(private readonly db: CrawlDatabase) {}

  get(host: string): HostState | undefined {
    return this.db.select(hostColumns).from(hosts).where(eq(hosts.host, host)).get();
  }

  list(): HostState[] {
    return this.db.select(hostColumns).from(hosts).orderBy(asc(hosts.host)).all();
  }

  markNeedsBrowser(host: string, reason: string): void {
    this.db
      .insert(hosts)
      .values({ host, needsBrowser: true, reason, updatedAt: now() })
      .onConflictDoUpdate({ target: hosts.host, set: { needsBrowser: true, reason, updatedAt: sql.raw('excluded.updated_at') } })
      .run();
  }

  setCookies(host: string, cookiesJson: string): void {
    this.db
      .insert(hosts)
      .values({ host, cookies: cookiesJson, updatedAt: now() })
      .onConflictDoUpdate({ target: hosts.host, set: { cookies: cookiesJson, updatedAt: sql.raw('excluded.updated_at') } })
      .run();
  }
}
