-- County-level coverage: one row per county-level unit of the gazetteer (regions, migration 0007)
-- × report year, for every year in which the dataset holds a current report attached to a region
-- of the gazetteer, and in which the unit existed (valid_from / valid_to). A report attaches to a
-- county when its agency's region_code is the county's: the county government's own report, and
-- those of townships and departments published on the county portal. Exported as the snapshot's
-- county_coverage table; `ogi status` sums it per city × year.
CREATE VIEW `county_coverage` AS
WITH
  current AS (
    SELECT r.id, r.year, a.region_code, a.level FROM reports r JOIN agencies a ON a.id = r.agency_id
    WHERE r.ok = 1 AND r.is_current = 1 AND r.year IS NOT NULL),
  years AS (SELECT DISTINCT year FROM current WHERE region_code IN (SELECT code FROM regions))
SELECT y.year, c.code, c.name, c.parent_code AS city_code, p.name AS city,
  count(cur.id) > 0 AS has_report,
  count(cur.id) AS reports,
  coalesce(sum(cur.level = 'county'), 0) > 0 AS county_government
FROM regions c
CROSS JOIN years y
LEFT JOIN regions p ON p.code = c.parent_code
LEFT JOIN current cur ON cur.region_code = c.code AND cur.year = y.year
WHERE c.level = 'county'
  AND (c.valid_from IS NULL OR c.valid_from <= y.year)
  AND (c.valid_to IS NULL OR c.valid_to >= y.year)
GROUP BY y.year, c.code;
