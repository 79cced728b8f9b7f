import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OgiError } from '../../src/domain/errors.ts';
import { ExtractError } from '../../src/extract/errors.ts';
import { extractBytes, extractFile } from '../../src/extract/index.ts';

const codeOf = (error: string | null) => error?.split(':')[0];

describe('bad input gets ok=false with "code: sentence" and never throws', () => {
  it.each([
    ['empty.txt', Buffer.alloc(0), 'empty-file'],
    ['random.bin', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)), 'unsupported-format'],
    ['notes.xyz', Buffer.from('just some notes, nothing to see'), 'not-a-report'],
    ['listing.html', Buffer.from('<html><head><title>政府信息公开年报</title></head><body><div id="zoom"><ul><li><a href="/art/1.html">通知</a></li></ul></div></body></html>'), 'not-a-report'],
    ['package.json', Buffer.from('{"description":"政府信息公开工作年度报告 dataset"}'), 'not-a-report'],
  ])('%s', async (file, bytes, code) => {
    const { output } = await extractBytes(bytes, { file });
    expect(output.ok).toBe(false);
    expect(codeOf(output.error)).toBe(code);
    expect(output.error).toMatch(/^[a-z-]+: \S.+/);
    expect(output.error).not.toMatch(/^([a-z-]+): \1: /);
    expect([output.table2, output.table3, output.table4]).toEqual([null, null, null]);
  });

  it('a missing file or a directory is a result, not a crash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ogi-bad-'));
    expect(codeOf((await extractFile(join(dir, 'nope.html'))).output.error)).toBe('unreadable-file');
    expect(codeOf((await extractFile(dir)).output.error)).toBe('unreadable-file');
    writeFileSync(join(dir, 'x.html'), '<html><body><div id="zoom"><table><tr><td>规章</td></tr></table></div></body></html>');
    expect((await extractFile(join(dir, 'x.html'))).output.ok).toBe(false);
  });
});

describe('ExtractError', () => {
  it('is an OgiError whose message and string are "code: sentence"', () => {
    const e = new ExtractError('pdf-encrypted', 'the PDF is protected by a password');
    expect(e).toBeInstanceOf(OgiError);
    expect([e.code, e.sentence, e.message, String(e)]).toEqual([
      'pdf-encrypted',
      'the PDF is protected by a password',
      'pdf-encrypted: the PDF is protected by a password',
      'pdf-encrypted: the PDF is protected by a password',
    ]);
  });
});
