/**
 * The copy of an archived HTML page that a report page shows beside its tables. The archived
 * bytes stay as they are (sources/<sha256>.html, the file the provenance names); the view copy
 * (sources/<sha256>.view.html) loads nothing from anywhere: a picture the crawl archived (a table
 * printed as an image) is replaced by its archived copy, and every other reference that a browser
 * would fetch (images, style sheets, scripts, frames) is renamed to `data-ogi-…`, so the page
 * shows its text and archived pictures, and the site fetches nothing from the internet.
 *
 * The page is rewritten as latin1 text: every byte stays one character, so GBK or UTF-8 text
 * passes through unchanged and only ASCII markup is touched.
 */

/** attributes whose value a browser fetches, by tag (`href` only on <link>: a link is not fetched until followed) */
const FETCHED = /\s(src|srcset|background|poster|data|href)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi;
const TAG = /<([a-z][a-z0-9]*)\b[^>]*>/gi;

function unquote(value: string): string {
  return /^["']/.test(value) ? value.slice(1, -1) : value;
}

/**
 * @param base the URL the page was fetched from (relative references resolve against it)
 * @param archived what an <img> fetched from a URL becomes (the archived picture, as a data: URL), or null
 */
export function offlineHtml(bytes: Buffer, base: string | null, archived: (url: string) => string | null): Buffer {
  const text = bytes.toString('latin1');
  const out = text.replace(TAG, (tag, name: string) =>
    tag.replace(FETCHED, (attr, key: string, value: string) => {
      const k = key.toLowerCase();
      if (k === 'href' && name.toLowerCase() !== 'link') return attr;
      if (k === 'src' && name.toLowerCase() === 'img') {
        let url: string | null = null;
        try {
          url = new URL(unquote(value).trim(), base ?? undefined).href;
        } catch {
          // not a URL this page can resolve: renamed below
        }
        const local = url ? archived(url) : null;
        if (local) return ` src="${local}"`;
      }
      if (/^["']?data:/i.test(value)) return attr;
      return ` data-ogi-${k}=${value}`;
    }),
  );
  return Buffer.from(out, 'latin1');
}
