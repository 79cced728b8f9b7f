/**
 * Full-text search over report text. FTS5's trigram tokenizer finds any substring of 3 or more
 * characters (what Chinese needs: there are no spaces between words). Shorter queries such as
 * 公开 cannot use the trigram index, so they fall back to a plain substring scan (instr) of the same text.
 */
import type Database from 'better-sqlite3';

export interface SearchHit {
  reportId: number;
  agency: string | null;
  year: number | null;
  section: string;
  snippet: string;
}

export interface SearchOptions {
  limit?: number;
  /** search every loaded version, not only the current report of each agency and year */
  allVersions?: boolean;
  /** marks put around each match in snippets */
  marks?: [string, string];
}

const SNIPPET_CHARS = 40;

/** an FTS5 string literal: the whole query as one phrase, so operators and quotes in it are plain text */
function ftsPhrase(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

/** snippet for substring-scan hits, cut around the first match (FTS5's snippet() needs an index hit) */
function likeSnippet(text: string, query: string, [open, close]: [string, string]): string {
  const at = text.indexOf(query);
  const start = Math.max(0, at - SNIPPET_CHARS / 2);
  const end = Math.min(text.length, at + query.length + SNIPPET_CHARS / 2);
  const inner = text.slice(start, end).replaceAll(query, `${open}${query}${close}`);
  return `${start > 0 ? '…' : ''}${inner}${end < text.length ? '…' : ''}`;
}

interface Row {
  report_id: number;
  agency: string | null;
  year: number | null;
  section_code: string;
  text: string;
  snippet: string | null;
}

export function searchReports(db: Database.Database, query: string, opts: SearchOptions = {}): SearchHit[] {
  const text = query.trim();
  if (text === '') return [];
  const marks = opts.marks ?? ['【', '】'];
  const limit = opts.limit ?? 20;
  const scope = opts.allVersions ? 'r.ok = 1' : 'r.ok = 1 AND r.is_current = 1';
  const useFts = [...text].length >= 3;
  const rows = (
    useFts
      ? db
          .prepare(
            `SELECT t.report_id, a.name AS agency, r.year, t.section_code, t.text,
               snippet(report_texts_fts, 0, ?, ?, '…', ${SNIPPET_CHARS / 2}) AS snippet
             FROM report_texts_fts f
             JOIN report_texts t ON t.id = f.rowid
             JOIN reports r ON r.id = t.report_id
             LEFT JOIN agencies a ON a.id = r.agency_id
             WHERE report_texts_fts MATCH ? AND ${scope}
             ORDER BY f.rank`,
          )
          .all(marks[0], marks[1], ftsPhrase(text))
      : db
          .prepare(
            `SELECT t.report_id, a.name AS agency, r.year, t.section_code, t.text, NULL AS snippet
             FROM report_texts t
             JOIN reports r ON r.id = t.report_id
             LEFT JOIN agencies a ON a.id = r.agency_id
             WHERE instr(t.text, ?) > 0 AND ${scope}
             ORDER BY r.year DESC, t.report_id`,
          )
          .all(text)
  ) as Row[];

  // one hit per report: the whole text ('full') repeats the sections, so a section hit is preferred
  const best = new Map<number, Row>();
  for (const row of rows) {
    const seen = best.get(row.report_id);
    if (!seen || (seen.section_code === 'full' && row.section_code !== 'full')) best.set(row.report_id, row);
  }
  // keep the ranking order of each report's first hit
  const order = [...new Set(rows.map((r) => r.report_id))];
  return order.slice(0, limit).map((id) => {
    const row = best.get(id) as Row;
    return {
      reportId: row.report_id,
      agency: row.agency,
      year: row.year,
      section: row.section_code,
      snippet: (row.snippet ?? likeSnippet(row.text, text, marks)).replace(/\s+/g, ' '),
    };
  });
}
