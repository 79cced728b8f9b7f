/**
 * Canned queries: schema/queries/NAME.sql files with a header of `-- key: value` lines
 * (title, description, and `param: name = default` per named parameter). The same files feed
 * `ogi query NAME`, the Datasette metadata of a snapshot, and the tests that run every query.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OgiError } from '../domain/errors.ts';

export const QUERIES_DIR = fileURLToPath(new URL('../../schema/queries', import.meta.url));

export interface CannedParam {
  name: string;
  /** used when `--param` does not give the parameter; also what tests run the query with */
  default: string | null;
}

export interface CannedQuery {
  name: string;
  title: string;
  description: string;
  params: CannedParam[];
  /** the SQL without its header comments */
  sql: string;
}

/** A query that cannot run: an OgiError, printed "code: sentence". */
export class QueryError extends OgiError {
  constructor(code: string, sentence: string) {
    super(code, sentence);
    this.name = 'QueryError';
  }
}

export function parseCannedQuery(name: string, text: string): CannedQuery {
  const query: CannedQuery = { name, title: name, description: '', params: [], sql: '' };
  const body: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const header = body.length === 0 ? /^--\s*(title|description|param):\s*(.*)$/.exec(line) : null;
    if (!header) {
      if (body.length > 0 || line.trim() !== '') body.push(line);
      continue;
    }
    const [, key, value = ''] = header;
    if (key === 'title') query.title = value.trim();
    else if (key === 'description') query.description = value.trim();
    else {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*(?:=\s*(.*))?$/.exec(value.trim());
      if (!m?.[1]) throw new QueryError('bad-query-file', `${name}.sql: cannot read the parameter line "${line}"`);
      query.params.push({ name: m[1], default: m[2]?.trim() ?? null });
    }
  }
  query.sql = body.join('\n').trim();
  return query;
}

export function listCannedQueries(dir = QUERIES_DIR): CannedQuery[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => parseCannedQuery(basename(f, '.sql'), readFileSync(join(dir, f), 'utf8')));
}

export function findCannedQuery(name: string, dir = QUERIES_DIR): CannedQuery {
  const query = listCannedQueries(dir).find((q) => q.name === name);
  if (!query) throw new QueryError('unknown-query', `no canned query named "${name}" (see ogi query --list)`);
  return query;
}

/** a CLI parameter value: numbers bind as numbers so that `year = :year` matches INTEGER columns */
function bindValue(text: string): string | number {
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
}

/** named parameters for a canned query from `k=v` strings, falling back to the declared defaults */
export function cannedParams(query: CannedQuery, given: Record<string, string>): Record<string, string | number> {
  for (const key of Object.keys(given)) {
    if (!query.params.some((p) => p.name === key)) {
      throw new QueryError('unknown-param', `query "${query.name}" has no parameter "${key}" (it takes: ${query.params.map((p) => p.name).join(', ') || 'none'})`);
    }
  }
  const out: Record<string, string | number> = {};
  for (const p of query.params) {
    const value = given[p.name] ?? p.default;
    if (value === null) throw new QueryError('missing-param', `query "${query.name}" needs --param ${p.name}=VALUE`);
    out[p.name] = bindValue(value);
  }
  return out;
}

export function parseParamArgs(args: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq <= 0) throw new QueryError('bad-param', `--param takes NAME=VALUE, got "${arg}"`);
    out[arg.slice(0, eq)] = arg.slice(eq + 1);
  }
  return out;
}
