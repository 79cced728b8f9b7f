/**
 * The child process of `ogi query` (see run.ts): reads a QueryJob as JSON from stdin, runs it on
 * the database opened read-only and writes the rows to stdout as they come. Errors go to stderr as
 * `code: sentence` with exit code 1; the table format ends with the row count on stderr.
 */
import { QueryError } from './canned.ts';
import { streamRows } from './format.ts';
import type { Value } from './format.ts';
import { openReadonly, prepareRead } from './readonly.ts';
import type { QueryJob } from './run.ts';

const CHUNK = 64 * 1024;

async function readStdin(): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of process.stdin) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

/** buffered writes to stdout that wait for it to drain (the reader is as slow as it likes) */
function stdoutSink() {
  let buffer = '';
  const flush = (): Promise<void> | void => {
    if (buffer === '') return;
    const ok = process.stdout.write(buffer);
    buffer = '';
    if (!ok) return new Promise((resolve) => process.stdout.once('drain', () => resolve()));
  };
  return { write: (text: string) => ((buffer += text).length >= CHUNK ? flush() : undefined), flush };
}

async function main(): Promise<void> {
  // a reader that went away (ogi query … | head) ends the query quietly
  process.stdout.on('error', (e: NodeJS.ErrnoException) => process.exit(e.code === 'EPIPE' ? 0 : 1));
  const job = JSON.parse(await readStdin()) as QueryJob;
  const db = openReadonly(job.db);
  const stmt = prepareRead(db, job.sql).raw(true);
  const columns = stmt.columns().map((c) => c.name);
  const sink = stdoutSink();
  let count: number;
  try {
    const rows = (Object.keys(job.params).length > 0 ? stmt.iterate(job.params) : stmt.iterate()) as IterableIterator<Value[]>;
    count = await streamRows(job.format, columns, rows, sink.write);
  } catch (e) {
    if (e instanceof QueryError) throw e;
    await sink.flush();
    throw new QueryError('query-error', (e as Error).message);
  }
  await sink.flush();
  if (job.format === 'table') process.stderr.write(`(${count} row${count === 1 ? '' : 's'})\n`);
}

// exit once stdout is written out (process.exit could cut a pipe's last chunk)
main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof QueryError ? e.message : `query-error: ${(e as Error).message}`}\n`);
  process.exitCode = 1;
});
