/**
 * Plain-text renderings of reports, as PDF/HTML converters print them: tab-separated rows,
 * one cell per line, markdown pipe tables, or columns aligned with runs of spaces
 * (pdftotext -layout). Each line becomes a row; cells are split on the separator it uses.
 */
import { isPageFurniture } from '../normalize.ts';
import type { DocumentContent, Row } from '../types.ts';

const PIPE_SEPARATOR = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;

/** Strips markdown decoration that converters add around text: headings, list bullets, emphasis. */
function stripMarkdown(line: string): string {
  // a page footer ("- 3 -") is not a list item: without its first dash it reads as numbers ("3 -")
  if (isPageFurniture(line)) return line;
  return line
    .replace(/^\s{0,3}#{1,6}\s+/, '')
    .replace(/^\s{0,3}[-*+]\s+/, '')
    .replace(/\*\*|__/g, '');
}

export function splitLine(line: string): string[] {
  if (line.includes('\t')) return line.split('\t').map((c) => stripMarkdown(c).trim());
  const trimmed = line.trim();
  if (trimmed.startsWith('|') && trimmed.endsWith('|') && trimmed.length > 1) {
    return trimmed.slice(1, -1).split('|').map((c) => stripMarkdown(c).trim());
  }
  // column-aligned layout text: cells are separated by two or more spaces
  if (/\S {2,}\S/.test(trimmed)) return trimmed.split(/ {2,}/).map((c) => stripMarkdown(c).trim());
  return [stripMarkdown(trimmed).trim()];
}

export function readText(text: string): DocumentContent {
  const rows: Row[] = [];
  for (const raw of text.replace(/\r\n?/g, '\n').split('\n')) {
    if (raw.trim() === '' || raw.trim() === '---' || PIPE_SEPARATOR.test(raw)) continue;
    rows.push({ cells: splitLine(raw).map((text) => ({ text })) });
  }
  return { mediaType: 'text/plain', rows, meta: {}, warnings: [] };
}
