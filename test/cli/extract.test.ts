import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO, SEEDS } from '../support/paths.ts';

const run = promisify(execFile);

describe('ogi extract (the command line, as a user runs it)', () => {
  it('prints one JSON line per file, in input order, in the contract shape — failures included', async () => {
    const seeds = readdirSync(SEEDS).filter((f) => f.endsWith('.txt')).sort().map((f) => join(SEEDS, f));
    const files = [seeds[0]!, '/nonexistent/file.html', ...seeds.slice(1)];
    const result = await run('node', [join(REPO, 'bin/ogi.js'), 'extract', ...files, '--format', 'jsonl'], { cwd: REPO }).catch(
      (e: { stdout: string; code: number }) => e,
    );
    expect((result as { code?: number }).code).toBe(1); // one file failed
    const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l['file'])).toEqual(files);
    const contract = JSON.parse(readFileSync(join(REPO, 'schema/extract-output.schema.json'), 'utf8')) as {
      required: string[];
      properties: Record<string, { properties?: Record<string, unknown> }>;
    };
    for (const line of lines) {
      // every required key, and no key the contract does not name (agency_printed is optional)
      for (const key of contract.required) expect(line).toHaveProperty(key);
      for (const key of Object.keys(line)) expect(Object.keys(contract.properties)).toContain(key);
      for (const t of ['table2', 'table3', 'table4']) {
        const table = line[t] as Record<string, unknown> | null;
        if (table) for (const row of Object.keys(table)) expect(Object.keys(contract.properties[t]!.properties!)).toContain(row);
      }
    }
    expect(lines[1]).toMatchObject({ ok: false, error: expect.stringMatching(/^unreadable-file: /) });
    for (const [i, seed] of seeds.entries()) {
      const expected = JSON.parse(readFileSync(seed.replace(/\.txt$/, '.expected.json'), 'utf8')) as Record<string, unknown>;
      const line = lines[i === 0 ? 0 : i + 1]!;
      for (const key of ['agency', 'year', 'template', 'table2', 'table3', 'table4']) expect(line[key]).toEqual(expected[key]);
    }
  });

  it('has helpful --help', async () => {
    const { stdout } = await run('node', [join(REPO, 'bin/ogi.js'), 'extract', '--help'], { cwd: REPO });
    expect(stdout).toMatch(/--format/);
    expect(stdout).toMatch(/Examples:/);
  });
});
