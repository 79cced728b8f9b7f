// Recognises anti-bot challenge responses (瑞数 Botgate: 412 + obfuscated JS and FSSBBIl1UgzbN7N80*
// cookies; 加速乐: 521 + __jsl_clearance; Alibaba Cloud WAF: acw_sc__v2), which only a real
// browser running the page's JavaScript gets past.
export type ChallengeReason = 'status-412' | 'status-521' | 'challenge-cookie' | 'script-only-body';

const CHALLENGE_COOKIES = [/^__jsl_clearance/i, /^FSSBBIl1UgzbN7N80/, /^acw_sc__v2$/i];
const SMALL_BODY_BYTES = 2048;

function cookieNames(setCookies: readonly string[]): string[] {
  return setCookies.map((c) => c.split('=', 1)[0]?.trim() ?? '');
}

/**
 * True when an HTML body is small, has no visible content once scripts are removed, and its script
 * sets a cookie or reloads — what JS challenges do. A small JS shell that merely loads content
 * (Hanweb jpaas column pages) is not a challenge: a browser would not get anything else from it.
 */
export function isScriptOnlyBody(body: Uint8Array): boolean {
  if (body.length === 0 || body.length >= SMALL_BODY_BYTES) return false;
  const html = Buffer.from(body).toString('latin1');
  if (!/<script\b/i.test(html)) return false;
  const rest = html
    .replace(/<script\b[\s\S]*?<\/script\s*>/gi, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<\/?(?:html|head|body|meta|title|noscript)\b[^>]*>/gi, '')
    .replace(/<!doctype[^>]*>/gi, '')
    .trim();
  return rest.length === 0 && /document\.cookie|location\.(?:reload|href|replace|assign)/.test(html);
}

export function detectChallenge(status: number, setCookies: readonly string[], body: Uint8Array): ChallengeReason | null {
  if (status === 412) return 'status-412';
  if (status === 521) return 'status-521';
  if (cookieNames(setCookies).some((n) => CHALLENGE_COOKIES.some((re) => re.test(n)))) return 'challenge-cookie';
  if (status >= 200 && status < 300 && isScriptOnlyBody(body)) return 'script-only-body';
  return null;
}
