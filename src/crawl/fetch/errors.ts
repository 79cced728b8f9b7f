// Every failure of the fetch layer is a FetchError with a stable code, so crawlers can branch on
// `code` and record `message` ("code: sentence") without parsing text.
export type FetchErrorCode =
  | 'bad-url'
  | 'host-not-allowed'
  | 'robots-disallowed'
  | 'timeout'
  | 'too-large'
  | 'network'
  | 'too-many-redirects'
  | 'challenge'
  | 'browser'
  | `http-${number}`;

export class FetchError extends Error {
  readonly code: FetchErrorCode;
  readonly url: string;
  readonly status?: number;

  constructor(code: FetchErrorCode, url: string, sentence: string, status?: number) {
    super(`${code}: ${sentence}`);
    this.name = 'FetchError';
    this.code = code;
    this.url = url;
    if (status !== undefined) this.status = status;
  }
}
