-- title: Agencies with the most new requests in a year
-- description: 某年新收申请最多的机关。Agencies ranked by 一、本年新收政府信息公开申请数量 (总计) for the given report year, with the share from natural persons.
-- param: year = 2023
SELECT
  a.name AS agency,
  r.year,
  t.value AS new_received,
  p.value AS from_natural_persons,
  round(100.0 * p.value / t.value, 1) AS natural_person_pct
FROM reports r
JOIN agencies a ON a.id = r.agency_id
JOIN table3_cells t ON t.report_id = r.id AND t.row_code = 'new_received' AND t.applicant_code = 'total'
LEFT JOIN table3_cells p ON p.report_id = r.id AND p.row_code = 'new_received' AND p.applicant_code = 'natural_person'
WHERE r.ok = 1 AND r.is_current = 1 AND r.year = :year
ORDER BY t.value DESC, a.name
LIMIT 100;
