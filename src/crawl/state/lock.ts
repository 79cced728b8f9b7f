// One crawl per data directory: <dataDir>/crawl.lock holds the pid of the crawl using it.
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { OgiError } from '../../domain/errors.ts';

export class LockError extends OgiError {
  declare readonly code: 'locked';

  constructor(
    readonly lockPath: string,
    readonly holderPid: number,
  ) {
    super('locked', `another crawl (pid ${holderPid}) is using this data directory (${lockPath})`);
    this.name = 'LockError';
  }
}

export interface CrawlLock {
  path: string;
  release(): void;
}

function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ownLock(path: string): CrawlLock {
  let released = false;
  return {
    path,
    release() {
      if (released) return;
      released = true;
      try {
        if (readFileSync(path, 'utf8').trim() === String(process.pid)) unlinkSync(path);
      } catch {
        // already gone: nothing to release
      }
    },
  };
}

/** Removes the lock file when its holder is dead; a live holder → LockError. */
function takeOverIfStale(path: string): void {
  let holder = Number.NaN;
  try {
    holder = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
  } catch {
    return; // removed between open and read: try again
  }
  if (pidAlive(holder)) throw new LockError(path, holder);
  try {
    unlinkSync(path); // stale lock of a dead process
  } catch {
    // someone else removed it first: try again
  }
}

/**
 * Takes <dataDir>/crawl.lock (O_EXCL). A lock left by a dead process is taken over; a live holder →
 * LockError. Known limit: two processes that find the same stale lock at the same instant may both
 * remove it, and Node has no flock() to close that gap; crawls start by hand or from one scheduler.
 */
export function acquireLock(dataDir: string): CrawlLock {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'crawl.lock');
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return ownLock(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      takeOverIfStale(path);
    }
  }
  throw new OgiError('lock-contended', `could not take ${path} after several attempts`);
}
