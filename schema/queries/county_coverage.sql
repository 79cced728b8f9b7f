-- title: County coverage: which of Zhejiang's county-level units published a report for a year
-- description: 浙江省各县级单位（市辖区、县、县级市）某年度是否有年度报告。One row per county-level unit of the gazetteer (the regions table) that existed in :year — 90 for 2023 — with its city, whether the dataset holds a current, successfully read report for :year attached to it (yes/no), how many, and by which agencies. A report attaches to a county when its agency's region_code is the county's: the county government's own report, and those of townships and departments published on the county portal. county_government says whether the county government's own report (agency level county) is among them.
-- param: year = 2023
SELECT
  c.code,
  c.name,
  p.name AS city,
  CASE WHEN count(r.id) > 0 THEN 'yes' ELSE 'no' END AS has_report,
  count(r.id) AS reports,
  CASE WHEN sum(r.id IS NOT NULL AND a.level = 'county') > 0 THEN 'yes' ELSE 'no' END AS county_government,
  group_concat(CASE WHEN r.id IS NOT NULL THEN a.name END, '、') AS agencies
FROM regions c
LEFT JOIN regions p ON p.code = c.parent_code
LEFT JOIN agencies a ON a.region_code = c.code
LEFT JOIN reports r ON r.agency_id = a.id AND r.year = :year AND r.ok = 1 AND r.is_current = 1
WHERE c.level = 'county' AND c.code LIKE '33%'
  AND (c.valid_from IS NULL OR c.valid_from <= :year)
  AND (c.valid_to IS NULL OR c.valid_to >= :year)
GROUP BY c.code
ORDER BY c.code;
