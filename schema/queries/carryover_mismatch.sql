-- title: Year-on-year carry-over mismatches
-- description: 上年结转与上一年度报告的结转下年度不一致。Agencies whose 二、上年结转 (total) in year Y differs from 四、结转下年度继续办理 (total) in their report for year Y-1 (current reports).
SELECT
  a.name AS agency,
  cur.year,
  prev_cf.value AS carried_forward_prev_year,
  cur_co.value AS carried_over_this_year,
  cur_co.value - prev_cf.value AS difference
FROM reports cur
JOIN agencies a ON a.id = cur.agency_id
JOIN reports prev ON prev.agency_id = cur.agency_id AND prev.year = cur.year - 1 AND prev.ok = 1 AND prev.is_current = 1
JOIN table3_cells cur_co ON cur_co.report_id = cur.id AND cur_co.row_code = 'carried_over' AND cur_co.applicant_code = 'total'
JOIN table3_cells prev_cf ON prev_cf.report_id = prev.id AND prev_cf.row_code = 'carried_forward' AND prev_cf.applicant_code = 'total'
WHERE cur.ok = 1 AND cur.is_current = 1 AND cur_co.value IS NOT prev_cf.value
ORDER BY a.name, cur.year;
