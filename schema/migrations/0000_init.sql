CREATE TABLE `agencies` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`region_code` text,
	`level` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `agencies_name_unique` ON `agencies` (`name`);--> statement-breakpoint
CREATE TABLE `checks` (
	`report_id` integer NOT NULL,
	`rule` text NOT NULL,
	`passed` integer,
	`detail` text,
	PRIMARY KEY(`report_id`, `rule`),
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `documents` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`sha256` text NOT NULL,
	`source_path` text,
	`url` text,
	`media_type` text,
	`size` integer NOT NULL,
	`first_seen` text NOT NULL,
	`last_seen` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `documents_sha256_unique` ON `documents` (`sha256`);--> statement-breakpoint
CREATE TABLE `report_texts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`report_id` integer NOT NULL,
	`section_code` text NOT NULL,
	`text` text NOT NULL,
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `report_texts_report_section` ON `report_texts` (`report_id`,`section_code`);--> statement-breakpoint
CREATE TABLE `reports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`agency_id` integer,
	`year` integer,
	`template` text NOT NULL,
	`document_id` integer NOT NULL,
	`version` integer,
	`is_current` integer DEFAULT false NOT NULL,
	`title` text,
	`published_at` text,
	`content_source` text,
	`extractor_version` text NOT NULL,
	`ok` integer NOT NULL,
	`error` text,
	`ocr` integer DEFAULT false NOT NULL,
	`loaded_at` text NOT NULL,
	FOREIGN KEY (`agency_id`) REFERENCES `agencies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reports_agency_year_document` ON `reports` (`agency_id`,`year`,`document_id`);--> statement-breakpoint
CREATE INDEX `reports_document` ON `reports` (`document_id`);--> statement-breakpoint
CREATE INDEX `reports_current` ON `reports` (`is_current`,`year`);--> statement-breakpoint
CREATE TABLE `table2_cells` (
	`report_id` integer NOT NULL,
	`row_code` text NOT NULL,
	`col_code` text NOT NULL,
	`value` real,
	`raw_text` text,
	`confidence` real,
	`document_id` integer NOT NULL,
	PRIMARY KEY(`report_id`, `row_code`, `col_code`),
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `table2_cells_code` ON `table2_cells` (`row_code`,`col_code`);--> statement-breakpoint
CREATE TABLE `table3_cells` (
	`report_id` integer NOT NULL,
	`row_code` text NOT NULL,
	`applicant_code` text NOT NULL,
	`value` integer,
	`raw_text` text,
	`confidence` real,
	`document_id` integer NOT NULL,
	PRIMARY KEY(`report_id`, `row_code`, `applicant_code`),
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `table3_cells_code` ON `table3_cells` (`row_code`,`applicant_code`);--> statement-breakpoint
CREATE TABLE `table4_cells` (
	`report_id` integer NOT NULL,
	`group_code` text NOT NULL,
	`outcome_code` text NOT NULL,
	`value` integer,
	`raw_text` text,
	`confidence` real,
	`document_id` integer NOT NULL,
	PRIMARY KEY(`report_id`, `group_code`, `outcome_code`),
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `table4_cells_code` ON `table4_cells` (`group_code`,`outcome_code`);--> statement-breakpoint
CREATE TABLE `warnings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`report_id` integer NOT NULL,
	`code` text NOT NULL,
	`message` text NOT NULL,
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `warnings_report` ON `warnings` (`report_id`);