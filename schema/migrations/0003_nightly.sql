-- ogi nightly: run history, run issues (breakage, failures, cross-year mismatches), what the nightly
-- crawl knows about each site and each report link, and cross-year carry-over checks.
-- Hand-written (drizzle-kit generate --custom); these tables are written only by src/nightly.
CREATE TABLE `nightly_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`started_at` text NOT NULL,
	`finished_at` text,
	-- running | ok | needs-attention | interrupted (a run killed before it finished)
	`status` text NOT NULL,
	`requests` integer,
	`snapshot` text,
	`summary` text
);
--> statement-breakpoint
CREATE TABLE `run_issues` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`run_id` text NOT NULL REFERENCES `nightly_runs`(`id`),
	`site` text,
	`code` text NOT NULL,
	-- error: needs a human (the run exits non-zero); warning: recorded, retried or informative
	`severity` text NOT NULL,
	`message` text NOT NULL,
	`url` text,
	`report_id` integer
);
--> statement-breakpoint
CREATE INDEX `run_issues_run` ON `run_issues` (`run_id`);
--> statement-breakpoint
CREATE INDEX `run_issues_code` ON `run_issues` (`code`);
--> statement-breakpoint
CREATE TABLE `nightly_site_runs` (
	`run_id` text NOT NULL REFERENCES `nightly_runs`(`id`),
	`site` text NOT NULL,
	-- why the site's listings were walked this run, or NULL when its listing heads were unchanged
	`crawl_reason` text,
	`listings` integer NOT NULL,
	`report_links` integer NOT NULL,
	`new` integer NOT NULL,
	`changed` integer NOT NULL,
	`failed` integer NOT NULL,
	`extracted` integer NOT NULL,
	`extraction_failures` integer NOT NULL,
	PRIMARY KEY (`run_id`, `site`)
);
--> statement-breakpoint
CREATE TABLE `nightly_sites` (
	`site` text PRIMARY KEY NOT NULL,
	-- JSON [{url, sha256}]: the first listing page of each column, compared each night
	`heads` text NOT NULL,
	`report_links` integer NOT NULL,
	-- 1 when the last walk of the site finished with nothing failed (else it is walked again)
	`clean` integer NOT NULL,
	`crawled_run` text NOT NULL,
	`crawled_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `nightly_reports` (
	`site` text NOT NULL,
	`url` text NOT NULL,
	`title` text,
	`listed_date` text,
	`year` integer,
	-- new | changed | unchanged (loaded) | incomplete (no table read; fetched again) | failed | skipped (robots.txt, host not allowed)
	`status` text NOT NULL,
	`report_id` integer,
	`error` text,
	`checked_at` text NOT NULL,
	PRIMARY KEY (`site`, `url`)
);
--> statement-breakpoint
CREATE TABLE `cross_year_checks` (
	`report_id` integer NOT NULL REFERENCES `reports`(`id`) ON DELETE CASCADE,
	`previous_report_id` integer NOT NULL REFERENCES `reports`(`id`) ON DELETE CASCADE,
	`applicant_code` text NOT NULL,
	-- this year's 上年结转 and the previous year's 结转下年度 (NULL when blank)
	`carried_over` integer,
	`previous_carried_forward` integer,
	-- NULL when either value is blank
	`passed` integer,
	PRIMARY KEY (`report_id`, `applicant_code`)
);
