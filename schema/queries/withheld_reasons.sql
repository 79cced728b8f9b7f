-- title: Shares of the reasons for withholding (不予公开)
-- description: 不予公开各项理由的件数及占比。Requests refused under each 不予公开 reason per report year (总计 column, current reports), with each reason's share of all refusals that year.
SELECT
  r.year,
  c.row_code AS reason,
  k.row_zh AS label,
  sum(c.value) AS requests,
  round(100.0 * sum(c.value) / sum(sum(c.value)) OVER (PARTITION BY r.year), 1) AS share_pct
FROM reports r
JOIN table3_cells c ON c.report_id = r.id AND c.applicant_code = 'total' AND c.row_code LIKE 'withheld.%'
LEFT JOIN codes k ON k.table_name = 'table3' AND k.row_code = c.row_code AND k.col_code = 'total'
WHERE r.ok = 1 AND r.is_current = 1
GROUP BY r.year, c.row_code
ORDER BY r.year, requests DESC;
