/**
 * npm run replay -- [--port N]: serves the replicas of the real portals (crawlers/<prov>/<slug>/replica.yml)
 * on 127.0.0.1 until interrupted, so that `ogi crawl --via` and `ogi nightly --via` can be tried by
 * hand exactly as the demo and the tests run them. Every request is logged on stderr.
 */
import { parseArgs } from 'node:util';
import { loadSites } from '../src/crawl/registry.ts';
import { startReplayServer } from '../testkit/replay/server.ts';

const { values } = parseArgs({ options: { port: { type: 'string', default: '4567' }, help: { type: 'boolean', short: 'h' } } });
if (values.help) {
  process.stdout.write('usage: npm run replay -- [--port N]   (default 4567; 0 = any free port)\n');
  process.exit(0);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`bad-port: --port ${values.port} is not a port number\n`);
  process.exit(2);
}

const server = await startReplayServer({ port });
const data = 'data/replay';
process.stdout.write(
  `replicas of ${loadSites().length} portals served at ${server.url} (Ctrl-C stops)\n\n` +
    `  npx ogi crawl --via ${server.url} --data-dir ${data} --db ${data}/ogi.sqlite --delay 100\n` +
    `  npx ogi nightly --via ${server.url} --data-dir ${data} --db ${data}/ogi.sqlite --delay 100\n`,
);
let logged = 0;
const log = setInterval(() => {
  for (const r of server.requests.slice(logged)) process.stderr.write(`${r.status} ${r.method} ${r.host}${r.path}\n`);
  logged = server.requests.length;
}, 500);
const stop = (): void => {
  clearInterval(log);
  void server.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
