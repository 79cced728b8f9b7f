// Host allow-list: government domains (gov.cn and its subdomains) plus what a site declares.
// Copycat mirrors that republish report pages under other domains are refused, including when a
// government page redirects to them.
export function normaliseHost(host: string): string {
  return host.trim().toLowerCase().replace(/\.$/, '');
}

export function hostMatches(host: string, pattern: string): boolean {
  const p = normaliseHost(pattern).replace(/^\*?\./, '');
  return host === p || host.endsWith(`.${p}`);
}

export function isHostAllowed(host: string, extra: readonly string[] = []): boolean {
  const h = normaliseHost(host);
  return hostMatches(h, 'gov.cn') || extra.some((p) => hostMatches(h, p));
}
