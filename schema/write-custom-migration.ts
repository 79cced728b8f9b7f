/**
 * Writes the generated wide-view / FTS5 SQL (schema/wide.ts) into a custom drizzle migration.
 * Usage: npx drizzle-kit generate --custom --name <name>   (creates an empty migration file)
 *        npx tsx schema/write-custom-migration.ts views_fts|codes schema/migrations/<file>.sql
 * When template.ts gains codes, add a new custom migration that drops and recreates the views.
 */
import { writeFileSync } from 'node:fs';
import { customMigrationSql } from './wide.ts';

const [part, file] = process.argv.slice(2);
if ((part !== 'views_fts' && part !== 'codes') || !file) {
  console.error('usage: tsx schema/write-custom-migration.ts views_fts|codes schema/migrations/NNNN_name.sql');
  process.exit(2);
}
writeFileSync(file, customMigrationSql(part));
console.error(`wrote ${file}`);
