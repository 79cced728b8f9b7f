// drizzle-kit configuration of the crawl state (<dataDir>/crawl.sqlite): `npm run db:generate:crawl`
// writes SQL migrations for schema/crawl/tables.ts.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './schema/crawl/tables.ts',
  out: './schema/crawl/migrations',
});
