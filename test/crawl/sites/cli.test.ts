/** `ogi sites` and `ogi crawl` as a user runs them (child processes, replay server on 127.0.0.1). */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../src/crawl/registry.ts';
import { startReplayServer, type ReplayServer } from '../../../testkit/replay/server.ts';

function ogi(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'ogi.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
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
    expect(lines[0]).toMatch(/^id\s+name\s+region\s+level\s+platform\s+start\s+evidenced\s+flag$/);
    // the 14 hand-written Zhejiang sites, Shanghai, and 136 sites generated from crawlers/zj/registry.csv (issue 13.1)
    expect(lines.filter((l) => /^(zj|sh)-/.test(l))).toHaveLength(151);
    // the registry's unverified rows are listed, flagged
    expect(lines.filter((l) => /^zj-/.test(l) && /\sunverified$/.test(l))).toHaveLength(9);
    expect(r.stdout).toMatch(/^zj-edu-hangzhou\s+杭州市教育局\s+330100\s+department\s+jcms\s+https:\/\/edu\.hangzhou\.gov\.cn\/\s+0\/1\s+unverified$/m);
    expect(r.stdout).toMatch(/zj-jiaxing .* https:\/\/www\.jiaxing\.gov\.cn\/col\/col1229708661\/index\.html \(\+2\)/);
    // whether a site's starts carry their evidence URL (issue 12.4)
    expect(r.stdout).toMatch(/zj-jiaxing .* \(\+2\)\s+3\/3$/m);
    expect(r.stdout).toMatch(/^zj-haining .*\s1\/1$/m);
    expect(r.stdout).toMatch(/^zj-ningbo .*http:\/\/www\.ningbo\.gov\.cn\/\s+0\/1$/m);
    expect(r.stdout).toMatch(/^zj-huzhou .*\s1\/1$/m);
    expect(r.stdout).toMatch(/^zj-province .*\s1\/2$/m);
  });

  it('crawls through a replay server and prints the per-site summary', async () => {
    const r = await ogi(['crawl', '--site', 'zj-haining,zj-lishui', '--via', server.url, '--data-dir', dir, '--db', join(dir, 'ogi.sqlite'), '--delay', '0']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^site\s+listings\s+reports found\s+new\s+changed\s+unchanged\s+failed\s+skipped\s+pending\s+warnings/);
    expect(r.stdout).toMatch(/zj-haining\s+2\s+1\s+1\s+0\s+0\s+0\s+0\s+0\s+0/);
    // lishui starts from its evidenced report column: one listing
    expect(r.stdout).toMatch(/zj-lishui\s+1\s+3\s+2\s+0\s+0\s+0\s+1\s+0\s+1/);
    expect(r.stderr).toContain('warning zj-lishui report-skipped: robots-disallowed:');
  });

  it('refuses an unknown site with a clear error', async () => {
    const r = await ogi(['crawl', '--site', 'zj-nowhere', '--via', server.url, '--data-dir', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^site-unknown: no site "zj-nowhere"/m);
  });

  it('exits 2 when another crawl holds the lock', async () => {
    const data = join(dir, 'locked');
    mkdirSync(data, { recursive: true });
    writeFileSync(join(data, 'crawl.lock'), `${process.pid}\n`);
    const r = await ogi(['crawl', '--site', 'zj-haining', '--via', server.url, '--data-dir', data, '--db', join(data, 'ogi.sqlite'), '--delay', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^locked: another crawl \(pid \d+\)/m);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('documents its exit status in --help', async () => {
    const r = await ogi(['crawl', '--help']);
    expect(r.stdout).toMatch(/Exit status:\s+0 [\s\S]* 1 [\s\S]* 2 /);
  });
});

describe('one bad site.yml among good ones; a site that fails', () => {
  // a set of sites of its own (OGI_CRAWLERS_DIR): Haining as it is, a site.yml with a bad field,
  // and a valid site whose column does not exist on the portal
  const crawlers = join(dir, 'crawlers');
  mkdirSync(join(crawlers, 'zj', 'haining'), { recursive: true });
  copyFileSync(join(REPO_ROOT, 'crawlers', 'zj', 'haining', 'site.yml'), join(crawlers, 'zj', 'haining', 'site.yml'));
  mkdirSync(join(crawlers, 'zj', 'broken'), { recursive: true });
  writeFileSync(join(crawlers, 'zj', 'broken', 'site.yml'), readFileSync(join(crawlers, 'zj', 'haining', 'site.yml'), 'utf8').replace('id: zj-haining', 'id: zj-broken').replace(/region: .*/, 'region: "3304"'));
  mkdirSync(join(crawlers, 'zj', 'gone'), { recursive: true });
  writeFileSync(
    join(crawlers, 'zj', 'gone', 'site.yml'),
    readFileSync(join(crawlers, 'zj', 'haining', 'site.yml'), 'utf8').replace('id: zj-haining', 'id: zj-gone').replace(/1229781527/g, '1000000001'), // the column and its evidence URL
  );
  const env = { OGI_CRAWLERS_DIR: crawlers };

  it('ogi sites lists the valid sites and flags the invalid one with its file and field', async () => {
    const r = await ogi(['sites'], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^zj-haining\s/m);
    expect(r.stdout).toMatch(/^zj-gone\s/m);
    expect(r.stdout).toMatch(/^zj-broken \(INVALID\)\s.*site-invalid: .*zj\/broken\/site\.yml: region: a six-digit GB\/T 2260 code/m);
  });

  it('ogi crawl warns about the bad site.yml, crawls the others, and exits 1 for it and for the failed site', async () => {
    const data = join(dir, 'mixed');
    const r = await ogi(['crawl', '--via', server.url, '--data-dir', data, '--db', join(data, 'ogi.sqlite'), '--delay', '0'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^site-invalid: .*zj\/broken\/site\.yml: region: a six-digit GB\/T 2260 code/m);
    expect(r.stdout).toMatch(/zj-haining\s+2\s+1\s+1\s/);
    expect(r.stdout).not.toMatch(/zj-broken/);
    expect(r.stderr).toMatch(/^failed zj-gone: .*listing-failed/m);
    expect(r.stderr).not.toMatch(/^failed zj-haining/m);
    expect(r.stderr).toMatch(/^crawl: 1 of 2 site\(s\) with failures, 1 invalid site\.yml$/m);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('ogi crawl of good sites only exits 0', async () => {
    const data = join(dir, 'good');
    const r = await ogi(['crawl', '--site', 'zj-haining', '--via', server.url, '--data-dir', data, '--db', join(data, 'ogi.sqlite'), '--delay', '0'], env);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/site-invalid/);
  });
});
