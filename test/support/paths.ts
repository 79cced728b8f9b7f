import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The read-only shared material sits beside the repository (override with OGI_SHARED). */
export const SHARED = resolve(process.env.OGI_SHARED ?? resolve(REPO, '../shared'));
export const SEEDS = resolve(SHARED, 'corpus/seeds');

export function requireShared(): void {
  if (!existsSync(SEEDS)) throw new Error(`shared material not found at ${SHARED}: set OGI_SHARED`);
}
