/**
 * Goals of the benchmarks: each benchmark states every goal it measures through `goal()`, which
 * prints the measured value beside the goal and, under `npm run bench` (scripts/bench.ts), records
 * it for the summary that lists every missed goal. A missed goal also makes the benchmark exit 1.
 */
import { appendFileSync } from 'node:fs';

/** where scripts/bench.ts collects the goals of the benchmarks it runs (one JSON object a line) */
export const GOALS_FILE_ENV = 'OGI_BENCH_GOALS_FILE';

export interface GoalResult {
  /** the benchmark file, e.g. bench-extract.ts */
  bench: string;
  /** what is measured, e.g. "PDF reports per second in a batch" */
  what: string;
  measured: number;
  goal: number;
  /** 'min': measured ≥ goal; 'max': measured ≤ goal */
  kind: 'min' | 'max';
  unit: string;
  met: boolean;
}

function format(n: number): string {
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(3).replace(/\.?0+$/, '');
}

export function describeGoal(g: GoalResult): string {
  return `${g.what}: ${format(g.measured)} ${g.unit} (goal ${g.kind === 'min' ? '≥' : '≤'} ${format(g.goal)} ${g.unit})`;
}

/** Records one goal of a benchmark and prints it; returns whether it was met. */
export function goal(bench: string, what: string, measured: number, kind: 'min' | 'max', target: number, unit: string): boolean {
  const met = Number.isFinite(measured) && (kind === 'min' ? measured >= target : measured <= target);
  const result: GoalResult = { bench, what, measured, goal: target, kind, unit, met };
  console.log(`  goal ${met ? 'met   ' : 'MISSED'} ${describeGoal(result)}`);
  const file = process.env[GOALS_FILE_ENV];
  if (file) appendFileSync(file, `${JSON.stringify(result)}\n`);
  if (!met) process.exitCode = 1;
  return met;
}
