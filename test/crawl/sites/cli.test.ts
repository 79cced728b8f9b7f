/** `ogi sites` and `ogi crawl` as a user runs them (child processes, replay server on 127.0.0.1). */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../src/crawl/registry.ts';
import { startReplayServer, type ReplayServer } from '../../../testkit/replay/server.ts';

function ogi(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'ogi.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('exit', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

let server: ReplayServer;
const dir = mkdtempSync(join(tmpdir(), 'ogi-cli-'));
beforeAll(async () => {
  server = await startReplayServer();
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('ogi sites / ogi crawl', () => {
  it('lists the registry as a table', async () => {
    const r = await ogi(['sites']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^id\s+name\s+region\s+level\s+platform\s+start/);
    expect(lines.filter((l) => /^(zj|sh)-/.test(l))).toHaveLength(15);
    expect(r.stdout).toMatch(/zj-jiaxing .* https:\/\/www\.jiaxing\.gov\.cn\/col\/col1229708661\/index\.html \(\+2\)/);
  });

  it('crawls through a replay server and prints the per-site summary', async () => {
    const r = await ogi(['crawl', '--site', 'zj-haining,zj-lishui', '--via', server.url, '--data-dir', dir, '--db', join(dir, 'ogi.sqlite'), '--delay', '0']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^site\s+listings\s+reports found\s+new\s+changed\s+unchanged\s+failed\s+skipped\s+pending\s+warnings/);
    expect(r.stdout).toMatch(/zj-haining\s+2\s+1\s+1\s+0\s+0\s+0\s+0\s+0\s+0/);
    expect(r.stdout).toMatch(/zj-lishui\s+3\s+3\s+2\s+0\s+0\s+0\s+1\s+0\s+1/);
    expect(r.stderr).toContain('warning zj-lishui report-skipped: robots-disallowed:');
  });

  it('refuses an unknown site with a clear error', async () => {
    const r = await ogi(['crawl', '--site', 'zj-nowhere', '--via', server.url, '--data-dir', dir]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/site-unknown: no site "zj-nowhere"/);
  });
});
