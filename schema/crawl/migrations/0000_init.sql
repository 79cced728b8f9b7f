-- Edited by hand after drizzle-kit generate: every statement is IF NOT EXISTS. Data directories made
-- before the crawl state had migrations hold a crawl.sqlite with these very tables (created by an
-- ad-hoc schema string) and no migration journal; on such a file this migration changes nothing but
-- adds frontier_site_url_unique beside the table's own UNIQUE (site, url) constraint, which it
-- duplicates, and the rows are kept.
CREATE TABLE IF NOT EXISTS `fetch_log` (
	`id` integer PRIMARY KEY NOT NULL,
	`url` text NOT NULL,
	`final_url` text,
	`method` text NOT NULL,
	`status` integer,
	`content_type` text,
	`sha256` text,
	`size` integer,
	`fetched_at` text NOT NULL,
	`elapsed_ms` integer NOT NULL,
	`site` text,
	`run_id` text,
	`error` text,
	`via_browser` integer DEFAULT false NOT NULL,
	`kind` text
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `fetch_log_url` ON `fetch_log` (`url`);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `fetch_log_run` ON `fetch_log` (`run_id`);--> statement-breakpoint
CREATE TABLE IF NOT EXISTS `frontier` (
	`id` integer PRIMARY KEY NOT NULL,
	`site` text NOT NULL,
	`url` text NOT NULL,
	`kind` text NOT NULL,
	`meta` text,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`error` text,
	`result` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `frontier_pending` ON `frontier` (`site`,`status`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS `frontier_site_url_unique` ON `frontier` (`site`,`url`);--> statement-breakpoint
CREATE TABLE IF NOT EXISTS `hosts` (
	`host` text PRIMARY KEY NOT NULL,
	`needs_browser` integer DEFAULT false NOT NULL,
	`reason` text,
	`cookies` text,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS `robots_skips` (
	`id` integer PRIMARY KEY NOT NULL,
	`url` text NOT NULL,
	`host` text NOT NULL,
	`site` text,
	`run_id` text,
	`skipped_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS `validators` (
	`cache_key` text PRIMARY KEY NOT NULL,
	`etag` text,
	`last_modified` text,
	`sha256` text,
	`content_type` text,
	`final_url` text,
	`updated_at` text NOT NULL
);
