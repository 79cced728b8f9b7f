-- title: One agency's table 3, cell by cell
-- description: 某机关某年度表三全部单元格（含原文）。Every table 3 cell of the current report of agencies whose name contains the given text, for one year, with the template labels and the raw text as printed.
-- param: agency = 人民政府
-- param: year = 2023
SELECT
  a.name AS agency,
  r.year,
  c.row_code,
  c.applicant_code,
  k.row_zh,
  k.col_zh,
  c.value,
  c.raw_text
FROM reports r
JOIN agencies a ON a.id = r.agency_id
JOIN table3_cells c ON c.report_id = r.id
LEFT JOIN codes k ON k.table_name = 'table3' AND k.row_code = c.row_code AND k.col_code = c.applicant_code
WHERE r.ok = 1 AND r.is_current = 1 AND r.year = :year AND a.name LIKE '%' || :agency || '%'
ORDER BY a.name, c.rowid;
