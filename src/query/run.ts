/**
 * Running a read-only query in a child process, so that it can be stopped. better-sqlite3 is
 * synchronous and cannot be interrupted: a recursive CTE that yields no row until it is done
 * never returns to JavaScript, so neither a timer nor a worker thread can stop it reliably. The
 * child (src/query/worker.ts) iterates the statement and writes formatted rows to its stdout as
 * they come, which is the command's own stdout: memory stays bounded however large the result.
 * The parent checks the statement first (read-only, valid SQL), then waits for the child and
 * kills it when the time limit passes.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { QueryError } from './canned.ts';
import type { OutputFormat } from './format.ts';

/** default time limit of `ogi query`, in seconds */
export const DEFAULT_QUERY_TIMEOUT = 60;

export interface QueryJob {
  db: string;
  sql: string;
  params: Record<string, string | number>;
  format: OutputFormat;
}

const RUN_TS = fileURLToPath(new URL('../../bin/run-ts.js', import.meta.url));
const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));


export interface RunOptions {
  /** seconds; 0 or less: no limit */
  timeout: number;
  /** where the rows go (default: this process's stdout, shared with the child) */
  stdout?: 'inherit' | NodeJS.WritableStream;
  /** lines the child writes to stderr (errors as `code: sentence`, the row count) */
  onStderr?: (text: string) => void;
}

/**
 * Runs the query in a child process. Resolves with the child's exit code; rejects with
 * `query-timeout` when the time limit passed (the child is killed first).
 */
export function runInChild(job: QueryJob, opts: RunOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const toStream = opts.stdout !== undefined && opts.stdout !== 'inherit';
    const child = spawn(process.execPath, [RUN_TS, WORKER], { stdio: ['pipe', toStream ? 'pipe' : 'inherit', 'pipe'] });
    if (toStream && child.stdout) child.stdout.pipe(opts.stdout as NodeJS.WritableStream, { end: false });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => (opts.onStderr ?? ((t: string) => process.stderr.write(t)))(text));
    // ogi query stopped (Ctrl-C, kill): the query stops with it
    const onSignal = (signal: NodeJS.Signals) => {
      child.kill('SIGKILL');
      process.exit(signal === 'SIGINT' ? 130 : 143);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const done = () => {
      if (timer) clearTimeout(timer);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    };
    let timedOut = false;
    const timer =
      opts.timeout > 0
        ? setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, opts.timeout * 1000)
        : null;
    child.on('error', (e) => {
      done();
      reject(new QueryError('query-error', `could not start the query process: ${e.message}`));
    });
    child.on('close', (code) => {
      done();
      if (timedOut) {
        reject(new QueryError('query-timeout', `the query ran longer than ${opts.timeout} s and was stopped (raise the limit with --timeout SECONDS, 0 for none)`));
      } else resolve(code ?? 1);
    });
    child.stdin?.on('error', () => {}); // a child that died early: its exit code tells
    child.stdin?.end(JSON.stringify(job));
  });
}
