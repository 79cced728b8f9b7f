/**
 * The commands: `ogi nightly` exit status 0 when all is well, 1 when an issue needs a human, 2 when
 * another run holds the lock; the run report and a snapshot on disk; `ogi status`.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/crawl/registry.ts';
import { startFaultProxy, type FaultProxy } from '../../testkit/replay/faults.ts';
import { startReplayServer, type ReplayServer } from '../../testkit/replay/server.ts';
import { removeTempDirs, tempDir } from './helpers.ts';

let server: ReplayServer;
let proxy: FaultProxy;
beforeAll(async () => {
  server = await startReplayServer();
  proxy = await startFaultProxy(server.url);
});
afterAll(async () => {
  await proxy.close();
  await server.close();
  removeTempDirs();
});

// async spawn: the replay server and the proxy answer from this process while the child runs
function ogi(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(REPO_ROOT, 'bin', 'ogi.js'), ...args], { encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve({ status: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('ogi nightly / ogi status', () => {
  it('runs, reports, exports, shows status; exits 1 when a listing breaks and 2 when the lock is held', async () => {
    const dir = tempDir();
    const common = ['--site', 'zj-haining', '--data-dir', dir, '--db', join(dir, 'ogi.sqlite'), '--delay', '0', '--no-browser'];
    const ok = await ogi(['nightly', ...common, '--via', proxy.url]);
    expect(ok.stderr).not.toMatch(/^error /m);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/zj-haining\s+│?\s*first-walk/);
    expect(ok.stdout).toContain('status: ok');
    const runs = readdirSync(join(dir, 'nightly', 'runs'));
    expect(runs).toHaveLength(1);
    expect(existsSync(join(dir, 'nightly', 'runs', runs[0] as string, 'summary.md'))).toBe(true);
    expect(readdirSync(join(dir, 'snapshots'))).toHaveLength(1);

    const status = await ogi(['status', '--db', join(dir, 'ogi.sqlite')]);
    expect(status.status).toBe(0);
    expect(status.stdout).toContain(`last successful run: ${runs[0]}`);
    expect(status.stdout).toMatch(/zj-haining\s+│?\s*1\/1/);
    // the only open issues are report-missing warnings: the replica lacks years of the site's
    // expect.years (test/nightly/missing.test.ts)
    const openIssues = status.stdout.slice(status.stdout.indexOf('open issues:')).split('\n').filter((l) => /^(error|warning)\s/.test(l));
    expect(openIssues.every((l) => /^warning\s+report-missing\s/.test(l))).toBe(true);

    proxy.setRules([{ host: 'www.haining.gov.cn', path: '/col/col1229781527/index.html', fault: { type: 'replace', body: '<html><body>改版</body></html>', contentType: 'text/html' } }]);
    try {
      const broken = await ogi(['nightly', ...common, '--via', proxy.url]);
      expect(broken.status).toBe(1);
      expect(broken.stderr).toContain('error zj-haining listing-empty: ');
      const after = await ogi(['status', '--db', join(dir, 'ogi.sqlite'), '--json']);
      const s = JSON.parse(after.stdout) as { lastRun: { status: string }; openIssues: Array<{ code: string }> };
      expect(s.lastRun.status).toBe('needs-attention');
      expect(s.openIssues.map((i) => i.code)).toContain('listing-empty');
    } finally {
      proxy.setRules([]);
    }

    mkdirSync(join(dir, 'nightly'), { recursive: true });
    writeFileSync(join(dir, 'nightly', 'crawl.lock'), `${process.pid}\n`);
    const locked = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'ogi.js'), 'nightly', ...common, '--via', proxy.url], { encoding: 'utf8' });
    expect(locked.status).toBe(2);
    expect(locked.stderr).toMatch(/locked: another crawl \(pid \d+\)/);
  }, 60_000);
});
