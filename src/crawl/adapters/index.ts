import { pathToFileURL } from 'node:url';
import type { Site } from '../registry.ts';
import type { Platform } from './platforms.ts';
import type { Adapter } from './types.ts';
import { jcmsAdapter } from '../../../crawlers/platforms/jcms/adapter.ts';
import { staticListAdapter } from '../../../crawlers/platforms/static-list/adapter.ts';
import { trsAdapter } from '../../../crawlers/platforms/trs/adapter.ts';
import { gkmlptAdapter } from '../../../crawlers/platforms/gkmlpt/adapter.ts';
import { fjdzappAdapter } from '../../../crawlers/platforms/fjdzapp/adapter.ts';
import { OgiError } from '../../domain/errors.ts';

/** one adapter per platform name (the compiler holds this to PLATFORMS) */
const ADAPTERS: Record<Platform, Adapter> = { jcms: jcmsAdapter, 'static-list': staticListAdapter(), trs: trsAdapter, gkmlpt: gkmlptAdapter, fjdzapp: fjdzappAdapter };

export function adapterFor(platform: string): Adapter {
  const a = (ADAPTERS as Record<string, Adapter | undefined>)[platform];
  if (!a) throw new OgiError('platform-unknown', `no adapter for platform "${platform}" (known: ${Object.keys(ADAPTERS).join(', ')})`);
  return a;
}

function isAdapter(x: unknown): x is Adapter {
  return typeof x === 'object' && x !== null && typeof (x as Adapter).start === 'function' && typeof (x as Adapter).run === 'function';
}

/**
 * The adapter of a site: its own crawler.ts when it has one (default export, or `adapter`; it may
 * build on the platform adapter it receives), otherwise its platform's.
 */
export async function loadAdapter(site: Site): Promise<Adapter> {
  const base = adapterFor(site.platform);
  if (!site.crawler) return base;
  const mod = (await import(pathToFileURL(site.crawler).href)) as { default?: unknown; adapter?: unknown };
  const exported = mod.default ?? mod.adapter;
  const adapter = typeof exported === 'function' ? (exported as (b: Adapter) => unknown)(base) : exported;
  if (!isAdapter(adapter)) throw new OgiError('crawler-invalid', `${site.crawler} must export an adapter ({ platform, start, run }) or a function of the platform adapter returning one`);
  return adapter;
}
