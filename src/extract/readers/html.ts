/**
 * HTML reports (government CMS article pages). Finds the body container, reads the site-standard
 * meta tags, and lays the body out as rows: paragraphs become one-cell rows, tables become exact
 * grid rows with rowspan/colspan expanded, so a blank cell is known to be a blank.
 * Parsed with htmlparser2 and walked directly: selector engines cost more than the whole extraction.
 */
import type { ChildNode, Element } from 'domhandler';
import { parseDocument } from 'htmlparser2';
import type { Cell, DocumentContent, Row } from '../types.ts';

/** Containers that CMS platforms put the article body in, best first (jcms, TRS, Hanweb, others). */
const CONTAINERS: { id?: string; cls?: string; tag?: string }[] = [
  { id: 'ivs_content' }, { id: 'webeditorview' }, { id: 'zoom' }, { id: 'Zoom' }, { cls: 'TRS_Editor' },
  { cls: 'Custom_UnionStyle' }, { cls: 'article-content' }, { cls: 'xxgk_content' }, { cls: 'zw' }, { id: 'content' },
  { cls: 'content' }, { cls: 'article' }, { tag: 'article' }, { cls: 'main' },
];

const index = (key: 'id' | 'cls' | 'tag'): Map<string, number> =>
  new Map(CONTAINERS.flatMap((c, i) => (c[key] ? [[c[key], i] as [string, number]] : [])));
const BY_ID = index('id');
const BY_CLASS = index('cls');
const BY_TAG = index('tag');

const BLOCK = new Set([
  'p', 'div', 'section', 'article', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'ul', 'ol', 'tr', 'td', 'th', 'blockquote',
  'pre', 'center', 'header', 'footer', 'dd', 'dt', 'dl', 'form', 'figure', 'figcaption', 'table', 'tbody', 'thead',
]);
const SKIP = new Set(['script', 'style', 'noscript', 'template', 'iframe', 'object', 'select', 'button', 'head', 'title']);

const isElement = (n: ChildNode): n is Element => n.type === 'tag' || n.type === 'script' || n.type === 'style';

/** What is left to visit of a tree walked without recursion: nodes, and text to emit when reached. */
type Pending = ChildNode | string;

/** Pushes children so that they pop in document order. */
function pushChildren(stack: Pending[], children: ChildNode[]): void {
  for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
}

/**
 * Text of a node; inline tags join without separators (split numbers), blocks and <br> break lines.
 * Walked with a stack, not recursion: pages nested thousands deep (unclosed tags) must not
 * overflow the call stack.
 */
function textOf(node: ChildNode, out: string[]): void {
  const stack: Pending[] = [node];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    if (typeof item === 'string') {
      out.push(item);
      continue;
    }
    if (item.type === 'text') {
      out.push(item.data);
      continue;
    }
    if (!isElement(item) || SKIP.has(item.name)) continue;
    if (item.name === 'br') {
      out.push('\n');
      continue;
    }
    const block = BLOCK.has(item.name);
    if (block) {
      out.push('\n');
      stack.push('\n');
    }
    pushChildren(stack, item.children);
  }
}

/** Whether any element below `el` passes `test` (depth first, without recursion). */
function anyBelow(el: Element, test: (e: Element) => boolean, descend: (e: Element) => boolean = () => true): boolean {
  const stack: ChildNode[] = [...el.children];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (!isElement(node)) continue;
    if (test(node)) return true;
    if (descend(node)) stack.push(...node.children);
  }
  return false;
}

function clean(text: string): string {
  return text.replace(/\u00a0/g, ' ').replace(/[ \t\r\f\v]+/g, ' ').replace(/ *\n */g, '\n').replace(/\n+/g, '\n').trim();
}

function cellText(td: Element): string {
  const parts: string[] = [];
  for (const child of td.children) textOf(child, parts);
  return clean(parts.join('')).replace(/\n/g, '');
}

/** The <tr>s of a table, through thead/tbody/tfoot but not into nested tables. */
function tableRows(table: Element): Element[] {
  const rows: Element[] = [];
  const stack: Pending[] = [];
  pushChildren(stack, table.children);
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (typeof node === 'string' || !isElement(node)) continue;
    if (node.name === 'tr') rows.push(node);
    else if (node.name === 'thead' || node.name === 'tbody' || node.name === 'tfoot') pushChildren(stack, node.children);
  }
  return rows;
}

