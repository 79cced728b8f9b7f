/**
 * npm run demo — the whole pipeline offline: start the replay server (replicas of the Zhejiang
 * portals and Shanghai), crawl every registered site through it into data/demo/ (fresh each run),
 * extract and load the reports, then check the database against what the replicas publish.
 * Exit status 0 only when every replica report arrived with every value intact.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { summaryTable, crawlProgress } from '../src/crawl/command.ts';
import { loadSites } from '../src/crawl/registry.ts';
import { runCrawl } from '../src/crawl/run.ts';
import { closeDatabase, openDatabase } from '../src/load/index.ts';
import { formatTable } from '../src/query/format.ts';
import { startReplayServer } from '../testkit/replay/server.ts';
import { expectedReports } from '../testkit/replay/replicas.ts';
import { verifyDatabase } from '../testkit/replay/verify.ts';

// --data-dir DIR puts the demo elsewhere (the tests use a temp dir); default data/demo
const dirArg = process.argv.indexOf('--data-dir');
const dataDir = dirArg > 0 && process.argv[dirArg + 1] ? process.argv[dirArg + 1]! : join('data', 'demo');
const dbPath = join(dataDir, 'ogi.sqlite');
rmSync(dataDir, { recursive: true, force: true });

const started = Date.now();
const server = await startReplayServer();
let ok = false;
try {
  const sites = loadSites();
  process.stderr.write(`replay server ${server.url}; crawling ${sites.length} sites into ${dataDir}/\n`);
  const progress = crawlProgress();
  // a short per-host delay keeps the demo quick; hosts are still paced one request at a time
  const summary = await runCrawl({ sites, dataDir, dbPath, via: server.url, delayMs: 100, onProgress: (p) => progress.update(p) });
  progress.stop();
  process.stdout.write(`\n${summaryTable(summary)}\n`);
  if (summary.browserHosts.length) process.stdout.write(`hosts that needed the browser: ${summary.browserHosts.join(', ')}\n`);
  for (const w of summary.sites.flatMap((s) => s.warnings)) process.stdout.write(`  warning ${w.site} ${w.code}: ${w.message}\n`);

  const db = openDatabase(dbPath);
  try {
    const checks = verifyDatabase(db.$client, expectedReports());
    process.stdout.write(
      `\n${formatTable(
        ['report', 'loaded', 'values', 'checks ✓/✗'],
        checks.map((c) => [c.title, c.found ? 'yes' : 'MISSING', c.found ? `${c.equal}/${c.cells}` : '', c.found ? `${c.checksPassed}/${c.checksFailed}` : '']),
      )}\n`,
    );
    const found = checks.filter((c) => c.found).length;
    const exact = checks.filter((c) => c.found && c.mismatches.length === 0).length;
    const passed = checks.reduce((n, c) => n + c.checksPassed, 0);
    const failed = checks.reduce((n, c) => n + c.checksFailed, 0);
    const reports = (db.$client.prepare('SELECT count(*) AS n FROM reports WHERE ok = 1').get() as { n: number }).n;
    for (const c of checks) for (const m of c.mismatches.slice(0, 5)) process.stdout.write(`  mismatch ${c.title}: ${m}\n`);
    process.stdout.write(
      `\nsites: ${summary.sites.length} · requests: ${summary.requests} · reports in the database: ${reports}\n` +
        `replica reports loaded: ${found}/${checks.length} · with every value equal to the replica: ${exact}/${checks.length}\n` +
        `consistency checks: ${passed} passed, ${failed} failed · ${((Date.now() - started) / 1000).toFixed(1)} s · database: ${dbPath}\n` +
        `\nnext: npx ogi status --db ${dbPath}\n` +
        `      npx ogi query coverage --db ${dbPath}\n` +
        `      npx ogi search 信息处理费 --db ${dbPath}\n` +
        `      npx ogi export --db ${dbPath} --out data/snapshots-demo\n`,
    );
    ok = exact === checks.length && failed === 0;
  } finally {
    closeDatabase(db);
  }
} finally {
  await server.close();
}
process.exitCode = ok ? 0 : 1;
