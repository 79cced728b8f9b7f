/**
 * Making a directory a command was told to write in, failing with a code instead of a stack.
 *
 * Node's `mkdirSync(p, { recursive: true })` loops forever at 100% CPU when a parent refuses
 * children with ENOENT (`/proc/x`: /proc exists but mkdir in it says "no such file"); this walks
 * the path itself and creates one missing component at a time, each attempted once.
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { OgiError } from '../domain/errors.ts';

/** Creates `path` and its missing parents; `what` names it in errors ("--out", "the database's folder"). */
export function makeDirectory(path: string, what: string): void {
  const missing: string[] = [];
  let p = resolve(path);
  for (;;) {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') throw new OgiError('not-writable', `${what} ${path}: cannot use ${p} (${code ?? (e as Error).message})`);
      missing.unshift(p);
      const parent = dirname(p);
      if (parent === p) break;
      p = parent;
      continue;
    }
    if (!isDir) throw new OgiError('not-a-directory', `${what} ${path}: ${p} exists and is not a folder`);
    break;
  }
  for (const dir of missing) {
    try {
      mkdirSync(dir);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && statSync(dir).isDirectory()) continue; // made meanwhile
      throw new OgiError('not-writable', `${what} ${path}: cannot create ${dir} (${code ?? (e as Error).message})`);
    }
  }
}