const span = (el: Element, attr: string, max: number): number =>
  Math.min(Math.max(Number.parseInt(el.attribs[attr] ?? '1', 10) || 1, 1), max);

/** Expands a <table> into grid rows; positions covered by a merged cell are marked as copies. */
export function tableGrid(table: Element, tableIndex: number): Row[] {
  const trs = tableRows(table);
  const grid: (Cell | undefined)[][] = [];
  trs.forEach((tr, r) => {
    const row = (grid[r] ??= []);
    let c = 0;
    for (const td of tr.children) {
      if (!isElement(td) || (td.name !== 'td' && td.name !== 'th')) continue;
      while (row[c]) c++;
      const text = cellText(td);
      const rowspan = span(td, 'rowspan', 200);
      const colspan = span(td, 'colspan', 100);
      for (let dr = 0; dr < rowspan; dr++) {
        const target = (grid[r + dr] ??= []);
        for (let dc = 0; dc < colspan; dc++) target[c + dc] = dr === 0 && dc === 0 ? { text } : { text, copy: true };
      }
      c += colspan;
    }
  });
  return grid
    .slice(0, trs.length)
    .map((cells) => ({ cells: Array.from(cells, (cell) => cell ?? { text: '', copy: true }), exact: true, table: tableIndex }))
    .filter((row) => row.cells.some((cell) => !cell.copy || cell.text));
}

function hasTable(el: Element): boolean {
  return anyBelow(el, (e) => e.name === 'table');
}

function textLengthOf(el: Element): number {
  const parts: string[] = [];
  textOf(el, parts);
  return parts.join('').trim().length;
}

interface Scan {
  meta: Map<string, string>;
  title: string | null;
  h1: string | null;
  body: Element | null;
  /** body elements seen: converters that write markdown put each table in an html/body of its own */
  bodies: number;
  /** candidates per CONTAINERS entry, in document order */
  candidates: Element[][];
}

function scan(nodes: ChildNode[], s: Scan): void {
  const stack: Pending[] = [];
  pushChildren(stack, nodes);
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (typeof node === 'string' || !isElement(node)) continue;
    const { name, attribs } = node;
    if (name === 'meta' && attribs['name'] && attribs['content'] !== undefined) s.meta.set(attribs['name'].toLowerCase(), attribs['content'].trim());
    else if (name === 'title' && s.title === null) s.title = cellText(node);
    else if (name === 'h1' && s.h1 === null) s.h1 = cellText(node);
    else if (name === 'body' && s.bodies++ === 0) s.body = node;
    const id = attribs['id'];
    if (id !== undefined) {
      const i = BY_ID.get(id);
      if (i !== undefined) s.candidates[i]!.push(node);
    }
    const cls = attribs['class'];
    if (cls !== undefined) {
      for (const c of cls.split(/\s+/)) {
        const i = BY_CLASS.get(c);
        if (i !== undefined) s.candidates[i]!.push(node);
      }
    }
    const t = BY_TAG.get(name);
    if (t !== undefined) s.candidates[t]!.push(node);
    if (!SKIP.has(name) || name === 'head') pushChildren(stack, node.children);
  }
}

/** Words only the report's own tables print: a table holding them is the report's. */
const REPORT_TABLE = /本年新收|第二十条|信息内容|行政复议/;

function hasReportTable(el: Element): boolean {
  const isReportTable = (e: Element): boolean => {
    if (e.name !== 'table') return false;
    const parts: string[] = [];
    textOf(e, parts);
    return REPORT_TABLE.test(parts.join('').replace(/\s+/g, ''));
  };
  // a table is judged as a whole: the search does not go into it
  return anyBelow(el, isReportTable, (e) => e.name !== 'table');
}

