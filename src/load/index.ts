export { openDatabase, openDatabaseReadonly, closeDatabase, missingDatabase, DEFAULT_DB_PATH, DEMO_DB_PATH, MIGRATIONS_DIR } from './database.ts';
export type { OgiDatabase } from './database.ts';
export { loadExtraction } from './load.ts';
export type { LoadInput, LoadResult, LoadStatus } from './load.ts';
export { touchLoadedDocument } from './load.ts';
export type { LoadedDocument } from './load.ts';
