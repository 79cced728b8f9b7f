/**
 * HTML reports (government CMS article pages). Finds the body container, reads the site-standard
 * meta tags, and lays the body out as rows: paragraphs become one-cell rows, tables become exact
 * grid rows with rowspan/colspan expanded, so a blank cell is known to be a blank.
 */
import * as cheerio from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import type { Cell, DocumentContent, Row } from '../types.ts';

/** Containers that CMS platforms put the article body in, best first (jcms, TRS, Hanweb, others). */
const CONTAINERS = [
  '#ivs_content', '#webeditorview', '#zoom', '#Zoom', '.TRS_Editor', '.Custom_UnionStyle', '.article-content',
  '.xxgk_content', '.zw', '#content', '.content', '.article', 'article', '.main',
];

const BLOCK = new Set([
  'p', 'div', 'section', 'article', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'ul', 'ol', 'tr', 'blockquote',
  'pre', 'center', 'header', 'footer', 'dd', 'dt', 'dl', 'form', 'figure', 'figcaption',
]);
const SKIP = new Set(['script', 'style', 'noscript', 'template', 'iframe', 'object', 'select', 'button', 'head']);

type $ = cheerio.CheerioAPI;

/** Inline text of a cell or block: inline tags join without separators, <br> is a soft break. */
function inlineText(node: AnyNode): string {
  if (node.type === 'text') return (node as unknown as { data: string }).data;
  if (node.type !== 'tag' && node.type !== 'root') return '';
  const el = node as Element;
  if (SKIP.has(el.name)) return '';
  if (el.name === 'br') return '\n';
  let s = '';
  for (const child of el.children) s += inlineText(child);
  return BLOCK.has(el.name) ? `\n${s}\n` : s;
}

function clean(text: string): string {
  return text.replace(/\u00a0/g, ' ').replace(/[ \t\r\f\v]+/g, ' ').replace(/ *\n */g, '\n').replace(/\n+/g, '\n').trim();
}

/** Expands a <table> into grid rows; positions covered by a merged cell are marked as copies. */
export function tableGrid($: $, table: Element, tableIndex: number): Row[] {
  const grid: (Cell | undefined)[][] = [];
  const trs = $(table).find('tr').filter((_, tr) => $(tr).closest('table')[0] === table);
  trs.each((r, tr) => {
    grid[r] ??= [];
    let c = 0;
    $(tr)
      .children('td,th')
      .each((_, td) => {
        const row = grid[r]!;
        while (row[c]) c++;
        const text = clean(inlineText(td)).replace(/\n/g, '');
        const rowspan = Math.min(Math.max(Number.parseInt($(td).attr('rowspan') ?? '1', 10) || 1, 1), 200);
        const colspan = Math.min(Math.max(Number.parseInt($(td).attr('colspan') ?? '1', 10) || 1, 1), 100);
        for (let dr = 0; dr < rowspan; dr++) {
          const target = (grid[r + dr] ??= []);
          for (let dc = 0; dc < colspan; dc++) {
            target[c + dc] = dr === 0 && dc === 0 ? { text } : { text, copy: true };
          }
        }
        c += colspan;
      });
  });
  return grid
    .slice(0, trs.length)
    .map((cells) => ({ cells: Array.from(cells, (cell) => cell ?? { text: '', copy: true }), exact: true, table: tableIndex }))
    .filter((row) => row.cells.some((cell) => !cell.copy || cell.text));
}

function pickContainer($: $): cheerio.Cheerio<AnyNode> {
  for (const sel of CONTAINERS) {
    const found = $(sel).filter((_, el) => $(el).text().trim().length > 0);
    if (found.length > 0) {
      // prefer the candidate that holds the tables, else the one with the most text
      const withTable = found.filter((_, el) => $(el).find('table').length > 0);
      const pool = withTable.length > 0 ? withTable : found;
      let best: cheerio.Cheerio<AnyNode> = pool.first();
      pool.each((_, el) => {
        if ($(el).text().length > best.text().length) best = $(el);
      });
      return best;
    }
  }
  return $('body').length > 0 ? $('body') : $.root();
}

export function readHtml(html: string): DocumentContent {
  const $ = cheerio.load(html);
  const meta = (name: string): string | undefined => {
    const v = $(`meta[name="${name}"]`).attr('content')?.trim();
    return v ? v : undefined;
  };
  const title = meta('ArticleTitle') ?? (clean($('h1').first().text()) || clean($('title').first().text()) || undefined);
  const rows: Row[] = [];
  let tableIndex = 0;
  let buffer = '';
  const flush = (): void => {
    for (const line of clean(buffer).split('\n')) if (line) rows.push({ cells: [{ text: line }] });
    buffer = '';
  };
  const walk = (node: AnyNode): void => {
    if (node.type === 'text') {
      buffer += (node as unknown as { data: string }).data;
      return;
    }
    if (node.type !== 'tag') return;
    const el = node as Element;
    if (SKIP.has(el.name)) return;
    if (el.name === 'table') {
      // layout tables that wrap other tables are containers, not data
      if ($(el).find('table').length > 0) {
        for (const child of el.children) walk(child);
        return;
      }
      flush();
      rows.push(...tableGrid($, el, tableIndex++));
      return;
    }
    if (el.name === 'br') {
      buffer += '\n';
      return;
    }
    const block = BLOCK.has(el.name) || el.name === 'td' || el.name === 'th';
    if (block) buffer += '\n';
    for (const child of el.children) walk(child);
    if (block) buffer += '\n';
  };
  const container = pickContainer($);
  if (title) rows.push({ cells: [{ text: title }] });
  container.each((_, el) => walk(el));
  flush();
  const publishedAt = meta('PubDate') ?? meta('pubdate') ?? meta('firstpublishedtime');
  const contentSource = meta('ContentSource') ?? meta('contentSource');
  return {
    mediaType: 'text/html',
    rows,
    meta: {
      ...(title ? { title } : {}),
      ...(publishedAt ? { publishedAt } : {}),
      ...(contentSource ? { contentSource } : {}),
    },
    warnings: [],
  };
}
