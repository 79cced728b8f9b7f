/**
 * Every failure ogi reports to a person or stores in a database has a stable code (scripts and
 * tables key on it) and a sentence for people, rendered "code: sentence". Error classes carry the
 * code as a field, so callers branch on `code` and never parse it back out of a message.
 */
export class OgiError extends Error {
  readonly code: string;
  /** the sentence alone, without its code */
  readonly sentence: string;

  constructor(code: string, sentence: string, options?: ErrorOptions) {
    super(`${code}: ${sentence}`, options);
    this.name = 'OgiError';
    this.code = code;
    this.sentence = sentence;
  }
}

/** The code of any thrown value: an OgiError's own, `fallback` for anything else. */
export function errorCode(e: unknown, fallback: string): string {
  return e instanceof OgiError ? e.code : fallback;
}

/** "code: sentence" for any thrown value; an error without a code gets `fallback`. */
export function errorText(e: unknown, fallback: string): string {
  if (e instanceof OgiError) return e.message;
  return `${fallback}: ${e instanceof Error ? e.message : String(e)}`;
}
