/**
 * The crawl state schema (drizzle-orm) of <dataDir>/crawl.sqlite: what the fetch layer and the
 * crawl frontier remember between runs. Migrations in schema/crawl/migrations are generated from
 * this file with `npm run db:generate:crawl`. The first one is edited to be idempotent: data
 * directories made before the migrations already hold these tables (see its header).
 *
 * Timestamps are ISO-8601 UTC text. Tables are independent of each other: they are joined by URL,
 * host or site id, never by foreign key, so that each can be pruned alone.
 */
import { index, integer, sqliteTable, text, unique } from 'drizzle-orm/sqlite-core';

/** one row per HTTP exchange (or refusal before one), written before the caller sees the response */
export const fetchLog = sqliteTable(
  'fetch_log',
  {
    id: integer('id').primaryKey(),
    url: text('url').notNull(),
    finalUrl: text('final_url'),
    method: text('method').notNull(),
    status: integer('status'),
    contentType: text('content_type'),
    sha256: text('sha256'),
    size: integer('size'),
    fetchedAt: text('fetched_at').notNull(),
    elapsedMs: integer('elapsed_ms').notNull(),
    site: text('site'),
    runId: text('run_id'),
    /** "code: sentence" of a failed exchange */
    error: text('error'),
    viaBrowser: integer('via_browser', { mode: 'boolean' }).notNull().default(false),
    kind: text('kind'),
  },
  (t) => [index('fetch_log_url').on(t.url), index('fetch_log_run').on(t.runId)],
);

/** conditional GET: the last response's validators and archived bytes per request (cache key) */
export const validators = sqliteTable('validators', {
  /** the URL of a GET; "POST url form" of a POST */
  cacheKey: text('cache_key').primaryKey(),
  etag: text('etag'),
  lastModified: text('last_modified'),
  sha256: text('sha256'),
  contentType: text('content_type'),
  finalUrl: text('final_url'),
  updatedAt: text('updated_at').notNull(),
});

/** URLs robots.txt kept us from fetching */
export const robotsSkips = sqliteTable('robots_skips', {
  id: integer('id').primaryKey(),
  url: text('url').notNull(),
  host: text('host').notNull(),
  site: text('site'),
  runId: text('run_id'),
  skippedAt: text('skipped_at').notNull(),
});

/** per host: whether it answers plain HTTP with an anti-bot challenge, and its cookie jar */
export const hosts = sqliteTable('hosts', {
  host: text('host').primaryKey(),
  needsBrowser: integer('needs_browser', { mode: 'boolean' }).notNull().default(false),
  /** the challenge seen, e.g. status-412 */
  reason: text('reason'),
  /** JSON of a serialized tough-cookie jar */
  cookies: text('cookies'),
  updatedAt: text('updated_at').notNull(),
});

export const FRONTIER_KINDS = ['robots', 'listing', 'article', 'attachment', 'other'] as const;
export const FRONTIER_STATUSES = ['pending', 'done', 'failed'] as const;

/** the crawl queue: one row per URL a site's crawl has seen, with its outcome */
export const frontier = sqliteTable(
  'frontier',
  {
    id: integer('id').primaryKey(),
    site: text('site').notNull(),
    url: text('url').notNull(),
    kind: text('kind', { enum: FRONTIER_KINDS }).notNull(),
    /** what the adapter needs to run the step (JSON object) */
    meta: text('meta', { mode: 'json' }).$type<Record<string, unknown>>(),
    status: text('status', { enum: FRONTIER_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    /** "code: sentence" of the last failure */
    error: text('error'),
    /** the code alone (OgiError.code), so readers never parse it back out of `error` */
    errorCode: text('error_code'),
    /** what the step found or loaded (JSON object) */
    result: text('result', { mode: 'json' }).$type<Record<string, unknown>>(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [unique().on(t.site, t.url), index('frontier_pending').on(t.site, t.status, t.id)],
);

export const crawlSchema = { fetchLog, validators, robotsSkips, hosts, frontier };
