/**
 * `ogi serve`: a snapshot's files over HTTP on this machine, so that its site can read the
 * snapshot's ogi.sqlite for the SQL console (a file:// page may not). Static files only, from
 * inside the snapshot directory; `/` goes to site/index.html.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { OgiError } from '../domain/errors.ts';
import { SITE_DIR } from './build.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.yml': 'text/yaml; charset=utf-8',
  '.cff': 'text/yaml; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.gif': 'image/gif',
  '.pdf': 'application/pdf',
  '.sqlite': 'application/vnd.sqlite3',
  '.parquet': 'application/vnd.apache.parquet',
  '.wasm': 'application/wasm',
};

export interface ServeOptions {
  port: number;
  host: string;
}

export function serveSnapshot(snapshotDir: string, opts: ServeOptions): Promise<{ server: Server; url: string }> {
  const root = resolve(snapshotDir);
  if (!existsSync(join(root, SITE_DIR, 'index.html'))) {
    throw new OgiError('no-site', `${snapshotDir}: no site in this snapshot (write it with: ogi site ${snapshotDir})`);
  }
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    if (path === '/') {
      res.writeHead(302, { location: `/${SITE_DIR}/index.html` });
      res.end();
      return;
    }
    const file = normalize(join(root, path));
    // never outside the snapshot (`..` in a path)
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end();
      return;
    }
    let target = file;
    if (existsSync(target) && statSync(target).isDirectory()) target = join(target, 'index.html');
    if (!existsSync(target) || !statSync(target).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(target).toLowerCase()] ?? 'application/octet-stream', 'content-length': statSync(target).size });
    if (req.method === 'HEAD') res.end();
    else createReadStream(target).pipe(res);
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(new OgiError('cannot-listen', `cannot listen on ${opts.host}:${opts.port} (${e.code ?? e.message})`)),
    );
    server.listen(opts.port, opts.host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : opts.port;
      resolvePromise({ server, url: `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}/` });
    });
  });
}
