/**
 * `ogi query` (ad-hoc SQL or a canned query, read-only) and `ogi search` (full-text search).
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { OgiError } from '../domain/errors.ts';
import { DEFAULT_DB_PATH } from '../load/database.ts';
import { QueryError, cannedParams, findCannedQuery, listCannedQueries, parseParamArgs } from './canned.ts';
import { formatRows, formatTable } from './format.ts';
import type { OutputFormat } from './format.ts';
import { openReadonly, prepareRead } from './readonly.ts';
import { DEFAULT_QUERY_TIMEOUT, runInChild } from './run.ts';
import { searchReports } from './search.ts';

const collect = (value: string, previous: string[]) => [...previous, value];

/** prints `code: sentence` for expected failures; anything else is a bug and propagates */
async function reportErrors(action: () => void | Promise<void>): Promise<void> {
  try {
    await action();
  } catch (e) {
    if (!(e instanceof OgiError)) throw e;
    console.error(e.message);
    process.exitCode = 1;
  }
}

export function registerQueryCommand(program: Command): void {
  program
    .command('query')
    .description('run read-only SQL, or a canned query from schema/queries by name')
    .argument('[sql-or-name]', 'an SQL statement, or the name of a canned query')
    .option('--db <path>', 'database file', DEFAULT_DB_PATH)
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']).default('table'))
    .option('--list', 'list the canned queries')
    .option('-p, --param <name=value>', 'parameter of a canned query (repeatable)', collect, [])
    .option('--timeout <seconds>', 'stop the query after this many seconds (0: no limit)', parseTimeout, DEFAULT_QUERY_TIMEOUT)
    .addHelpText('after', '\nRows are printed as they come (the table format aligns its columns on the first 1000 rows).\nExit status: 0 when the query ran, 1 on an error (query-error, readonly-query, query-timeout, ...).')
    .action((input: string | undefined, opts: { db: string; format: OutputFormat; list?: boolean; param: string[]; timeout: number }) =>
      reportErrors(async () => {
        if (opts.list) {
          const queries = listCannedQueries();
          const rows = queries.map((q) => [q.name, q.params.map((p) => (p.default === null ? p.name : `${p.name}=${p.default}`)).join(' '), q.title]);
          console.log(formatRows(opts.format, ['name', 'params', 'title'], rows));
          return;
        }
        if (!input) throw new QueryError('no-query', 'give an SQL statement or a canned query name (ogi query --list)');
        const isName = /^[A-Za-z_][A-Za-z0-9_]*$/.test(input.trim());
        const canned = isName ? findCannedQuery(input.trim()) : null;
        if (!canned && opts.param.length > 0) throw new QueryError('bad-param', '--param only applies to canned queries');
        const sql = canned ? canned.sql : input;
        const params = canned ? cannedParams(canned, parseParamArgs(opts.param)) : {};
        // refused here, before a process is started: a missing database, invalid SQL, a write
        const db = openReadonly(opts.db);
        try {
          prepareRead(db, sql);
        } finally {
          db.close();
        }
        const code = await runInChild({ db: opts.db, sql, params, format: opts.format }, { timeout: opts.timeout });
        if (code !== 0) process.exitCode = code;
      }),
    );
}

function parseTimeout(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 0) throw new InvalidArgumentError('give a number of seconds (0: no limit)');
  return seconds;
}

export function registerSearchCommand(program: Command): void {
  program
    .command('search')
    .description('full-text search of report text (current reports), with snippets')
    .argument('<text>', 'words to find, e.g. 信息处理费')
    .option('--db <path>', 'database file', DEFAULT_DB_PATH)
    .option('--limit <n>', 'at most this many reports', (v) => Number.parseInt(v, 10), 20)
    .option('--all-versions', 'also search superseded versions of reports')
    .action((text: string, opts: { db: string; limit: number; allVersions?: boolean }) =>
      reportErrors(() => {
        const db = openReadonly(opts.db);
        try {
          const hits = searchReports(db, text, { limit: opts.limit, allVersions: opts.allVersions ?? false });
          if (hits.length === 0) {
            console.error(`no report mentions "${text}"`);
            return;
          }
          console.log(formatTable(['report', 'agency', 'year', 'section', 'snippet'], hits.map((h) => [h.reportId, h.agency, h.year, h.section, h.snippet])));
        } finally {
          db.close();
        }
      }),
    );
}
