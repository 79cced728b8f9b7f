/**
 * Site registry: one folder per portal, `crawlers/<prov>/<slug>/site.yml`, validated with zod at
 * load so a typo in a config fails with the file name and the field instead of a silent empty crawl.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { PLATFORM_FILE_HOSTS, PLATFORMS } from './adapters/platforms.ts';
import { PLATFORM_PARAMS } from './adapters/platform-params.ts';
import { GOV_DOMAIN, hostNameProblem, isHostAllowed, isUnderDomain } from './fetch/hosts.ts';
import { OgiError } from '../domain/errors.ts';

export const LEVELS = ['province', 'city', 'county', 'district', 'township', 'department', 'central'] as const;

const httpUrl = z.string().regex(/^https?:\/\/[^/\s]+(\/\S*)?$/, 'must be an absolute http(s) URL');

/** a full host name (as allowHosts takes it), lower-cased */
const hostName = z
  .string()
  .transform((h) => h.trim().toLowerCase())
  .superRefine((h, ctx) => {
    const problem = hostNameProblem(h);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  });

/**
 * A start: a URL, or a URL with the evidence it comes from — the real page (in
 * `shared/evidence/`, `shared/registry/zhejiang-portals.csv`) that shows the column, e.g. a
 * report page `/art/…/art_<column id>_<n>.html` of that column.
 */
const StartEntry = z.union([httpUrl, z.object({ url: httpUrl, evidence: httpUrl }).strict()]);
type StartEntry = z.infer<typeof StartEntry>;
const startUrl = (e: StartEntry): string => (typeof e === 'string' ? e : e.url);

/** The jcms column id a URL names: /col/col<ID>/ or /art/…/art_<ID>_<n>.html. */
export function columnIdOf(url: string): string | null {
  return /\/col\/col(\d+)\//.exec(url)?.[1] ?? /\/art_(\d+)_\d+\.html/.exec(url)?.[1] ?? null;
}

/** A start and its evidence URL (null: the start is not evidenced, e.g. a home page to discover from). */
export interface SiteStart {
  url: string;
  evidence: string | null;
}

export const SiteSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
    name: z.string().min(1),
    region: z.string().regex(/^\d{6}$/, 'a six-digit GB/T 2260 code'),
    level: z.enum(LEVELS),
    platform: z.enum(PLATFORMS),
    /**
     * real portal URLs: column pages, or pages to discover the annual-report column from; each a URL,
     * or `{ url, evidence }` with the evidence URL that shows the column
     */
    start: z.array(StartEntry).min(1),
    params: z
      .object({
        webid: z.union([z.string(), z.number()]).transform(String).optional(),
        webname: z.string().optional(),
        /** records per classic dataproxy request (spiders use 45, 60 or 120) */
        proxyStep: z.number().int().positive().max(500).optional(),
        /** how many listing pages (groups) to read per column at most */
        maxPages: z.number().int().positive().optional(),
        /** link-text pattern for discovery of the annual-report column (regex source) */
        discoverText: z.string().optional(),
        /** each platform's own params: the xxgk annual-report module and search.jsp directory, … (src/crawl/adapters/platform-params.ts) */
        ...PLATFORM_PARAMS,
      })
      .strict()
      .default({}),
    /**
     * evidence: the host is backed by evidence (the default); unverified: the registry lists the
     * portal without evidence for its host yet — the site is crawled but flagged in `ogi sites`
     */
    status: z.enum(['evidence', 'unverified']).default('evidence'),
    delayMs: z.number().int().min(0).optional(),
    /** full host names (exact, not suffixes) a site may fetch from beyond gov.cn, e.g. an attachment mirror */
    allowHosts: z.array(hostName).default([]),
    /**
     * other gov.cn hosts of the same government where its reports live (Ningbo's zfxx.ningbo.gov.cn,
     * Zhoushan's xxgk.zhoushan.gov.cn): full host names under gov.cn, from evidence URLs; allowed for
     * the site and usable as start and discovery hosts
     */
    sisterHosts: z
      .array(
        hostName.superRefine((h, ctx) => {
          if (hostNameProblem(h) === null && !isUnderDomain(h, GOV_DOMAIN)) ctx.addIssue({ code: 'custom', message: `"${h}" is not under gov.cn; a host outside gov.cn goes in allowHosts` });
        }),
      )
      .default([]),
    expect: z
      .object({
        minReports: z.number().int().min(0).default(1),
        maxReports: z.number().int().positive().optional(),
        years: z.tuple([z.number().int(), z.number().int()]).optional(),
      })
      .strict()
      .default({ minReports: 1 }),
    notes: z.string().optional(),
  })
  .strict()
  .superRefine((site, ctx) => {
    // A start host is a government host, or the site lists it: a typo or a copycat mirror in
    // `start` must not start a crawl outside government portals.
    site.start.forEach((e, i) => {
      // an evidence URL shows the start's column: it names the same column id
      if (typeof e === 'string' || !URL.canParse(e.evidence)) return;
      const col = columnIdOf(e.url);
      if (col !== null && columnIdOf(e.evidence) !== col) {
        ctx.addIssue({ code: 'custom', path: ['start', i, 'evidence'], message: `${e.evidence} does not show column ${col} of ${e.url}` });
      }
    });
    for (const u of site.start.map(startUrl)) {
      if (!URL.canParse(u)) continue; // reported by the field's own check
      if (!isHostAllowed(new URL(u).hostname, site.allowHosts)) {
        ctx.addIssue({
          code: 'custom',
          path: ['start'],
          message: `${u} is not a government host; list it in allowHosts if the evidence shows it is the portal's`,
        });
      }
    }
  })
  // `start` is the URLs (what adapters read); `starts` keeps each with its evidence
  .transform(({ start, ...site }) => ({
    ...site,
    start: start.map(startUrl),
    starts: start.map((e): SiteStart => (typeof e === 'string' ? { url: e, evidence: null } : { url: e.url, evidence: e.evidence })),
  }));

