/**
 * The replica portals served by the replay server, one per site: `crawlers/<prov>/<slug>/replica.yml`
 * beside the site's site.yml, or for a site without one the replica its platform generates from its
 * site.yml. Each platform's replica shape lives in its platform folder,
 * crawlers/platforms/<platform>/replica.ts (a PlatformReplica, listed in
 * testkit/replay/platform-replicas.ts), which validates the replica.yml. The host and the scheme are
 * the site's: those of its first start URL, so a replica cannot drift from its site.yml.
 *
 * Report bodies carry the five seed reports (testkit/data/seeds.json, copied from the hand-read
 * corpus), multiplied per site by a whole number (testkit/replay/replica-reports.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { loadSites, REPO_ROOT, type Site } from '../../src/crawl/registry.ts';
import type { Served, ServedReplica } from './platform-replica.ts';
import { PLATFORM_REPLICAS } from './platform-replicas.ts';
import type { ExpectedReport, Mode } from './replica-reports.ts';

export { GENERATED_YEARS, reportScale, reportsIn, reportTitleOf, reportValues, SEEDS, type ExpectedReport, type Mode, type ReplicaReport, type SeedId } from './replica-reports.ts';

/** The served replicas, in site order; several may answer on one host (a shared file mirror). */
export type Replicas = ServedReplica[];

export const REPLICA_FILE = 'replica.yml';
export const REPLICA_FILES = 'replica-files';

/**
 * The replica of every site its platform's replica shape (PLATFORM_REPLICAS) serves: from its
 * replica.yml, or generated from its site.yml (a jcms site, a gkmlpt site, …; a static-list site
 * without a replica.yml is not served).
 */
export function loadReplicas(sites: Site[] = loadSites()): Replicas {
  const out: Replicas = [];
  for (const site of sites) {
    const shape = PLATFORM_REPLICAS.find((p) => p.platform === site.platform);
    if (!shape) continue;
    const file = join(REPO_ROOT, site.dir, REPLICA_FILE);
    const start = new URL(site.start[0] ?? '');
    const served: Served = { site: site.id, host: start.hostname, scheme: start.protocol === 'https:' ? 'https' : 'http', files: join(REPO_ROOT, site.dir, REPLICA_FILES) };
    const replica = shape.load(site, existsSync(file) ? parseYaml(readFileSync(file, 'utf8')) : null, served, file);
    if (replica) out.push(replica);
  }
  return out;
}

let defaults: Replicas | undefined;
/** The replicas of the sites in crawlers/, loaded once. */
export function defaultReplicas(): Replicas {
  defaults ??= loadReplicas();
  return defaults;
}

/** Every replica report that a complete crawl should load, with its values — for tests and the demo. */
export function expectedReports(mode: Mode = 'initial', replicas: Replicas = defaultReplicas()): ExpectedReport[] {
  return replicas.flatMap((r) => r.expected(mode));
}
