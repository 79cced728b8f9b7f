// Recognises anti-bot challenge responses (瑞数 Botgate: 412 + obfuscated JS and FSSBBIl1UgzbN7N80*
// cookies; 加速乐: 521 + __jsl_clearance; Alibaba Cloud WAF: acw_sc__v2), which only a real
// browser running the page's JavaScript gets past.
import { decodeBody } from '../../util/charset.ts';

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
  if (rest.length > 0) return false;
  if (/document\.cookie|location\.reload/.test(html)) return true;
  // a redirect shell (~160 bytes whose script only sends the browser to a named page: Beijing 街镇
  // column pages, shared/evidence/other-provinces/PLATFORMS.md §2.7) is the site's own page, read by
  // its adapter, not a challenge
  if (/location(?:\.href)?\s*=\s*["'][^"']+["']|location\.(?:replace|assign)\(\s*["'][^"']+["']\s*\)/.test(html)) return false;
  return /location\.(?:href|replace|assign)/.test(html);
}

export function detectChallenge(status: number, setCookies: readonly string[], body: Uint8Array): ChallengeReason | null {
  if (status === 412) return 'status-412';
  if (status === 521) return 'status-521';
  if (cookieNames(setCookies).some((n) => CHALLENGE_COOKIES.some((re) => re.test(n)))) return 'challenge-cookie';
  if (status >= 200 && status < 300 && isScriptOnlyBody(body)) return 'script-only-body';
  return null;
}

/**
 * A 403 or 405 answer that is a WAF's block page rather than the site's own error: a page naming a
 * firewall or a security check. Evidence (`shared/evidence/other-provinces/PLATFORMS.md` §3,
 * "Anti-bot map", and `antibot-other-sources.md` §5, `antibot-china-governance.md`): 403 pages of
 * WAFs to datacenter or foreign IPs (河南 Wangsu, 安徽 WZWS `reason:GeoBL` / QAX, 云南, CCPS
 * Tencent Cloud WAF) and 清远's JS challenge answered with 405. The stored evidence names the WAFs
 * but holds none of their page bodies, so the marker words below are assumed from what such pages
 * call themselves (网站防火墙, 安全检测, 请求已被拦截 …). A plain 403/405 without such words stays an
 * HTTP error.
 */
export type BlockPageReason = 'waf-403' | 'waf-405' | 'script-only-403' | 'script-only-405';

const WAF_MARKERS =
  /防火墙|安全(?:检测|检查|验证|防护|拦截)|已被?拦截|被拦截|拦截了|访问(?:已被|被)阻断|\bwaf\b|web application firewall|firewall|wzws|reason\s*:\s*GeoBL|云盾|yundun|EdgeOne|创宇盾|安全狗|safedog|request (?:was )?blocked|blocked by/i;
const BLOCK_PAGE_SCAN_BYTES = 64 * 1024;

export function detectBlockPage(status: number, body: Uint8Array, contentType: string | null = null): BlockPageReason | null {
  if (status !== 403 && status !== 405) return null;
  if (body.length === 0) return null;
  // a JS challenge answered with 405 (清远, antibot-other-sources.md §5) carries no words at all
  if (isScriptOnlyBody(body)) return status === 403 ? 'script-only-403' : 'script-only-405';
  const text = decodeBody(body.subarray(0, BLOCK_PAGE_SCAN_BYTES), contentType);
  return WAF_MARKERS.test(text) ? (status === 403 ? 'waf-403' : 'waf-405') : null;
}
