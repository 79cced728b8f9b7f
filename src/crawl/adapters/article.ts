/**
 * Article pages: the national site-standard meta tags (ArticleTitle, PubDate, ContentSource,
 * ColumnName), the body container (#zoom on Zhejiang jcms, #ivs_content on Shanghai, …) and the
 * attachments linked from the body. Attachments are recognised by URL shape here; their real type
 * is decided later from the bytes (`mediaTypeOf` in src/extract/detect.ts).
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

export function parseArticle(html: string, url: string): ArticlePage {
  const $ = cheerio.load(html);
  const meta = (name: string): string | null => {
    const v = $(`meta[name="${name}"]`).attr('content') ?? $(`meta[name="${name.toLowerCase()}"]`).attr('content');
    return v?.trim() || null;
  };
  const container = CONTAINERS.find((c) => $(c).length > 0) ?? null;
  const body = container ? $(container).first() : $('body');
  const attachments: { url: string; name: string }[] = [];
  body.find('a[href]').each((_, el) => {
    const href = $(el).attr('href') ?? '';
    if (!ATTACHMENT_HREF.test(href)) return;
    try {
      const abs = new URL(href, url);
      abs.hash = '';
      if (!attachments.some((a) => a.url === abs.href)) attachments.push({ url: abs.href, name: $(el).text().trim() || abs.pathname.split('/').pop() || abs.href });
    } catch {
      // an unparsable href is not an attachment
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
