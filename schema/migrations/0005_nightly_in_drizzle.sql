-- The nightly tables were created by the hand-written migrations 0003 and 0004. This migration
-- changes nothing in the database: it records those tables in drizzle's snapshot (schema/tables.ts
-- now declares them), so that src/nightly reads and writes them through drizzle like every other
-- table, and later generated migrations start from the real schema.
SELECT 1;
