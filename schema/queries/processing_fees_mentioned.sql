-- title: Reports that mention 信息处理费 (information processing fees)
-- description: 提及信息处理费的报告。Current reports whose text mentions 信息处理费 (国办函〔2020〕109号), with the words around the first mention; pair with table 2's fee rows to spot fees reported without explanation.
SELECT
  a.name AS agency,
  r.year,
  substr(t.text, max(1, instr(t.text, '信息处理费') - 30), 80) AS context
FROM report_texts t
JOIN reports r ON r.id = t.report_id
LEFT JOIN agencies a ON a.id = r.agency_id
WHERE t.id IN (SELECT rowid FROM report_texts_fts WHERE report_texts_fts MATCH '"信息处理费"')
  AND t.section_code = 'full' AND r.ok = 1 AND r.is_current = 1
ORDER BY r.year, a.name;
