/** `npm run replay -- --port N`, as the README tells a user to start the replicas for `--via`. */
import { spawn } from 'node:child_process';
import { get } from 'node:http';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { REPO } from '../support/paths.ts';

it('serves the replicas on the port asked for, prints how to crawl them, and stops on SIGTERM', async () => {
  const child = spawn(process.execPath, [join(REPO, 'bin/run-ts.js'), join(REPO, 'scripts/replay.ts'), '--port', '0'], { cwd: REPO });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /served at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m && out.includes('--via')) resolve(m[1]!);
      });
      child.on('exit', (code) => reject(new Error(`replay exited (${code}) before serving: ${out}`)));
    });
    // a real portal host, answered by its replica (the Host header picks the site)
    const page = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      get(`${url}/col/col1229781527/index.html`, { headers: { Host: 'www.haining.gov.cn' } }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      }).on('error', reject);
    });
    expect(page.status).toBe(200);
    expect(page.body).toContain('datastore');
  } finally {
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }
});
