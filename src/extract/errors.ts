import { OgiError } from '../domain/errors.ts';

/**
 * An input the extractor cannot turn into a report. `code` is stable (scripts and the database
 * key on it); `sentence` is for people; the message, and toString, are "code: sentence" (the
 * `error` field of a failed extraction).
 */
export class ExtractError extends OgiError {
  constructor(code: string, sentence: string) {
    super(code, sentence);
    this.name = 'ExtractError';
  }

  override toString(): string {
    return this.message;
  }
}
