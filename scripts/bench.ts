/**
 * npm run bench: runs every benchmark (scripts/bench-*.ts) one after another, each in its own
 * process so that one's memory and JIT state do not colour the next, and prints their figures.
 * Each benchmark states its goals through scripts/goals.ts; the summary at the end lists every
 * goal with its measured value and flags every missed one, and names a benchmark that failed
 * otherwise (an error, a wrong result). The exit status is 1 when anything was missed or failed.
 * Run one alone with: node bin/run-ts.js scripts/bench-<name>.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeGoal, GOALS_FILE_ENV, type GoalResult } from './goals.ts';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((f) => /^bench-.+\.ts$/.test(f))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const dir = mkdtempSync(join(tmpdir(), 'ogi-bench-'));
const goalsFile = join(dir, 'goals.jsonl');
const failedWithout: string[] = [];
const statusOf = new Map<string, number | null>();
for (const bench of benches) {
  console.log(`\n== ${bench}`);
  const r = spawnSync(process.execPath, [join(here, '../bin/run-ts.js'), join(here, bench)], {
    stdio: 'inherit',
    env: { ...process.env, [GOALS_FILE_ENV]: goalsFile },
  });
  statusOf.set(bench, r.status);
}
let goals: GoalResult[] = [];
try {
  goals = readFileSync(goalsFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as GoalResult);
} catch {
  // no benchmark stated a goal
}
rmSync(dir, { recursive: true, force: true });

const missed = goals.filter((g) => !g.met);
for (const [bench, status] of statusOf) {
  if (status !== 0 && !missed.some((g) => g.bench === bench)) failedWithout.push(`${bench} (exit ${status ?? 'signal'})`);
}
console.log('\n== summary');
for (const bench of benches) {
  const mine = goals.filter((g) => g.bench === bench);
  if (mine.length === 0) console.log(`${bench}: no goal stated`);
  for (const g of mine) console.log(`${g.met ? 'met   ' : 'MISSED'} ${bench}: ${describeGoal(g)}`);
}
console.log(`\n${benches.length} benchmark(s) run; ${goals.length - missed.length} of ${goals.length} goal(s) met`);
if (missed.length > 0) {
  console.log(`${missed.length} goal(s) MISSED:`);
  for (const g of missed) console.log(`  - ${g.bench}: ${describeGoal(g)}`);
}
if (failedWithout.length > 0) console.log(`failed without a missed goal (an error or a wrong result; see its output): ${failedWithout.join(', ')}`);
process.exitCode = missed.length > 0 || failedWithout.length > 0 ? 1 : 0;
