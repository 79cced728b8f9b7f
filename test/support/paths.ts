import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Five real report texts with their hand-read values (test/fixtures/seeds/PROVENANCE.md). */
export const SEEDS = resolve(REPO, 'test/fixtures/seeds');
