/** `npm run demo` end to end, as a user runs it (but into a temp dir): offline, every replica value found. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSites, REPO_ROOT } from '../../src/crawl/registry.ts';

const dir = mkdtempSync(join(tmpdir(), 'ogi-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run demo', () => {
  it('crawls every site offline through the replay server and finds every replica value', async () => {
    const out: Buffer[] = [];
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'run-ts.js'), join(REPO_ROOT, 'scripts', 'demo.ts'), '--data-dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (c: Buffer) => out.push(c));
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    const text = Buffer.concat(out).toString('utf8');
    // every site in crawlers/: hand-written replicas, those generated from site.yml (issue 13.3) and the platform folders' (issue 14)
    expect(text).toContain(`sites: ${loadSites().length} `);
    expect(text).toMatch(/replica reports loaded: (\d+)\/\1 · with every value equal to the replica: \1\/\1/);
    expect(text).toMatch(/consistency checks: \d+ passed, 0 failed/);
    expect(code).toBe(0);
  }, 600_000);
});
