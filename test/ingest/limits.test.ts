/**
 * Memory stays bounded on large text and HTML: documents over the size limits are refused with a
 * clear code before they are parsed, and one such document never ends a batch.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { extractBytes, extractFile } from '../../src/extract/index.ts';
import { REPO, SEEDS } from '../support/paths.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ogi-limits-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const seed = readdirSync(SEEDS).filter((f) => f.endsWith('.txt')).sort()[0]!;
const seedText = readFileSync(join(SEEDS, seed), 'utf8');

describe('size limits', () => {
  const saved = { text: process.env.OGI_MAX_TEXT_MB, file: process.env.OGI_MAX_FILE_MB };
  afterEach(() => {
    for (const [k, v] of [['OGI_MAX_TEXT_MB', saved.text], ['OGI_MAX_FILE_MB', saved.file]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('ogi load refuses a text file over the limit with too-large, and loads the files after it', () => {
    // 40 MB of report text: over the default 16 MB text limit
    const big = join(dir, 'big.txt');
    writeFileSync(big, seedText.repeat(Math.ceil((40 * 1024 * 1024) / Buffer.byteLength(seedText))));
    const db = join(dir, 'batch.sqlite');
    const r = spawnSync(process.execPath, [join(REPO, 'bin/ogi.js'), 'load', '--db', db, big, join(SEEDS, seed)], { cwd: REPO, encoding: 'utf8' });
    const lines = r.stdout.trim().split('\n').slice(2);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/big\.txt.*\s(error|failed)\s+too-large: the text document is 40\.\d MB; text over 16\.0 MB is not read \(OGI_MAX_TEXT_MB\)/);
    expect(lines[1]).toMatch(/\snew\s*$/);
    const sqlite = new Database(db, { readonly: true });
    try {
      expect(sqlite.prepare('SELECT count(*) AS n FROM reports WHERE ok = 1').get()).toEqual({ n: 1 });
    } finally {
      sqlite.close();
    }
  });

  it('sets embedded pictures (data: URIs) aside before measuring an HTML page', async () => {
    process.env.OGI_MAX_TEXT_MB = '1';
    const page = readFileSync(join(REPO, 'test/fixtures/html/jcms-2021-split-numbers.html'), 'utf8');
    const picture = `<img src="data:image/png;base64,${'A'.repeat(3 * 1024 * 1024)}">`;
    const withPicture = await extractBytes(Buffer.from(page.replace('<body>', `<body>${picture}`)), { file: 'picture.html' });
    expect(withPicture.output.error).toBeNull();
    expect(withPicture.output.ok).toBe(true);
    const padded = await extractBytes(Buffer.from(page.replace('<body>', `<body><p>${'文'.repeat(1024 * 1024)}</p>`)), { file: 'padded.html' });
    expect(padded.output.error).toMatch(/^too-large: the HTML document is 3\.\d MB; HTML over 1\.0 MB is not read/);
  });

  it('refuses any file over OGI_MAX_FILE_MB before reading it, and says so for a bad setting', async () => {
    const pdf = join(dir, 'large.pdf');
    writeFileSync(pdf, Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(3 * 1024 * 1024)]));
    process.env.OGI_MAX_FILE_MB = '2';
    expect((await extractFile(pdf)).output.error).toMatch(/^too-large: the document is 3\.0 MB; documents over 2\.0 MB are not read \(OGI_MAX_FILE_MB\)$/);
    process.env.OGI_MAX_FILE_MB = 'lots';
    expect((await extractFile(pdf)).output.error).toBe('bad-limit: OGI_MAX_FILE_MB=lots is not a positive number of megabytes');
  });
});
