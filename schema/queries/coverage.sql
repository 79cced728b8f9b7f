-- title: Coverage of agencies × years
-- description: 各机关已收录的报告年度。For every agency: how many report years the dataset holds (current, successfully extracted reports), the first and last year, and the list of years.
SELECT
  a.name AS agency,
  a.level,
  count(DISTINCT r.year) AS years_covered,
  min(r.year) AS first_year,
  max(r.year) AS last_year,
  (SELECT group_concat(y, ',') FROM (SELECT DISTINCT r2.year AS y FROM reports r2
     WHERE r2.agency_id = a.id AND r2.ok = 1 AND r2.is_current = 1 ORDER BY r2.year)) AS years
FROM agencies a
JOIN reports r ON r.agency_id = a.id AND r.ok = 1 AND r.is_current = 1
GROUP BY a.id
ORDER BY years_covered DESC, a.name;
