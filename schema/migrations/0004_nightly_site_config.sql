-- A fingerprint of the site's configuration (site.yml) at its last walk: a site whose start URLs,
-- parameters or platform changed is walked again even when its listing heads did not change.
ALTER TABLE `nightly_sites` ADD COLUMN `config` text;
