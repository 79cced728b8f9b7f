-- title: Administrative review and litigation: counts and correction rates
-- description: 行政复议、行政诉讼件数及纠正率。Per report year (current reports): review and litigation cases and the share whose result was corrected (结果纠正 / 总计).
SELECT
  r.year,
  count(DISTINCT r.id) AS reports,
  sum(CASE WHEN c.group_code = 'review' AND c.outcome_code = 'total' THEN c.value END) AS review_total,
  sum(CASE WHEN c.group_code = 'review' AND c.outcome_code = 'corrected' THEN c.value END) AS review_corrected,
  round(100.0 * sum(CASE WHEN c.group_code = 'review' AND c.outcome_code = 'corrected' THEN c.value END)
    / sum(CASE WHEN c.group_code = 'review' AND c.outcome_code = 'total' THEN c.value END), 1) AS review_corrected_pct,
  sum(CASE WHEN c.group_code LIKE 'litigation%' AND c.outcome_code = 'total' THEN c.value END) AS litigation_total,
  sum(CASE WHEN c.group_code LIKE 'litigation%' AND c.outcome_code = 'corrected' THEN c.value END) AS litigation_corrected,
  round(100.0 * sum(CASE WHEN c.group_code LIKE 'litigation%' AND c.outcome_code = 'corrected' THEN c.value END)
    / sum(CASE WHEN c.group_code LIKE 'litigation%' AND c.outcome_code = 'total' THEN c.value END), 1) AS litigation_corrected_pct
FROM reports r
JOIN table4_cells c ON c.report_id = r.id
WHERE r.ok = 1 AND r.is_current = 1
GROUP BY r.year
ORDER BY r.year;
