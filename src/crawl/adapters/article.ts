/**
 * Article pages: the national site-standard meta tags (ArticleTitle, PubDate, ContentSource,
 * ColumnName), the body container (#zoom on Zhejiang jcms, #ivs_content on Shanghai, …) and the
 * attachments linked from the body. Attachments are recognised by URL shape here; their real type
 * is decided later from Content-Type and magic bytes (`attachmentType`).
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

/** Media type of a fetched attachment: magic bytes first, then Content-Type, then the file name. */
export function attachmentType(body: Uint8Array, contentType: string | null, url: string): string {
  const head = Buffer.from(body.subarray(0, 8));
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (head.equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) {
    return /\.xls|excel/i.test(url + (contentType ?? '')) ? 'application/vnd.ms-excel' : 'application/msword';
  }
  if (head.subarray(0, 4).toString('latin1') === 'PK\u0003\u0004') {
    if (/\.xlsx|spreadsheet/i.test(url + (contentType ?? ''))) return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
  }
  if (head[0] === 0xff && head[1] === 0xd8) return 'image/jpeg';
  if (head.subarray(1, 4).toString('latin1') === 'PNG') return 'image/png';
  const ct = contentType?.split(';')[0]?.trim().toLowerCase();
  if (ct && ct !== 'application/octet-stream') return ct;
  return /<html|<!doctype html/i.test(Buffer.from(body.subarray(0, 512)).toString('latin1')) ? 'text/html' : 'application/octet-stream';
}
