// Crawl of every replica site against its politeness bound (issue 13, point 5).
// Starts the replay server (testkit/replay/server.ts: every site's replica, on 127.0.0.1), runs
// one real `runCrawl` of all those sites through it (`via`; hosts in parallel, one request at a time
// per host, per-host delay d, jitter on), and compares the wall time with the politeness bound
// of `ogi crawl --plan` (src/crawl/plan.ts: max over hosts of requests × delay) for a data directory
// that never crawled (requests estimated from site.yml and the platforms' discovery and paging), and,
// for reference, with the bound over the requests each host really answered. A second crawl of the
// same directory is held to the plan `ogi crawl --plan` then makes (hosts planned from the first
// crawl's requests). A wall time above 1.15 × its plan's bound is flagged (exit status 1).
// Peak RSS (this process: crawler, extraction, database and the replay server) shows that memory
// stays bounded. Timings are measured here only, never asserted in tests.
// The default delay is the crawler's own (1000 ms): with short delays the extraction after a host's
// last request (OCR of a report published as pictures takes seconds) is no longer hidden behind the
// other hosts' waits, and the wall time measures the machine rather than the pacing; the line
// "after the last request" shows that tail.
// Usage: node bin/run-ts.js scripts/bench-crawl-replicas.ts [--delay 1000]
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { hostDelay, planCrawl, politenessBound, seenRequests } from '../src/crawl/plan.ts';
import { loadSites } from '../src/crawl/registry.ts';
import { runCrawl } from '../src/crawl/run.ts';
import { readLatestRuns } from '../src/crawl/state/index.ts';
import { startReplayServer } from '../testkit/replay/server.ts';
import { goal } from './goals.ts';

const { values } = parseArgs({ options: { delay: { type: 'string', default: '1000' } } });
const DELAY = Number(values.delay);
if (!(DELAY >= 1)) throw new Error('bad-arguments: --delay ≥ 1 (ms)');
const GOAL = 1.15;

// every site is served: by its replica.yml, or by the replica testkit generates from its site.yml
const sites = loadSites();
const plan = await planCrawl(sites, { delayMs: DELAY });
const server = await startReplayServer();
const dataDir = mkdtempSync(join(tmpdir(), 'ogi-bench-replicas-'));
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);

async function timedCrawl(): Promise<{ summary: Awaited<ReturnType<typeof runCrawl>>; wall: number }> {
  const t = performance.now();
  const summary = await runCrawl({ sites, dataDir, dbPath: join(dataDir, 'ogi.sqlite'), via: server.url, delayMs: DELAY, browser: 'never' });
  return { summary, wall: performance.now() - t };
}

const cpuBefore = process.cpuUsage();
let first;
try {
  first = await timedCrawl();
} finally {
  clearInterval(sampler);
}
const { summary, wall } = first;
const endedAt = Date.now();
const cpu = process.cpuUsage(cpuBefore);
const answered = server.requests.length;
const lastRequestAt = Math.max(...server.requests.map((r) => r.at));
const byHost = new Map<string, number>();
for (const r of server.requests) byHost.set(r.host, (byHost.get(r.host) ?? 0) + 1);
// the nightly case: `ogi crawl --plan` over the same data directory plans each host from what the
// first crawl asked of it, and a second crawl (conditional requests) is held to that bound
const planSeen = await planCrawl(sites, { delayMs: DELAY, seen: seenRequests(readLatestRuns(dataDir)) });
const second = await timedCrawl();
await server.close();
rmSync(dataDir, { recursive: true, force: true });

// each host's delay as the crawl gives it (a site's own delayMs, else --delay)
const delayOf = new Map<string, number>();
for (const s of sites) for (const u of s.start) delayOf.set(new URL(u).host, hostDelay(s, { delayMs: DELAY }));
const measured = politenessBound([...byHost].map(([host, requests]) => ({ host, requests, delayMs: delayOf.get(host) ?? DELAY })));
const ratio = wall / plan.boundMs;
const ratioMeasured = wall / measured.boundMs;
const maxRssKb = process.resourceUsage().maxRSS;
const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(0);
const totals = summary.sites.reduce((a, s) => ({ found: a.found + s.reportsFound, loaded: a.loaded + s.new + s.changed + s.unchanged, failed: a.failed + s.failed }), { found: 0, loaded: 0, failed: 0 });

console.log(`${sites.length} replica sites on ${byHost.size} hosts, delay ${DELAY} ms (jitter up to +10%); ${summary.requests} requests (${answered} answered by the replay server), ${totals.found} report links, ${totals.loaded} loaded, ${totals.failed} failed`);
const boundHostPlanned = plan.hosts.find((h) => h.host === plan.boundHost)?.requests ?? 0;
console.log(
  `plan (ogi crawl --plan of a data directory that never crawled: estimated): ${plan.requests} requests (${answered} made: ${((plan.requests / answered - 1) * 100).toFixed(0)}%), bound ${(plan.boundMs / 1000).toFixed(2)} s = ${boundHostPlanned} × ${plan.hosts[0]?.delayMs ?? DELAY} ms (${plan.boundHost}, which answered ${byHost.get(plan.boundHost ?? '') ?? 0})`,
);
console.log(`bound over the requests each host answered: ${(measured.boundMs / 1000).toFixed(2)} s = ${byHost.get(measured.boundHost ?? '')} × ${delayOf.get(measured.boundHost ?? '') ?? DELAY} ms (${measured.boundHost}, planned ${plan.hosts.find((h) => h.host === measured.boundHost)?.requests ?? 0}); wall / that bound ${ratioMeasured.toFixed(3)}`);
console.log(`wall ${(wall / 1000).toFixed(2)} s; CPU ${((cpu.user + cpu.system) / 1000 / 1000).toFixed(2)} s (this process, server included); load average ${loadavg()[0]?.toFixed(1)}`);
console.log(`after the last request: ${((endedAt - lastRequestAt) / 1000).toFixed(2)} s of extraction and loading`);
console.log(`peak RSS ${mb(maxRssKb * 1024)} MB (sampled: ${mb(peakRss)} MB)`);
console.log(`first crawl against its plan: ratio ${ratio.toFixed(3)} (goal ≤ ${GOAL}) ${ratio <= GOAL ? 'OK' : 'ABOVE GOAL'}`);
const ratioSeen = second.wall / planSeen.boundMs;
console.log(
  `second crawl against ogi crawl --plan of the same data directory (hosts planned from the first crawl): ${planSeen.requests} requests planned, bound ${(planSeen.boundMs / 1000).toFixed(2)} s (${planSeen.boundHost}); wall ${(second.wall / 1000).toFixed(2)} s; ratio ${ratioSeen.toFixed(3)} (goal ≤ ${GOAL}) ${ratioSeen <= GOAL ? 'OK' : 'ABOVE GOAL'}`,
);
goal('bench-crawl-replicas.ts', 'first crawl of every replica site: wall time ÷ politeness bound', ratio, 'max', GOAL, '×');
goal('bench-crawl-replicas.ts', 'second crawl: wall time ÷ the bound ogi crawl --plan gave', ratioSeen, 'max', GOAL, '×');
// Above the goal counts as a problem for `npm run bench` (other load on the machine inflates it).
if (ratio > GOAL || ratioSeen > GOAL || !summary.complete || !second.summary.complete) process.exitCode = 1;
