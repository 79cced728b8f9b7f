// One HTTP exchange over undici: timeouts, a hard cap on body size (checked on the wire and after
// decompression), and content-encoding decoding. No redirects, retries or cookies here; the
// Fetcher does those, per hop.
import { pipeline, type Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { type Dispatcher, errors as undiciErrors, request } from 'undici';
import { AddressNotAllowedError } from './addresses.ts';
import { FetchError } from './errors.ts';

export interface HttpExchange {
  status: number;
  headers: Record<string, string>;
  setCookies: string[];
  body: Buffer;
}

export interface HttpRequestOptions {
  /** Where the bytes go (the `via` base URL when one is set). */
  connectUrl: string;
  /** The URL the request stands for; used in errors. */
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  maxBodyBytes: number;
  dispatcher: Dispatcher;
}

function flattenHeaders(raw: Record<string, string | string[] | undefined>): { headers: Record<string, string>; setCookies: string[] } {
  const headers: Record<string, string> = {};
  let setCookies: string[] = [];
  for (const [k, v] of Object.entries(raw)) {
    if (v === undefined) continue;
    const key = k.toLowerCase();
    if (key === 'set-cookie') setCookies = Array.isArray(v) ? v : [v];
    headers[key] = Array.isArray(v) ? v.join(key === 'set-cookie' ? '\n' : ', ') : v;
  }
  return { headers, setCookies };
}

function decoded(body: Readable, encoding: string | undefined): Readable {
  const enc = encoding?.trim().toLowerCase();
  const none = (): void => {};
  if (enc === 'gzip' || enc === 'x-gzip') return pipeline(body, createGunzip(), none);
  if (enc === 'deflate') return pipeline(body, createInflate(), none);
  if (enc === 'br') return pipeline(body, createBrotliDecompress(), none);
  return body;
}

function isTimeout(err: unknown): boolean {
  return (
    err instanceof undiciErrors.HeadersTimeoutError ||
    err instanceof undiciErrors.BodyTimeoutError ||
    err instanceof undiciErrors.ConnectTimeoutError ||
    (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError'))
  );
}

export async function httpExchange(o: HttpRequestOptions): Promise<HttpExchange> {
  const res = await send(o);
  const { headers, setCookies } = flattenHeaders(res.headers);
  const declared = Number(headers['content-length']);
  if (Number.isFinite(declared) && declared > o.maxBodyBytes && headers['content-encoding'] === undefined) {
    res.body.destroy();
    throw new FetchError('too-large', o.url, `Content-Length ${declared} exceeds the ${o.maxBodyBytes}-byte limit`);
  }
  const body = await readBody(res.body, headers['content-encoding'], o);
  return { status: res.statusCode, headers, setCookies, body };
}

/** The SSRF guard's refusal when it is what failed the connection (it may come wrapped as a cause). */
function addressRefused(err: unknown): AddressNotAllowedError | undefined {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) if (e instanceof AddressNotAllowedError) return e;
  return undefined;
}

// Certificate verification failures (self-signed, expired, wrong name, incomplete chain).
const CERT_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * The TLS failure behind a connection error, or undefined: a handshake OpenSSL refuses (Shenzhen's
 * BAD_ECPOINT, legacy ciphers or renegotiation, a port that answers plain HTTP) or a certificate that
 * does not verify. Evidence that such hosts serve over http: `shared/evidence/other-provinces/PLATFORMS.md`
 * §3 "Transport" (Shenzhen BAD_ECPOINT, gkmlpt hosts, 朝阳), antibot-other-sources.md §8.
 */
function tlsFailure(err: unknown): string | undefined {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (code.startsWith('ERR_SSL_') || code === 'EPROTO' || CERT_CODES.has(code) || /\bSSL routines\b|BAD_ECPOINT|handshake failure|wrong version number/i.test(e.message)) {
      return e.message || code;
    }
  }
  return undefined;
}

/** Sends the request and waits for the response headers. */
async function send(o: HttpRequestOptions): Promise<Dispatcher.ResponseData> {
  try {
    return await request(o.connectUrl, {
      method: o.method,
      headers: o.headers,
      body: o.body,
      dispatcher: o.dispatcher,
      signal: AbortSignal.timeout(o.timeoutMs),
      headersTimeout: o.timeoutMs,
      bodyTimeout: o.timeoutMs,
    });
  } catch (err) {
    if (isTimeout(err)) throw new FetchError('timeout', o.url, `no response within ${o.timeoutMs} ms`);
    const refused = addressRefused(err);
    if (refused) throw new FetchError('address-not-allowed', o.url, refused.message);
    const tls = o.connectUrl.startsWith('https:') ? tlsFailure(err) : undefined;
    if (tls !== undefined) throw new FetchError('tls', o.url, `the TLS handshake failed: ${tls}`);
    throw new FetchError('network', o.url, (err as Error).message || String(err));
  }
}

/** Reads and decodes the body, stopping as soon as it grows past the limit. */
async function readBody(raw: Readable, encoding: string | undefined, o: HttpRequestOptions): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  const stream = decoded(raw, encoding);
  try {
    for await (const chunk of stream) {
      const buf = chunk as Buffer;
      size += buf.length;
      if (size > o.maxBodyBytes) {
        stream.destroy();
        raw.destroy();
        throw new FetchError('too-large', o.url, `body exceeds the ${o.maxBodyBytes}-byte limit`);
      }
      chunks.push(buf);
    }
  } catch (err) {
    if (err instanceof FetchError) throw err;
    if (isTimeout(err)) throw new FetchError('timeout', o.url, `body not complete within ${o.timeoutMs} ms`);
    throw new FetchError('network', o.url, `reading the body failed: ${(err as Error).message}`);
  }
  return Buffer.concat(chunks);
}
