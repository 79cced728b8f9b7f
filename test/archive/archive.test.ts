import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ArchiveError, blobPath, getBlob, hasBlob, putBlob, putBlobAsync, sha256Hex } from '../../src/archive/index.ts';
import { tempDirs } from '../crawl/fetch/tmp.ts';

const newDir = tempDirs('ogi-archive-');

describe('content-addressed archive', () => {
  it('stores gzip blobs under blobs/sha256/ab/cd/<sha>.gz and reads them back', () => {
    const dir = newDir();
    const bytes = Buffer.from('海宁市人民政府2023年度政府信息公开工作年度报告');
    const sha = putBlob(dir, bytes);
    expect(sha).toBe(sha256Hex(bytes));
    const path = join(dir, 'blobs', 'sha256', sha.slice(0, 2), sha.slice(2, 4), `${sha}.gz`);
    expect(blobPath(dir, sha)).toBe(path);
    expect(gunzipSync(readFileSync(path)).equals(bytes)).toBe(true);
    expect(hasBlob(dir, sha)).toBe(true);
    expect(getBlob(dir, sha).equals(bytes)).toBe(true);
  });

  it('never overwrites an existing blob', () => {
    const dir = newDir();
    const sha = putBlob(dir, Buffer.from('report'));
    const path = blobPath(dir, sha);
    const before = statSync(path);
    expect(putBlob(dir, Buffer.from('report'))).toBe(sha);
    const after = statSync(path);
    expect(after.ino).toBe(before.ino);
    expect(after.mtimeMs).toBe(before.mtimeMs);
  });

  it('stores empty bodies and leaves no temp files behind', () => {
    const dir = newDir();
    const sha = putBlob(dir, Buffer.alloc(0));
    expect(getBlob(dir, sha).length).toBe(0);
    expect(readdirSync(dirname(blobPath(dir, sha)))).toEqual([`${sha}.gz`]);
  });

  it('writes the same blob asynchronously, also when many writers race on the same bytes', async () => {
    const dir = newDir();
    const bytes = Buffer.from('<html>同一份报告</html>');
    const shas = await Promise.all(Array.from({ length: 8 }, () => putBlobAsync(dir, bytes)));
    expect(new Set(shas)).toEqual(new Set([sha256Hex(bytes)]));
    expect(getBlob(dir, sha256Hex(bytes)).equals(bytes)).toBe(true);
    expect(readdirSync(dirname(blobPath(dir, sha256Hex(bytes))))).toEqual([`${sha256Hex(bytes)}.gz`]);
    expect(putBlob(dir, bytes)).toBe(sha256Hex(bytes));
  });

  it('refuses bad names, reports missing and corrupt blobs with stable codes', () => {
    const dir = newDir();
    expect(() => getBlob(dir, 'not-a-sha')).toThrow(ArchiveError);
    const missing = sha256Hex(Buffer.from('never stored'));
    expect(hasBlob(dir, missing)).toBe(false);
    expect(() => getBlob(dir, missing)).toThrow(/^blob-missing: /);
    const sha = putBlob(dir, Buffer.from('original'));
    writeFileSync(blobPath(dir, sha), gzipSync(Buffer.from('tampered')));
    expect(() => getBlob(dir, sha)).toThrow(/^blob-corrupt: /);
    expect(existsSync(blobPath(dir, sha))).toBe(true);
  });
});
