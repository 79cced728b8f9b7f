-- title: Rates of 无法提供 (information unavailable)
-- description: 无法提供占办理总数的比例。Per report year: requests answered 无法提供 (not held, would need creating, unclear after correction) and their share of all handled requests (（七）总计), current reports.
SELECT
  r.year,
  count(DISTINCT r.id) AS reports,
  sum(CASE WHEN c.row_code = 'unavailable.not_held' THEN c.value END) AS not_held,
  sum(CASE WHEN c.row_code = 'unavailable.needs_creation' THEN c.value END) AS needs_creation,
  sum(CASE WHEN c.row_code = 'unavailable.unclear_after_correction' THEN c.value END) AS unclear_after_correction,
  sum(CASE WHEN c.row_code LIKE 'unavailable.%' THEN c.value END) AS unavailable,
  sum(CASE WHEN c.row_code = 'total' THEN c.value END) AS total_handled,
  round(100.0 * sum(CASE WHEN c.row_code LIKE 'unavailable.%' THEN c.value END)
    / sum(CASE WHEN c.row_code = 'total' THEN c.value END), 1) AS unavailable_pct
FROM reports r
JOIN table3_cells c ON c.report_id = r.id AND c.applicant_code = 'total'
WHERE r.ok = 1 AND r.is_current = 1
GROUP BY r.year
ORDER BY r.year;
