-- title: Agencies whose reports fail consistency checks
-- description: 未通过勾稽关系校验的报告。Current reports with at least one failed consistency rule (passed = 0; rules that could not be evaluated because a cell is NULL are not counted), most failures first.
SELECT
  a.name AS agency,
  r.year,
  r.id AS report_id,
  count(*) AS failed_rules,
  group_concat(k.rule, '; ') AS rules
FROM reports r
JOIN agencies a ON a.id = r.agency_id
JOIN checks k ON k.report_id = r.id AND k.passed = 0
WHERE r.ok = 1 AND r.is_current = 1
GROUP BY r.id
ORDER BY failed_rules DESC, a.name, r.year;
