CREATE TABLE `ogi_meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
-- Each database names itself once, at random: a snapshot records the id of the database it was
-- exported from, so CHANGES.md compares it with the previous snapshot of the same database.
INSERT INTO `ogi_meta` (`key`, `value`) VALUES ('database_id', lower(hex(randomblob(16))));
