/**
 * An input the extractor cannot turn into a report. `code` is stable (scripts and the database
 * key on it); the message is a sentence for people. Rendered as "code: message".
 */
export class ExtractError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'ExtractError';
    this.code = code;
  }

  override toString(): string {
    return `${this.code}: ${this.message}`;
  }
}
