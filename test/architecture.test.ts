/**
 * The layer rules of ARCHITECTURE.md, checked by dependency-cruiser over the product's code
 * (src/, schema/, testkit/ and the platform folders crawlers/platforms/) with the rules of .dependency-cruiser.cjs. One test
 * per rule, so a failure names the rule and lists every import that breaks it.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO } from './support/paths.ts';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const config = require(join(REPO, '.dependency-cruiser.cjs')) as { forbidden: { name: string; comment: string }[] };
const CLI = join(REPO, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
  cycle?: { name: string }[];
}

let violations: Violation[] = [];

beforeAll(async () => {
  const folders = ['src', 'schema', 'testkit', 'crawlers/platforms'].filter((f) => existsSync(join(REPO, f)));
  // the CLI exits non-zero when there are violations; its JSON report is on stdout either way
  const { stdout } = await run(process.execPath, [CLI, ...folders, '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], {
    cwd: REPO,
    maxBuffer: 64 * 1024 * 1024,
  }).catch((e: { stdout: string; stderr: string }) => {
    if (!e.stdout) throw new Error(`dependency-cruiser failed: ${e.stderr}`);
    return e;
  });
  violations = (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
}, 120_000);

/** One line per import that breaks the rule; a cycle as its files in order. */
function describeViolation(v: Violation): string {
  if (v.cycle && v.cycle.length > 0) return `${v.from} → ${v.cycle.map((c) => c.name).join(' → ')}`;
  return `${v.from} → ${v.to}`;
}

describe('architecture: imports only go down the layers (ARCHITECTURE.md)', () => {
  it('has rules', () => expect(config.forbidden.length).toBeGreaterThan(5));

  it.each(config.forbidden.map((r) => [r.name, r.comment]))('%s', (name, comment) => {
    const broken = violations.filter((v) => v.rule.name === name).map(describeViolation);
    expect(broken, `${comment}\n  ${broken.join('\n  ')}`).toEqual([]);
  });

  it('every violation belongs to a rule above', () => {
    const names = new Set(config.forbidden.map((r) => r.name));
    expect(violations.filter((v) => !names.has(v.rule.name)).map((v) => `${v.rule.name}: ${describeViolation(v)}`)).toEqual([]);
  });
});
