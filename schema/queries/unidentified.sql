-- title: Reports that need an agency or a year
-- description: 未能识别机关或年度的报告。Documents read without error whose agency or year could not be read: kept, but not current and not exported as data until they are loaded again with both known.
SELECT
  r.id AS report_id,
  a.name AS agency,
  r.year,
  r.title,
  d.url,
  d.source_path,
  d.sha256,
  d.media_type,
  w.message,
  r.loaded_at
FROM reports r
JOIN documents d ON d.id = r.document_id
LEFT JOIN agencies a ON a.id = r.agency_id
LEFT JOIN warnings w ON w.report_id = r.id AND w.code = 'report-unidentified'
WHERE r.ok = 1 AND r.version IS NULL
ORDER BY r.loaded_at DESC, r.id;
