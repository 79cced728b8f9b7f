// A minimal crawler run as a separate process by resume.test.ts, so that it can be killed with
// SIGKILL at any moment: breadth-first over the frontier, one site, links found with a regex.
// Usage: node --import tsx crawl-child.ts DATA_DIR REPLAY_ORIGIN SEED_URL
import { FetchError, Fetcher } from '../../../src/crawl/fetch/index.ts';
import { acquireLock, type NewFrontierItem, openCrawlState } from '../../../src/crawl/state/index.ts';

const [dataDir, replay, seed] = process.argv.slice(2);
if (!dataDir || !replay || !seed) throw new Error('usage: crawl-child.ts DATA_DIR REPLAY_ORIGIN SEED_URL');

const lock = acquireLock(dataDir);
const state = openCrawlState(dataDir);
const fetcher = new Fetcher({ dataDir, via: replay, state, delayMs: 10, retryBaseMs: 20 });
state.frontier.enqueue('demo', seed, 'listing');
for (let item = state.frontier.nextPending('demo'); item; item = state.frontier.nextPending('demo')) {
  try {
    const r = await fetcher.fetch({ url: item.url, site: 'demo', kind: item.kind });
    const links: NewFrontierItem[] = [...r.text().matchAll(/href="([^"]+)"/g)].map((m) => {
      const url = new URL(m[1] ?? '', r.finalUrl).href;
      return { url, kind: url.endsWith('.pdf') ? 'attachment' : 'article' };
    });
    state.frontier.markDone(item.id, { status: r.status, sha256: r.sha256 }, links);
  } catch (err) {
    if (!(err instanceof FetchError)) throw err;
    state.frontier.markFailed(item.id, err.code, err.message);
  }
}
await fetcher.close();
state.close();
lock.release();
process.stdout.write('done\n');
