-- title: Requests and outcomes by year and agency level
-- description: 依申请公开按年度和机关层级汇总（总计列）。Requests received and how they were handled, summed over the current version of each report, by report year and agency level. NULL cells are left out of the sums; `reports` counts the reports that contributed.
SELECT
  r.year,
  coalesce(a.level, 'unknown') AS level,
  count(DISTINCT r.id) AS reports,
  sum(CASE WHEN c.row_code = 'new_received' THEN c.value END) AS new_received,
  sum(CASE WHEN c.row_code = 'carried_over' THEN c.value END) AS carried_over,
  sum(CASE WHEN c.row_code = 'granted' THEN c.value END) AS granted,
  sum(CASE WHEN c.row_code = 'partially_granted' THEN c.value END) AS partially_granted,
  sum(CASE WHEN c.row_code LIKE 'withheld.%' THEN c.value END) AS withheld,
  sum(CASE WHEN c.row_code LIKE 'unavailable.%' THEN c.value END) AS unavailable,
  sum(CASE WHEN c.row_code LIKE 'not_processed.%' THEN c.value END) AS not_processed,
  sum(CASE WHEN c.row_code = 'other' OR c.row_code LIKE 'other.%' THEN c.value END) AS other_handling,
  sum(CASE WHEN c.row_code = 'total' THEN c.value END) AS total_handled,
  sum(CASE WHEN c.row_code = 'carried_forward' THEN c.value END) AS carried_forward
FROM reports r
LEFT JOIN agencies a ON a.id = r.agency_id
JOIN table3_cells c ON c.report_id = r.id AND c.applicant_code = 'total'
WHERE r.ok = 1 AND r.is_current = 1
GROUP BY r.year, level
ORDER BY r.year, level;
