// The SSRF guard: a crawled URL must not lead the crawler to the machine it runs on or to the
// network around it. Loopback, private, shared (CGN), link-local, unspecified, multicast and
// reserved addresses are refused, IPv4-mapped and IPv4-compatible IPv6 forms of them included.
// IP-literal hosts are checked as written; host names are checked after DNS resolution, at connect
// time (`guardedLookup` is the lookup the HTTP client connects through, so the address checked is
// the address connected to and a DNS rebind between a check and the connection cannot slip in).
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { isIP } from 'node:net';

// [first address as a 32-bit number, prefix length, what it is]
const V4_RANGES: Array<[number, number, string]> = [
  [v4('0.0.0.0'), 8, 'an unspecified ("this network") address'],
  [v4('10.0.0.0'), 8, 'a private address'],
  [v4('100.64.0.0'), 10, 'a shared (carrier-grade NAT) address'],
  [v4('127.0.0.0'), 8, 'a loopback address'],
  [v4('169.254.0.0'), 16, 'a link-local address'],
  [v4('172.16.0.0'), 12, 'a private address'],
  [v4('192.0.0.0'), 24, 'a reserved (IETF protocol) address'],
  [v4('192.168.0.0'), 16, 'a private address'],
  [v4('198.18.0.0'), 15, 'a reserved (benchmarking) address'],
  [v4('224.0.0.0'), 4, 'a multicast address'],
  [v4('240.0.0.0'), 4, 'a reserved address'],
];

