// When to retry and how long to wait: exponential backoff with jitter for network errors, 429 and
// 5xx; a server's Retry-After (delta seconds or HTTP date) wins when it asks for longer.
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || (status >= 500 && status !== 501);
}

/** Milliseconds the server asked us to wait, or null when the header is missing or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs = Date.now()): number | null {
  if (value === undefined) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

export function backoffMs(attempt: number, baseMs: number, capMs: number): number {
  const exp = Math.min(capMs, baseMs * 2 ** attempt);
  return exp * (1 + 0.2 * Math.random());
}
