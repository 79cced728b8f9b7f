/**
 * npm run bench: runs every benchmark (scripts/bench-*.ts) one after another, each in its own
 * process so that one's memory and JIT state do not colour the next, and prints their figures.
 * Run one alone with: node bin/run-ts.js scripts/bench-<name>.ts
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((f) => /^bench-.+\.ts$/.test(f))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

let failed = 0;
for (const bench of benches) {
  console.log(`\n== ${bench}`);
  const r = spawnSync(process.execPath, [join(here, '../bin/run-ts.js'), join(here, bench)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
console.log(`\n${benches.length} benchmark(s) run, ${failed} reported a problem`);
process.exitCode = failed > 0 ? 1 : 0;
