ALTER TABLE `frontier` ADD `error_code` text;--> statement-breakpoint
-- Hand-written: failures recorded before this column existed get the code their "code: sentence"
-- message starts with (what readers parsed out of it until now).
UPDATE `frontier` SET `error_code` = substr(`error`, 1, instr(`error`, ':') - 1)
WHERE `status` = 'failed' AND instr(`error`, ':') > 1 AND substr(`error`, 1, instr(`error`, ':') - 1) NOT GLOB '*[^a-z0-9-]*';
