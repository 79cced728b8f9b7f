// Two answers that look like pages but are not: the (nearly) empty body a firewall sends instead of
// a page, and the meta-refresh stub a portal serves for a removed document. Evidence for both:
// shared/evidence/other-provinces/fujian-trs-fjdzapp.md §3 (the Pingtan crawler: "www WAF sometimes
// returns tiny empty html body (2 bytes) for articles" — warm up with the home page, then retry once;
// "Removed documents redirect to their parent listing with a tiny meta-refresh stub:
// <meta http-equiv="refresh" content="0;URL=../" /> — permanent (content gone), NOT a WAF block").

/** A firewall's empty answer: nothing but whitespace (the evidence's "tiny empty html body (2 bytes)"). */
export function isEmptyAnswer(body: Uint8Array): boolean {
  return body.length <= 64 && Buffer.from(body).toString('latin1').trim().length === 0;
}

const STUB_MAX_BYTES = 2048;
const META_REFRESH = /<meta\b[^>]*http-equiv\s*=\s*["']?refresh["']?[^>]*>/i;

/**
 * Where a removed document's stub sends the reader (an absolute URL), or null when the page is not
 * such a stub: a small page with nothing to read whose meta refresh points at the directory the page
 * sits in or one above it (`../`, the parent listing). A refresh to anywhere else is a redirect shell
 * to be followed, not a removed document.
 */
export function removedDocumentTarget(body: Uint8Array, url: string): string | null {
  if (body.length === 0 || body.length > STUB_MAX_BYTES) return null;
  const html = Buffer.from(body).toString('utf8');
  const meta = META_REFRESH.exec(html)?.[0];
  if (!meta) return null;
  const content = /content\s*=\s*["']([^"']*)["']/i.exec(meta)?.[1] ?? '';
  const target = /url\s*=\s*(.+)$/i.exec(content)?.[1]?.trim();
  if (!target) return null;
  const visible = html
    .replace(/<(script|style|title)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<[^>]*>/g, '')
    .trim();
  if (visible.length > 0) return null;
  let to: URL;
  try {
    to = new URL(target, url);
  } catch {
    return null;
  }
  const from = new URL(url);
  if (to.host !== from.host || !to.pathname.endsWith('/')) return null;
  // the stub's own directory or an ancestor of it (the parent listing)
  return from.pathname.startsWith(to.pathname) && to.pathname !== from.pathname ? to.href : null;
}
