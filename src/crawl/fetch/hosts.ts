// Host allow-list: government hosts (gov.cn and its subdomains, matched on whole labels) plus the
// full host names a site declares (matched exactly: an entry admits that host, not its subdomains
// and not anything that merely ends with the same characters). Copycat mirrors that republish
// report pages under other domains are refused, including when a government page redirects to them.
// An IP literal is never a government host.
import { isIpLiteral } from './addresses.ts';

export const GOV_DOMAIN = 'gov.cn';

export function normaliseHost(host: string): string {
  return host.trim().toLowerCase().replace(/\.$/, '');
}

/** True when `host` is `domain` or a subdomain of it, label by label (`x.gov.cn`, not `xgov.cn`). */
export function isUnderDomain(host: string, domain: string): boolean {
  const h = normaliseHost(host);
  const d = normaliseHost(domain);
  if (isIpLiteral(h) || d === '') return false;
  return h === d || h.endsWith(`.${d}`);
}

/**
 * The government a gov.cn host belongs to: its domain one label above gov.cn (`ningbo.gov.cn` for
 * www.ningbo.gov.cn and zfxx.ningbo.gov.cn), or null for a host outside gov.cn.
 */
export function governmentDomain(host: string): string | null {
  const h = normaliseHost(host);
  if (!isUnderDomain(h, GOV_DOMAIN) || h === GOV_DOMAIN) return null;
  return h.split('.').slice(-3).join('.');
}

/** Whether two hosts are portals of the same government (www.ningbo.gov.cn and zfxx.ningbo.gov.cn). */
export function sameGovernment(a: string, b: string): boolean {
  const d = governmentDomain(a);
  return d !== null && d === governmentDomain(b);
}

export function isHostAllowed(host: string, extra: readonly string[] = []): boolean {
  const h = normaliseHost(host);
  return isUnderDomain(h, GOV_DOMAIN) || extra.some((e) => normaliseHost(e) === h);
}

// Second-level labels under which a two-label name is a registry suffix, not a host (com.cn, gov.cn…).
const REGISTRY_SECOND_LEVEL = new Set(['ac', 'co', 'com', 'edu', 'gov', 'mil', 'net', 'org', 'ne', 'or', 'go', 'gob', 'nic']);
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Why `host` is not a full host name fit for a site's allowHosts, or null when it is one: at least
 * two valid DNS labels, an alphabetic top-level label, not an IP literal, not a bare public suffix
 * (`com`, `gov.cn`, `com.cn`), no wildcard, port or scheme.
 */
export function hostNameProblem(host: string): string | null {
  const h = host.trim().toLowerCase();
  if (isIpLiteral(h) || /^[\d.]+$/.test(h)) return `"${host}" is an IP address; allowHosts takes host names`;
  if (h.includes('*')) return `"${host}" is a wildcard; allowHosts takes full host names, each matched exactly`;
  if (/[:/\s@]/.test(h)) return `"${host}" is not a bare host name (no scheme, port, path or spaces)`;
  const labels = h.split('.');
  if (labels.length < 2) return `"${host}" is a single label; allowHosts takes full host names such as files.example.com`;
  const bad = labels.find((l) => !LABEL.test(l));
  if (bad !== undefined) return `"${host}" has an invalid DNS label "${bad}"`;
  const tld = labels.at(-1) ?? '';
  if (!/^[a-z]{2,63}$|^xn--[a-z0-9-]+$/.test(tld)) return `"${host}" does not end in a top-level domain`;
  if (labels.length === 2 && REGISTRY_SECOND_LEVEL.has(labels[0] ?? '') && tld.length === 2) {
    return `"${host}" is a public suffix, not a host; name the full host`;
  }
  return null;
}
