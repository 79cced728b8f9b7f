-- title: Documents that could not be extracted
-- description: 无法提取的文件及原因。Loaded documents whose extraction failed, with the error code and sentence, newest first.
SELECT
  d.url,
  d.sha256,
  d.media_type,
  d.size,
  r.error,
  r.extractor_version,
  d.last_seen
FROM reports r
JOIN documents d ON d.id = r.document_id
WHERE r.ok = 0
ORDER BY d.last_seen DESC;
