-- title: Reports published in more than one version
-- description: 发布后被修改的报告。Agencies and years for which a changed document was loaded after the first one: every version with its document hash and when it was first seen.
SELECT
  a.name AS agency,
  r.year,
  r.version,
  r.is_current,
  d.sha256,
  d.first_seen,
  d.url
FROM reports r
JOIN agencies a ON a.id = r.agency_id
JOIN documents d ON d.id = r.document_id
WHERE r.ok = 1 AND EXISTS (SELECT 1 FROM reports v WHERE v.agency_id = r.agency_id AND v.year = r.year AND v.ok = 1 AND v.version > 1)
ORDER BY a.name, r.year, r.version;
