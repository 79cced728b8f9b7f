// drizzle-kit configuration: `npm run db:generate` writes SQL migrations for schema/tables.ts.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './schema/tables.ts',
  out: './schema/migrations',
});
