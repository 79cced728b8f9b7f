/**
 * issue 17, point 8: PDF text keeps the page's line breaks inside words (`管理办\n法`), so
 * `ogi search 信息处理费管理办法` found none of the three real PDFs that print the phrase. Which
 * documents contain it was read from the documents themselves (pdftotext of each file, the
 * line breaks removed): all three, in section 六、其他需要报告的事项.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchableText } from '../../src/util/searchable-text.ts';
import { REPO } from '../support/paths.ts';

const run = promisify(execFile);
const ogi = (...args: string[]) =>
  run('node', [join(REPO, 'bin/ogi.js'), ...args], { cwd: REPO }).catch((e: { stdout: string; stderr: string; code: number }) => e);

const REAL = join(REPO, 'test/fixtures/real');
let dir: string;
let db: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ogi-search-pdf-'));
  db = join(dir, 'ogi.sqlite');
  await ogi('load', '--db', db, join(REAL, 'hongze-2023.pdf'), join(REAL, 'hongze-2024.pdf'), join(REAL, 'huaian-2024.pdf'));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ogi search on PDF reports', () => {
  it('finds a phrase the page wrapped across two lines, in all three reports that print it', async () => {
    const result = await ogi('search', '信息处理费管理办法', '--db', db);
    const hits = result.stdout.split('\n').filter((l) => l.includes('【信息处理费管理办法】'));
    expect(hits).toHaveLength(3);
    // 洪泽区 2023 and 2024, 淮安市 2024 (as their first pages print them)
    expect(hits.some((h) => /洪泽区人民政府\s+2023\s/.test(h))).toBe(true);
    expect(hits.some((h) => /洪泽区人民政府\s+2024\s/.test(h))).toBe(true);
    expect(hits.some((h) => /淮安市人民政府\s+2024\s/.test(h))).toBe(true);
    // each of the three documents once
    const ids = new Set(hits.map((h) => h.trim().split(/\s+/)[0]));
    expect(ids.size).toBe(3);
  });

  it('stores the text with the wrapped lines joined, so snippets read as sentences', async () => {
    const result = await ogi('query', "SELECT count(*) AS n FROM report_texts WHERE section_code = 'full' AND instr(text, '管理办' || char(10) || '法') > 0", '--db', db, '--format', 'json');
    expect(JSON.parse(result.stdout)).toEqual([{ n: 0 }]);
  });
});

describe('searchableText', () => {
  const wrapped = ['六、其他需要报告的事项', '2023 年，区政府严格落实《政府信息公开信息处理费管理办', '法》，全年收取政府信息公开信息处理费 0 元。'];

  it('joins a line break between two Chinese characters of a wrapped line', () => {
    expect(searchableText(wrapped.join('\n'))).toBe('六、其他需要报告的事项\n2023 年，区政府严格落实《政府信息公开信息处理费管理办法》，全年收取政府信息公开信息处理费 0 元。');
  });

  it('keeps breaks after a sentence, after a heading or short line, and between table rows', () => {
    const text = [
      '一、总体情况',
      '本机关坚持以人民为中心，严格落实条例各项规定，圆满完成任务。',
      '（一）主动公开情况。本年度主动公开政府信息共计一千余条目。',
      '信息内容\t本年制发件数\t本年废止件数\t现行有效件数',
      '规章\t0\t0\t0',
    ].join('\n');
    expect(searchableText(text)).toBe(text);
  });

  it('drops page footers and navigation lines', () => {
    const text = ['当前位置：首页 > 政务公开 > 年度报告', '本机关坚持以人民为中心，严格落实条例各项规定，全年收取', '— 4 —', '- 5 -', '第 6 页', '第 6 页 共 9 页', '信息处理费 0 元。'].join('\n');
    expect(searchableText(text)).toBe('本机关坚持以人民为中心，严格落实条例各项规定，全年收取信息处理费 0 元。');
  });
});
