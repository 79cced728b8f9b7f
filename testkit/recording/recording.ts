/**
 * Per-site recorded fixtures (crawlers/<prov>/<slug>/fixtures/, in the site's own folder): the
 * responses a crawl of the site's listings and report articles received, stored as files
 * plus an index, and a PageFetcher that answers from them — so adapters are tested against
 * recorded pages, offline and exactly.
 * Record with: node bin/run-ts.js testkit/recording/record.ts [--site ID...] [--live]
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PageFetcher } from '../../src/crawl/context.ts';
import { decodeBody, FetchError, type FetchRequest, type FetchResult } from '../../src/crawl/fetch/index.ts';
import { REPO_ROOT, type Site } from '../../src/crawl/registry.ts';

export interface RecordedExchange {
  method: 'GET' | 'POST';
  url: string;
  form?: Record<string, string>;
  /** when the request failed: the FetchError message ("code: sentence") */
  error?: string;
  status?: number;
  finalUrl?: string;
  contentType?: string | null;
  /** body file, relative to the site's fixture folder */
  file?: string;
}

/**
 * A recording keeps what the crawl saw, never what identifies a session: no headers at all (no
 * Cookie, Set-Cookie, Authorization), and session ids or tokens in URLs (`;jsessionid=…`,
 * `?token=…`) and forms are replaced by "REDACTED" — on recording and when a recording is looked up.
 */
const SECRET_NAME = /^(?:jsessionid|sessionid|session_id|sid|token|access_token|accesstoken|ticket|authorization|auth|cookie|password|passwd|pwd|signature|sign|secret)$/i;

export function redactUrl(raw: string): string {
  const noSession = raw.replace(/;jsessionid=[^?#/]*/gi, '');
  try {
    const u = new URL(noSession);
    let changed = noSession !== raw;
    for (const k of [...u.searchParams.keys()]) {
      if (SECRET_NAME.test(k) && u.searchParams.get(k) !== 'REDACTED') {
        u.searchParams.set(k, 'REDACTED');
        changed = true;
      }
    }
    return changed ? u.href : raw;
  } catch {
    return noSession;
  }
}

export function redactForm(form: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(form).map(([k, v]) => [k, SECRET_NAME.test(k) ? 'REDACTED' : v]));
}

export function exchangeKey(method: string, rawUrl: string, rawForm?: Record<string, string>): string {
  const url = redactUrl(rawUrl);
  const form = rawForm ? redactForm(rawForm) : undefined;
  const f = form ? Object.entries(form).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`).join('&') : '';
  return `${method} ${url}${f ? ` ${f}` : ''}`;
}

/** The folder of a site's recorded fixture: `fixtures/` beside its site.yml. */
export function siteFixtureDir(site: Site): string {
  return join(REPO_ROOT, site.dir, 'fixtures');
}

/** Answers requests from a site's recording; an unrecorded request fails with code not-recorded. */
export class RecordedFetcher implements PageFetcher {
  private readonly byKey = new Map<string, RecordedExchange>();

  constructor(readonly dir: string) {
    const index = join(dir, 'recording.json');
    if (!existsSync(index)) throw new Error(`fixture-missing: ${index} does not exist`);
    for (const ex of JSON.parse(readFileSync(index, 'utf8')) as RecordedExchange[]) this.byKey.set(exchangeKey(ex.method, ex.url, ex.form), ex);
  }

  async fetch(req: FetchRequest): Promise<FetchResult> {
    const method = req.method ?? (req.form ? 'POST' : 'GET');
    const ex = this.byKey.get(exchangeKey(method, req.url, req.form));
    if (!ex) throw new Error(`not-recorded: ${method} ${req.url} is not in ${this.dir}/recording.json`);
    if (ex.error) {
      const code = /^([a-z0-9-]+):/.exec(ex.error)?.[1] ?? 'network';
      throw new FetchError(code as FetchError['code'], req.url, ex.error.replace(/^[a-z0-9-]+: /, ''));
    }
    const body = readFileSync(join(this.dir, ex.file ?? ''));
    const contentType = ex.contentType ?? null;
    return {
      url: req.url,
      finalUrl: ex.finalUrl ?? req.url,
      status: ex.status ?? 200,
      ok: true,
      headers: contentType ? { 'content-type': contentType } : {},
      contentType,
      body,
      sha256: createHash('sha256').update(body).digest('hex'),
      text: () => decodeBody(body, contentType),
      notModified: false,
      changed: true,
      viaBrowser: false,
    };
  }
}
