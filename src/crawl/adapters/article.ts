/**
 * Article pages: the national site-standard meta tags (ArticleTitle, PubDate, ContentSource,
 * ColumnName), the body container (#zoom on Zhejiang jcms, #ivs_content on Shanghai, …) and the
 * attachments: linked from the body, shown in an `<iframe>`/`<embed>`/`<object>` (pdf viewers are
 * unwrapped to their `file=`), or named only in an inline script (`var pdfurl = "/module/download/
 * downfile.jsp?…"`, zj-request-evidence.md). Attachments are recognised by URL shape here; their real
 * type is decided later from the bytes (`mediaTypeOf` in src/extract/detect.ts). Attachments on the
 * jcms file mirror (zjjcmspublic.oss-cn-hangzhou.aliyuncs.com) are found like any other; they are
 * fetched only when the site's `allowHosts` names that host.
 */
import * as cheerio from 'cheerio';
import { imageUrl } from '../../extract/index.ts';
import { parseDate } from '../context.ts';

export interface ArticlePage {
  title: string | null;
  publishedAt: string | null;
  contentSource: string | null;
  columnName: string | null;
  /** selector of the body container found, null when none matched (the whole page was used) */
  container: string | null;
  attachments: { url: string; name: string }[];
  /** pictures in the body (absolute URLs): a report's tables are sometimes pictures of tables */
  images: string[];
}

// the order a public parser scores body containers in (notes A.1)
const CONTAINERS = ['#ivs_content', '#webeditorview', '#zoom', '#Zoom', '.TRS_Editor', '.Custom_UnionStyle', '.article-content', '.xxgk_content', '.article'];
const ATTACHMENT_HREF = /\/module\/download\/downfile\.jsp|\/attach\/|jcms_files\/|\.(?:pdf|docx?|wps|xlsx?|et|ofd|rtf)(?:[?#]|$)/i;

/**
 * A pdf viewer's page (`/pdfjs/web/viewer.html?file=…`, any URL whose `file=` names a document) is
 * unwrapped to the document it shows; pdf.js resolves `file` against the viewer's own URL. A value
 * still percent-encoded after one decoding (`file=http%253A…`) is decoded once more.
 */
export function unwrapViewer(abs: URL): URL {
  const file = abs.searchParams.get('file') ?? abs.searchParams.get('url');
  if (!file || !/viewer|pdfjs|pdf\.html|preview/i.test(abs.pathname)) return abs;
  let v = file.trim();
  if (/^(?:https?%3A|%2F)/i.test(v)) {
    try {
      v = decodeURIComponent(v);
    } catch {
      return abs;
    }
  }
  try {
    const inner = new URL(v, abs);
    return inner.protocol === 'http:' || inner.protocol === 'https:' ? inner : abs;
  } catch {
    return abs;
  }
}

// a string literal in an inline script that names a document: `var pdfurl = "/module/download/downfile.jsp?filename=….pdf&classid=0";`
// (zj.gov.cn, zj-request-evidence.md). Only downfile.jsp links with a filename and paths ending in a
// document extension count: scripts are full of other URLs.
const SCRIPT_STRING = /["']((?:https?:\/\/|\/)[^"'\s<>]+)["']/g;
const SCRIPT_DOCUMENT = /\/module\/download\/downfile\.jsp\?[^"']*filename=|\.(?:pdf|docx?|wps|xlsx?|et|ofd|rtf)(?:[?#]|$)|viewer\.html\?[^"']*file=/i;

export function parseArticle(html: string, url: string): ArticlePage {
  const $ = cheerio.load(html);
  const meta = (name: string): string | null => {
    const v = $(`meta[name="${name}"]`).attr('content') ?? $(`meta[name="${name.toLowerCase()}"]`).attr('content');
    return v?.trim() || null;
  };
  const container = CONTAINERS.find((c) => $(c).length > 0) ?? null;
  const body = container ? $(container).first() : $('body');
  const attachments: { url: string; name: string }[] = [];
  const add = (href: string, text: string): void => {
    try {
      const abs = unwrapViewer(new URL(href.trim(), url));
      if (abs.protocol !== 'http:' && abs.protocol !== 'https:') return;
      abs.hash = '';
      if (!ATTACHMENT_HREF.test(abs.pathname + abs.search)) return;
      const file = abs.searchParams.get('filename') ?? decodeURIComponent(abs.pathname.split('/').pop() ?? '');
      if (!attachments.some((a) => a.url === abs.href)) attachments.push({ url: abs.href, name: text.trim() || file || abs.href });
    } catch {
      // an unparsable href is not an attachment
    }
  };
  // 1. links in the body (a viewer link is unwrapped to its document)
  body.find('a[href]').each((_, el) => {
    const href = $(el).attr('href') ?? '';
    if (ATTACHMENT_HREF.test(href) || /[?&]file=/i.test(href)) add(href, $(el).text());
  });
  // 2. documents shown in the page: <iframe src>, <embed src>, <object data> (pdf viewers), anywhere on the page
  $('iframe[src], embed[src], object[data]').each((_, el) => {
    const src = $(el).attr('src') ?? $(el).attr('data') ?? '';
    add(src, $(el).attr('title') ?? '');
  });
  // 3. documents named only in an inline script (var pdfurl = "…")
  $('script:not([src])').each((_, el) => {
    const js = $(el).html() ?? '';
    if (/<datastore/i.test(js)) return;
    for (const m of js.matchAll(SCRIPT_STRING)) {
      const s = m[1] ?? '';
      if (SCRIPT_DOCUMENT.test(s)) add(s, '');
    }
  });
  const images: string[] = [];
  body.find('img[src]').each((_, el) => {
    const src = $(el).attr('src') ?? '';
    const abs = src.startsWith('data:') ? null : imageUrl(src, url);
    if (abs && !images.includes(abs)) images.push(abs);
  });
  const pub = meta('PubDate') ?? meta('pubdate') ?? $('.info, .time, .fbrq').first().text();
  return {
    title: meta('ArticleTitle') ?? ($('h1').first().text().trim() || $('title').text().trim() || null),
    publishedAt: parseDate(pub),
    contentSource: meta('ContentSource'),
    columnName: meta('ColumnName'),
    container,
    attachments,
    images,
  };
}

/** Whether a link names a PDF (its path, or a filename= parameter as in downfile.jsp links). */
export function linkedAsPdf(url: string): boolean {
  try {
    const u = new URL(url);
    return /\.pdf$/i.test(u.pathname) || [...u.searchParams.values()].some((v) => /\.pdf$/i.test(v));
  } catch {
    return false;
  }
}
