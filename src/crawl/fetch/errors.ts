// Every failure of the fetch layer is a FetchError with a stable code, so crawlers can branch on
// `code` and record `message` ("code: sentence") without parsing text.
import { OgiError } from '../../domain/errors.ts';

export type FetchErrorCode =
  | 'bad-url'
  | 'host-not-allowed'
  | 'address-not-allowed'
  | 'robots-disallowed'
  | 'timeout'
  | 'too-large'
  | 'network'
  | 'tls'
  | 'too-many-redirects'
  | 'challenge'
  | 'browser'
  | 'blocked'
  | 'gone'
  | 'empty-page'
  | `http-${number}`;

export class FetchError extends OgiError {
  declare readonly code: FetchErrorCode;
  readonly url: string;
  readonly status?: number;

  constructor(code: FetchErrorCode, url: string, sentence: string, status?: number) {
    super(code, sentence);
    this.name = 'FetchError';
    this.url = url;
    if (status !== undefined) this.status = status;
  }
}
