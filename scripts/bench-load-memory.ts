/**
 * Memory of `ogi load` over real-sized reports: 500, 1,000 and 2,000 Word-exported report pages
 * of about 100 KB (testkit/reports/report-word-html.ts), each batch loaded by `ogi load` itself
 * into a fresh database in a process of its own, whose peak RSS is measured. Goals: the 2,000
 * peak under 300 MB, and flat as the batch grows (2,000 at most 10% above 500).
 * Run: node bin/run-ts.js scripts/bench-load-memory.ts [--reports 2000]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateWordReport } from '../testkit/reports/report-word-html.ts';
import { goal } from './goals.ts';

const BENCH = 'bench-load-memory.ts';
const root = path.resolve(import.meta.dirname, '..');
const arg = process.argv.indexOf('--reports');
const largest = arg > 0 ? Number(process.argv[arg + 1]) : 2000;
const sizes = [largest / 4, largest / 2, largest].map(Math.round);

const dir = mkdtempSync(path.join(tmpdir(), 'ogi-load-memory-'));
try {
  const files: string[] = [];
  mkdirSync(path.join(dir, 'reports'));
  let bytes = 0;
  for (let i = 1; i <= largest; i++) {
    const file = path.join(dir, 'reports', `r${String(i).padStart(5, '0')}.html`);
    const { html } = generateWordReport(i);
    writeFileSync(file, html);
    bytes += Buffer.byteLength(html);
    files.push(file);
  }
  console.log(`${largest} Word-exported report pages, ${(bytes / largest / 1024).toFixed(0)} KB on average`);
  // the peak RSS of the load process itself, printed by it as it exits
  const printPeak = `data:text/javascript,process.on('exit',()=>process.stderr.write('OGI_MAX_RSS_KB '+process.resourceUsage().maxRSS+'\\n'))`;
  const peaks: number[] = [];
  for (const n of sizes) {
    const db = path.join(dir, `load-${n}.sqlite`);
    const t = performance.now();
    const r = spawnSync(process.execPath, ['--import', printPeak, path.join(root, 'bin/ogi.js'), 'load', '--db', db, ...files.slice(0, n)], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const seconds = (performance.now() - t) / 1000;
    const kb = Number(/OGI_MAX_RSS_KB (\d+)/.exec(r.stderr)?.[1] ?? NaN);
    const loaded = (r.stdout.match(/\bnew\b/g) ?? []).length;
    if (r.status !== 0 || loaded !== n) {
      console.log(`ogi load of ${n} reports: exit ${r.status}, ${loaded} loaded as new\n${r.stderr.slice(-2000)}`);
      process.exitCode = 1;
    }
    peaks.push(kb / 1024);
    console.log(`ogi load of ${n} reports: peak RSS ${(kb / 1024).toFixed(0)} MB, ${seconds.toFixed(1)} s (${(n / seconds).toFixed(0)} reports/s)`);
  }
  goal(BENCH, `ogi load of ${largest} real-sized reports, peak RSS`, peaks.at(-1)!, 'max', 300, 'MB');
  goal(BENCH, `peak RSS growth from ${sizes[0]} to ${largest} reports`, (peaks.at(-1)! / peaks[0]! - 1) * 100, 'max', 10, '%');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
