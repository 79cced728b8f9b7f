// Content-addressed archive of raw response bodies: <dataDir>/blobs/sha256/ab/cd/<sha>.gz.
// Bodies are archived before anything parses them, so extraction can always re-run from here
// without re-crawling. A blob, once written, is never overwritten: same bytes → same name.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { type FileHandle, mkdir, open, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync, gzip, gzipSync } from 'node:zlib';
import { OgiError } from '../domain/errors.ts';

const gzipAsync = promisify(gzip);

export class ArchiveError extends OgiError {
  declare readonly code: 'bad-sha256' | 'blob-missing' | 'blob-corrupt';

  constructor(code: 'bad-sha256' | 'blob-missing' | 'blob-corrupt', sentence: string) {
    super(code, sentence);
    this.name = 'ArchiveError';
  }
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function blobPath(dataDir: string, sha: string): string {
  if (!SHA256_HEX.test(sha)) throw new ArchiveError('bad-sha256', `"${sha}" is not a lowercase hex sha256`);
  return join(dataDir, 'blobs', 'sha256', sha.slice(0, 2), sha.slice(2, 4), `${sha}.gz`);
}

export function hasBlob(dataDir: string, sha: string): boolean {
  return existsSync(blobPath(dataDir, sha));
}

// Opens a new temp file, creating the blob directory only when it is missing (mkdir -p on every
// write is measurable when crawling).
function openTemp(dir: string, tmp: string): number {
  try {
    return openSync(tmp, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    mkdirSync(dir, { recursive: true });
    return openSync(tmp, 'wx');
  }
}

/** Stores bytes (gzip) and returns their sha256. Crash-safe: temp file + fsync + rename. */
export function putBlob(dataDir: string, bytes: Uint8Array): string {
  const sha = sha256Hex(bytes);
  const path = blobPath(dataDir, sha);
  if (existsSync(path)) return sha;
  const dir = dirname(path);
  const tmp = join(dir, `.${sha}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = openTemp(dir, tmp);
  try {
    writeSync(fd, gzipSync(bytes, { level: 6 }));
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    unlinkSync(tmp);
    throw err;
  }
  closeSync(fd);
  // A concurrent writer may have won the race; its blob holds the same bytes, so keep it.
  if (existsSync(path)) unlinkSync(tmp);
  else renameSync(tmp, path);
  fsyncDir(dir);
  return sha;
}

/**
 * Same as putBlob, but compression and fsync run off the main thread, so a crawler that archives
 * many responses keeps its timers (per-host pacing) on time.
 */
export async function putBlobAsync(dataDir: string, bytes: Uint8Array): Promise<string> {
  const sha = sha256Hex(bytes);
  const path = blobPath(dataDir, sha);
  if (existsSync(path)) return sha;
  const dir = dirname(path);
  const tmp = join(dir, `.${sha}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const gz = await gzipAsync(bytes, { level: 6 });
  const fh = await openTempAsync(dir, tmp);
  try {
    await fh.writeFile(gz);
    await fh.sync();
  } catch (err) {
    await fh.close();
    await unlink(tmp);
    throw err;
  }
  await fh.close();
  if (existsSync(path)) await unlink(tmp);
  else await rename(tmp, path);
  const dh = await open(dir, 'r');
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
  return sha;
}

async function openTempAsync(dir: string, tmp: string): Promise<FileHandle> {
  try {
    return await open(tmp, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    await mkdir(dir, { recursive: true });
    return await open(tmp, 'wx');
  }
}


export function getBlob(dataDir: string, sha: string): Buffer {
  const path = blobPath(dataDir, sha);
  if (!existsSync(path)) throw new ArchiveError('blob-missing', `no blob ${sha} under ${dataDir}`);
  const bytes = gunzipSync(readFileSync(path));
  if (sha256Hex(bytes) !== sha) throw new ArchiveError('blob-corrupt', `blob ${sha} does not hash to its name`);
  return bytes;
}

// The rename is only durable once the directory entry is on disk.
function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