function pickContainer(s: Scan, root: ChildNode[]): ChildNode[] {
  // markdown with a <html><body><table> per table (MinerU and the like): the text between them is the report too
  if (s.bodies > 1) return root;
  const whole = s.body ? [s.body] : root;
  const lengths = new Map<Element, number>();
  const textLength = (el: Element): number => {
    let n = lengths.get(el);
    if (n === undefined) {
      n = textLengthOf(el);
      lengths.set(el, n);
    }
    return n;
  };
  for (const found of s.candidates) {
    const withText = found.filter((el) => textLength(el) > 0);
    if (withText.length === 0) continue;
    // prefer the candidate that holds the tables, else the one with the most text
    const withTable = withText.filter(hasTable);
    const pool = withTable.length > 0 ? withTable : withText;
    const best = pool.reduce((a, el) => (textLength(el) > textLength(a) ? el : a));
    // some templates put the tables outside the text container: then the whole page is read
    if (!hasReportTable(best) && s.body && hasReportTable(s.body)) return whole;
    return [best];
  }
  return whole;
}

/** inline tags that carry no text, no structure and nothing this reader reads: Word's runs (span, font) and its empty <o:p> */
const INLINE_TAGS = /<\/?(?:span|font|o:p)(?:\s(?:[^<>"']|"[^"]*"|'[^']*')*)?>/gi;
/**
 * Formatting attributes no reader looks at: Word writes a long style (and width, valign …) on every
 * paragraph, run and cell. Matched wherever they stand, not only inside tags: a visible text
 * never has the form ` style='…'` or ` width=52>`, and anchoring each match to its tag costs
 * what the removal saves.
 */
const FORMATTING = /\s(?:style|lang)=(?:"[^"<>]*"|'[^'<>]*')|\s(?:width|valign|align|height)=[\w.%]+(?=[\s>])/g;

/**
 * The page without what costs the parser most and means nothing to the reader: Word's inline run
 * tags (their text joins its neighbours without a separator either way: cellText, textOf) and its
 * formatting attributes. A Word-exported page (MsoNormalTable, a <span> per run, <o:p> in every
 * cell) shrinks to a seventh, and parsing is most of reading it. Native regular expressions only:
 * a callback per tag would cost what it saves.
 */
export function slimHtml(html: string): string {
  return html.replace(INLINE_TAGS, '').replace(FORMATTING, '');
}

export function readHtml(html: string): DocumentContent {
  const doc = parseDocument(slimHtml(html), { decodeEntities: true, lowerCaseAttributeNames: true });
  const s: Scan = { meta: new Map(), title: null, h1: null, body: null, bodies: 0, candidates: CONTAINERS.map(() => []) };
  scan(doc.children, s);
  const meta = (name: string): string | undefined => s.meta.get(name.toLowerCase()) || undefined;
  const title = meta('ArticleTitle') ?? (s.h1 || s.title || undefined);

  const rows: Row[] = [];
  let tableIndex = 0;
  let buffer: string[] = [];
  const flush = (): void => {
    for (const line of clean(buffer.join('')).split('\n')) if (line) rows.push({ cells: [{ text: line }] });
    buffer = [];
  };
  // the body, walked with a stack (pages may nest thousands deep): text, tables as grids, pictures
  const walk = (root: ChildNode): void => {
    const stack: Pending[] = [root];
    for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
      if (typeof node === 'string' || node.type === 'text') {
        buffer.push(typeof node === 'string' ? node : node.data);
        continue;
      }
      if (!isElement(node) || SKIP.has(node.name)) continue;
      if (node.name === 'table') {
        // layout tables that wrap other tables are containers, not data
        if (hasTable(node)) {
          pushChildren(stack, node.children);
          continue;
        }
        flush();
        rows.push(...tableGrid(node, tableIndex++));
        continue;
      }
      if (node.name === 'br') {
        buffer.push('\n');
        continue;
      }
      // where an image stands: a page whose tables are pictures is read with them (extractPage)
      if (node.name === 'img' && node.attribs['src'] && !node.attribs['src'].startsWith('data:')) {
        flush();
        rows.push({ cells: [], image: node.attribs['src'] });
        continue;
      }
      if (BLOCK.has(node.name)) {
        buffer.push('\n');
        stack.push('\n');
      }
      pushChildren(stack, node.children);
    }
  };
  if (title) rows.push({ cells: [{ text: title }] });
  for (const node of pickContainer(s, doc.children)) walk(node);
  flush();
  const publishedAt = meta('PubDate') ?? meta('firstpublishedtime');
  const contentSource = meta('ContentSource');
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
