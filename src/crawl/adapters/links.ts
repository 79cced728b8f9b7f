/**
 * Links of a listing page, whatever the platform: each anchor as a list item with its title and the
 * date printed beside it. Shared by the platform adapters (jcms discovery and jpaas fragments,
 * static lists, …).
 */
import * as cheerio from 'cheerio';
import { parseDate, resolveLink } from '../context.ts';
import { normaliseTitle } from './titles.ts';

export interface ListItem {
  url: string;
  title: string;
  date: string | null;
}

/** Links of an HTML fragment or page as list items (jpaas fragments, discovery pages). */
export function parseLinks(html: string, base: string): ListItem[] {
  const $ = cheerio.load(html);
  const out: ListItem[] = [];
  $('a[href]').each((_, el) => {
    const url = resolveLink(base, $(el).attr('href'));
    if (!url) return;
    const title = normaliseTitle($(el).attr('title') || $(el).text());
    const around = $(el).parent().text();
    out.push({ url, title, date: parseDate(around.replace($(el).text(), '')) });
  });
  return out;
}