export type Site = z.infer<typeof SiteSchema> & {
  /** the folder that holds site.yml, relative to the repository */
  dir: string;
  /** province folder, e.g. zj */
  province: string;
  /** absolute path of the site's own crawler.ts, when it has one (it replaces the platform adapter) */
  crawler: string | null;
};

export class SiteError extends OgiError {
  /** the site.yml, relative to the repository */
  readonly file: string;
  constructor(file: string, detail: string) {
    super('site-invalid', `${file}: ${detail}`);
    this.name = 'SiteError';
    this.file = file;
  }
}

export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
/** the site folders: `crawlers/` of the repository, or OGI_CRAWLERS_DIR (another set of sites, e.g. in tests) */
export const CRAWLERS_DIR = process.env.OGI_CRAWLERS_DIR ? resolve(process.env.OGI_CRAWLERS_DIR) : join(REPO_ROOT, 'crawlers');

export function parseSite(text: string, file: string, dir = '', province = '', crawler: string | null = null): Site {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new SiteError(file, `YAML does not parse (${(e as Error).message.split('\n')[0]})`);
  }
  const r = SiteSchema.safeParse(raw);
  if (!r.success) {
    const detail = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new SiteError(file, detail);
  }
  return { ...r.data, dir, province, crawler };
}

export interface Registry {
  /** every valid site, sorted by id */
  sites: Site[];
  /** one error per invalid site.yml (file and field in its sentence), in folder order */
  invalid: SiteError[];
}

/**
 * Every site under `crawlers/`: the valid ones, and an error for each invalid site.yml — one bad
 * file never hides the other sites (`ogi crawl` warns about it and crawls the rest).
 */
export function loadRegistry(root = CRAWLERS_DIR): Registry {
  if (!existsSync(root)) return { sites: [], invalid: [] };
  const sites: Site[] = [];
  const invalid: SiteError[] = [];
  for (const prov of readdirSync(root).sort()) {
    const provDir = join(root, prov);
    if (!statSync(provDir).isDirectory()) continue;
    for (const slug of readdirSync(provDir).sort()) {
      const file = join(provDir, slug, 'site.yml');
      if (!existsSync(file)) continue;
      const rel = relative(REPO_ROOT, file);
      const crawler = join(provDir, slug, 'crawler.ts');
      try {
        const site = parseSite(readFileSync(file, 'utf8'), rel, relative(REPO_ROOT, join(provDir, slug)), prov, existsSync(crawler) ? crawler : null);
        if (site.id !== `${prov}-${slug}`) throw new SiteError(rel, `id must be "${prov}-${slug}" (its folder), not "${site.id}"`);
        if (sites.some((s) => s.id === site.id)) throw new SiteError(rel, `duplicate id ${site.id}`);
        sites.push(site);
      } catch (e) {
        if (!(e instanceof SiteError)) throw e;
        invalid.push(e);
      }
    }
  }
  return { sites: sites.sort((a, b) => a.id.localeCompare(b.id)), invalid };
}

/** Every site under `crawlers/`, sorted by id; throws the first invalid file's error (tools that need every site valid). */
export function loadSites(root = CRAWLERS_DIR): Site[] {
  const { sites, invalid } = loadRegistry(root);
  if (invalid[0]) throw invalid[0];
  return sites;
}

/** The id a site folder would have (crawlers/<prov>/<slug>/site.yml → prov-slug), to match --site against an invalid file. */
export function folderId(e: SiteError): string {
  const parts = e.file.split(/[\\/]/);
  return `${parts.at(-3) ?? ''}-${parts.at(-2) ?? ''}`;
}

/** The invalid site.yml files that concern a run over `ids` (all of them when every site runs). */
export function invalidFor(registry: Registry, ids: string[]): SiteError[] {
  return ids.length === 0 ? registry.invalid : registry.invalid.filter((e) => ids.includes(folderId(e)));
}

/** The sites named by id (all when `ids` is empty); an unknown id is an error naming the known ones. */
export function selectSites(all: Site[], ids: string[]): Site[] {
  if (ids.length === 0) return all;
  return ids.map((id) => {
    const s = all.find((x) => x.id === id);
    if (!s) throw new OgiError('site-unknown', `no site "${id}" (known: ${all.map((x) => x.id).join(', ')})`);
    return s;
  });
}

/** Hosts a site may fetch from: its start hosts plus the ones it declares (sister hosts, allowHosts, module hosts, its platform's file host). */
export function siteHosts(site: Site): string[] {
  const modules = [site.params.annualReportModule, site.params.xxgkSearch].flat().flatMap((m) => (m?.host ? [new URL(m.host).hostname] : []));
  return [...new Set([...site.start.map((u) => new URL(u).hostname), ...site.sisterHosts, ...site.allowHosts, ...modules, ...PLATFORM_FILE_HOSTS[site.platform]])];
}

/** Hosts that are the site's own government's: its start hosts and its sister hosts (where discovery may start or go). */
export function governmentHosts(site: Site): string[] {
  return [...new Set([...site.start.map((u) => new URL(u).hostname), ...site.sisterHosts])];
}

/** How many of a site's starts carry an evidence URL, e.g. { evidenced: 2, total: 3 }. */
export function startEvidence(site: Site): { evidenced: number; total: number } {
  return { evidenced: site.starts.filter((s) => s.evidence !== null).length, total: site.starts.length };
}
