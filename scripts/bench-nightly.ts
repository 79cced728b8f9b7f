// Incremental-crawl benchmark of `ogi nightly` (issue 6, item 2): a first nightly run against the
// replay server, then a second with nothing changed; prints requests(second) ÷ requests(first).
// Goal ≤ 0.10. The replica columns list 1–4 reports each, where real annual-report columns list
// dozens to hundreds (a city column holds every department's and township's report for every year),
// so the replicas are first filled with --extra synthetic reports per column (copies of a replica
// report under new agencies and paths). The unscaled replicas' ratio is printed too: there, the
// nightly fixed cost (robots.txt + one conditional GET per column head) dominates.
// Usage: node bin/run-ts.js scripts/bench-nightly.ts [--extra 40]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadSites } from '../src/crawl/registry.ts';
import { runNightly, type NightlySummary } from '../src/nightly/run.ts';
import { startReplayServer } from '../testkit/replay/server.ts';
import { loadReplicas, type ReplicaReport, type Replicas } from '../testkit/replay/replicas.ts';
import { StaticListReplica } from '../crawlers/platforms/static-list/replica.ts';
import { JcmsPortalReplica } from '../crawlers/platforms/jcms/replica.ts';
import { goal } from './goals.ts';

const { values } = parseArgs({ options: { extra: { type: 'string', default: '40' } } });
const EXTRA = Number(values.extra);
if (!(EXTRA >= 0)) throw new Error('bad-arguments: --extra ≥ 0');

// zj-zhoushan sits behind a browser challenge: left out so the figures do not depend on chromium
const sites = loadSites().filter((s) => s.id !== 'zj-zhoushan');

async function twoRuns(replicas: Replicas): Promise<[NightlySummary, NightlySummary, number]> {
  const dir = mkdtempSync(join(tmpdir(), 'ogi-bench-nightly-'));
  const server = await startReplayServer({ replicas });
  try {
    const opts = { sites, dataDir: dir, dbPath: join(dir, 'ogi.sqlite'), via: server.url, delayMs: 0, browser: 'never' as const, noExport: true };
    const started = performance.now();
    const first = await runNightly(opts);
    const second = await runNightly(opts);
    return [first, second, performance.now() - started];
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function addSyntheticReports(replicas: Replicas, perColumn: number): number {
  let added = 0;
  const clone = (r: ReplicaReport, agency: string, path: string): ReplicaReport => ({ seed: r.seed, scale: r.scale + 1, agency, pub: '2024-03-01 10:00', path, format: 'html' });
  for (const p of replicas.filter((o): o is JcmsPortalReplica => o instanceof JcmsPortalReplica)) {
    for (const c of p.portal.columns) {
      const model = c.reports.find((r) => r.format === 'html' && !r.updatedOnly && !r.title);
      if (!model) continue;
      for (let i = 1; i <= perColumn; i++) c.reports.push(clone(model, `${model.agency.replace(/人民政府.*$/, '')}第${i}局`, `/art/2024/3/1/art_${c.id}_${9_000_000 + i}.html`));
      added += perColumn;
    }
  }
  for (const l of replicas.filter((o): o is StaticListReplica => o instanceof StaticListReplica)) {
    const model = l.reports[0] as ReplicaReport;
    for (let i = 1; i <= perColumn; i++) {
      l.reports.push({ ...clone(model, `上海市第${i}局`, `${l.dir}20240301/bench${i}.html`), year: 2023, title: `2023年上海市第${i}局政府信息公开工作年度报告` });
    }
    added += perColumn;
  }
  return added;
}

function line(label: string, [first, second, ms]: [NightlySummary, NightlySummary, number]): number {
  const ratio = second.requests.total / first.requests.total;
  const links = first.sites.reduce((n, s) => n + s.reportLinks, 0);
  console.log(
    `${label}: ${links} report links · first run ${first.requests.total} requests · second run ${second.requests.total} ` +
      `(${second.requests.scout} scout, ${second.requests.walk} walk) · ratio ${ratio.toFixed(3)} · ${(ms / 1000).toFixed(1)} s`,
  );
  return ratio;
}

const replicas = loadReplicas();
line('replicas as served', await twoRuns(replicas));
const added = addSyntheticReports(replicas, EXTRA);
const ratio = line(`replicas + ${added} synthetic reports`, await twoRuns(replicas));
const ok = goal('bench-nightly.ts', 'requests of an unchanged second nightly run ÷ the first', ratio, 'max', 0.1, '×');
console.log(`nightly incremental ratio ${ratio.toFixed(3)} (goal ≤ 0.10): ${ok ? 'OK' : 'ABOVE GOAL'}`);
process.exitCode = ok ? 0 : 1;
