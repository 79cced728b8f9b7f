/**
 * Conditional GET and change detection: per request (cache key), the validators of its last
 * response and the sha256 of its archived bytes.
 */
import { eq, sql } from 'drizzle-orm';
import { validators } from '../../../schema/crawl/tables.ts';
import { type CrawlDatabase, now } from './database.ts';

export interface CacheValidators {
  etag: string | null;
  lastModified: string | null;
  sha256: string | null;
  contentType: string | null;
  finalUrl: string | null;
}

const p = sql.placeholder;

export class ValidatorCache {
  // read and written on every request: prepared once per connection
  private readonly byKey;
  private readonly upsert;

  constructor(db: CrawlDatabase) {
    this.byKey = db
      .select({ etag: validators.etag, lastModified: validators.lastModified, sha256: validators.sha256, contentType: validators.contentType, finalUrl: validators.finalUrl })
      .from(validators)
      .where(eq(validators.cacheKey, p('cacheKey')))
      .prepare();
    const fresh = (column: string) => sql.raw(`excluded.${column}`);
    this.upsert = db
      .insert(validators)
      .values({ cacheKey: p('cacheKey'), etag: p('etag'), lastModified: p('lastModified'), sha256: p('sha256'), contentType: p('contentType'), finalUrl: p('finalUrl'), updatedAt: p('updatedAt') })
      .onConflictDoUpdate({
        target: validators.cacheKey,
        set: {
          etag: fresh('etag'),
          lastModified: fresh('last_modified'),
          sha256: fresh('sha256'),
          contentType: fresh('content_type'),
          finalUrl: fresh('final_url'),
          updatedAt: fresh('updated_at'),
        },
      })
      .prepare();
  }

  get(cacheKey: string): CacheValidators | undefined {
    return this.byKey.get({ cacheKey });
  }

  put(cacheKey: string, v: CacheValidators): void {
    this.upsert.run({ cacheKey, ...v, updatedAt: now() });
  }
}