function v4(a: string): number {
  return a.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function inV4Range(n: number, start: number, bits: number): boolean {
  const size = 2 ** (32 - bits);
  return n >= start && n < start + size;
}

function v4Refusal(address: string): string | null {
  const n = v4(address);
  for (const [start, bits, what] of V4_RANGES) if (inV4Range(n, start, bits)) return what;
  return null;
}

/** The eight 16-bit groups of an IPv6 address (a trailing dotted IPv4 part is converted). */
function v6Groups(address: string): number[] {
  let a = address.toLowerCase().replace(/%.*$/, '');
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (dotted?.[1]) {
    const n = v4(dotted[1]);
    a = `${a.slice(0, -dotted[1].length)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head = '', tail] = a.split('::');
  const h = head ? head.split(':') : [];
  const t = tail === undefined ? [] : tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : new Array<string>(8 - h.length - t.length).fill('0');
  return [...h, ...zeros, ...t].map((g) => parseInt(g, 16));
}

function v6Refusal(address: string): string | null {
  const g = v6Groups(address);
  if (g.every((x) => x === 0)) return 'an unspecified address';
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return 'a loopback address';
  // ::ffff:a.b.c.d (IPv4-mapped) and ::a.b.c.d (IPv4-compatible) stand for the IPv4 address
  if (g.slice(0, 5).every((x) => x === 0) && (g[5] === 0xffff || g[5] === 0)) {
    const n = (g[6] ?? 0) * 65536 + (g[7] ?? 0);
    const embedded = [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
    const why = v4Refusal(embedded);
    return why === null ? null : `${why} (${embedded}, written as IPv6)`;
  }
  const first = g[0] ?? 0;
  if ((first & 0xfe00) === 0xfc00) return 'a private (unique local) address';
  if ((first & 0xffc0) === 0xfe80) return 'a link-local address';
  if ((first & 0xffc0) === 0xfec0) return 'a site-local address';
  if ((first & 0xff00) === 0xff00) return 'a multicast address';
  return null;
}

/** Why an IP address must not be connected to ("a loopback address", …), or null when it may. */
export function addressRefusal(address: string): string | null {
  const a = address.replace(/^\[|\]$/g, '');
  const family = isIP(a.replace(/%.*$/, ''));
  if (family === 4) return v4Refusal(a);
  if (family === 6) return v6Refusal(a);
  return null;
}

/** True when a URL host (as `URL.hostname` gives it, IPv6 in brackets) is an IP literal. */
export function isIpLiteral(hostname: string): boolean {
  return isIP(hostname.replace(/^\[|\]$/g, '')) !== 0;
}

/** The error a refused address is reported with; the fetch layer turns it into FetchError `address-not-allowed`. */
export class AddressNotAllowedError extends Error {
  readonly code = 'ERR_OGI_ADDRESS_NOT_ALLOWED';
  constructor(
    readonly host: string,
    readonly address: string,
    readonly why: string,
  ) {
    super(host === address ? `${address} is ${why}; the crawler does not connect there` : `${host} resolves to ${address}, ${why}; the crawler does not connect there`);
    this.name = 'AddressNotAllowedError';
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
type Resolver = (host: string, options: LookupAllOptions, cb: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

// DNS answers that mean "no address of this family" (not a failure of the name itself)
const NO_ADDRESS = new Set(['ENOTFOUND', 'ENODATA', 'EAI_NODATA', 'EAI_NONAME']);

/**
 * A `lookup` for net.connect/tls.connect. IPv4 first: the AAAA records of .gov.cn hosts resolve but
 * do not serve from outside China, so a connection tried over IPv6 fails or hangs; a host with no A
 * record (IPv6-only) still gets its IPv6 addresses (evidence: `shared/evidence/other-provinces/
 * antibot-china-governance.md`, crawlers/base.py "Force IPv4 … Exception: some sites … are
 * IPv6-only", droplet notes "IPv6 failures (FIXED)"; PLATFORMS.md §3 "Transport"). With `guard`
 * (the default) it is also the SSRF guard: every address is checked, the host refused when any of
 * them is forbidden (a name that points at both a public and a private address is not trusted), and
 * only checked addresses are handed to the connection.
 */
export function guardedLookup(resolve: Resolver = dnsLookup as Resolver, opts: { guard?: boolean } = {}) {
  const guard = opts.guard ?? true;
  return (host: string, options: { family?: number | string; all?: boolean; hints?: number } | undefined, cb: LookupCallback): void => {
    const family = options?.family === 'IPv4' ? 4 : options?.family === 'IPv6' ? 6 : typeof options?.family === 'number' ? options.family : 0;
    const hints = options?.hints === undefined ? {} : { hints: options.hints };
    const done = (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]): void => {
      if (err) return cb(err, []);
      for (const a of guard ? addresses : []) {
        const why = addressRefusal(a.address);
        if (why !== null) return cb(new AddressNotAllowedError(host, a.address, why) as unknown as NodeJS.ErrnoException, []);
      }
      if (options?.all) return cb(null, addresses);
      const first = addresses[0];
      if (!first) return cb(Object.assign(new Error(`${host} has no address`), { code: 'ENOTFOUND' }), []);
      cb(null, first.address, first.family);
    };
    if (family !== 0) return resolve(host, { all: true, family, ...hints }, done);
    resolve(host, { all: true, family: 4, ...hints }, (err, v4) => {
      if (!err && v4.length > 0) return done(null, v4);
      if (err && !NO_ADDRESS.has(err.code ?? '')) return done(err, []);
      resolve(host, { all: true, family: 0, ...hints }, done);
    });
  };
}

/** Resolves a host name (or takes an IP literal) and returns the refusal for its addresses, if any. */
export async function checkHostAddresses(hostname: string, resolve: Resolver = dnsLookup as Resolver): Promise<AddressNotAllowedError | null> {
  const bare = hostname.replace(/^\[|\]$/g, '');
  if (isIP(bare)) {
    const why = addressRefusal(bare);
    return why === null ? null : new AddressNotAllowedError(bare, bare, why);
  }
  const addresses = await new Promise<LookupAddress[]>((ok) => resolve(bare, { all: true }, (err, list) => ok(err ? [] : list)));
  for (const a of addresses) {
    const why = addressRefusal(a.address);
    if (why !== null) return new AddressNotAllowedError(bare, a.address, why);
  }
  return null;
}
