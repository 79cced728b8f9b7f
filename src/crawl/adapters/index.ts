import type { Adapter } from './types.ts';
import { jcmsAdapter } from './jcms.ts';
import { shanghaiAdapter } from './shanghai.ts';

const ADAPTERS: Record<string, Adapter> = { jcms: jcmsAdapter, shanghai: shanghaiAdapter };

export function adapterFor(platform: string): Adapter {
  const a = ADAPTERS[platform];
  if (!a) throw new Error(`platform-unknown: no adapter for platform "${platform}" (known: ${Object.keys(ADAPTERS).join(', ')})`);
  return a;
}
