import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as XLSX from '@e965/xlsx';
import { describe, expect, it } from 'vitest';
import { ExtractError } from '../../../src/extract/errors.ts';
import { layoutRows, type TextItem } from '../../../src/extract/readers/layout.ts';
import { readDocx, readOle2, readXlsx } from '../../../src/extract/readers/office.ts';
import type { Row } from '../../../src/extract/types.ts';
import { zipArchive } from './zip-builder.ts';

const fixtures = path.resolve(import.meta.dirname, '../../fixtures');
const load = (p: string) => new Uint8Array(readFileSync(path.join(fixtures, p)));
const texts = (rows: Row[]) => rows.map((r) => r.cells.map((c) => c.text));
const item = (text: string, x: number, y: number, size = 10, width = text.length * size): TextItem => ({ text, x, y, size, width });
const page = (items: TextItem[]) => [{ width: 595, height: 842, items }];

async function codeOf(promise: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (err) {
    if (err instanceof ExtractError) return err.code;
    throw err;
  }
  return 'no error';
}

describe('layoutRows (positioned text to rows)', () => {
  it('splits cells on gaps and keeps numbers after their label', () => {
    const rows = layoutRows(page([item('行政规范性文件', 80, 500), item('0', 280, 500, 12, 6), item('5', 377, 499, 12, 6), item('5', 466, 500.5, 12, 6)]));
    expect(texts(rows)).toEqual([['行政规范性文件', '0', '5', '5']]);
  });

  it('joins a label wrapped over two lines with its numbers centred between them', () => {
    const rows = layoutRows(page([
      item('（二）部分公开（区分处理的，只计这一情', 100, 300),
      item('447', 310, 292, 10, 15), item('7', 350, 292, 10, 5), item('454', 500, 292, 10, 15),
      item('形，不计其他情形）', 100, 285),
    ]));
    expect(texts(rows)).toEqual([['（二）部分公开（区分处理的，只计这一情形，不计其他情形）', '447', '7', '454']]);
  });

  it('puts a group label centred in its rowspan in front of the group\'s first row', () => {
    const rows = layoutRows(page([
      item('1.属于国家秘密', 180, 400), item('1', 340, 400, 10, 5),
      item('2.其他法律行政法规禁止公开', 180, 380), item('0', 340, 380, 10, 5),
      item('（三）不', 100, 372), item('予公开', 100, 357),
      item('3.危及“三安全一稳定”', 180, 360), item('0', 340, 360, 10, 5),
    ]));
    expect(texts(rows)).toEqual([
      ['（三）不予公开', '1.属于国家秘密', '1'],
      ['2.其他法律行政法规禁止公开', '0'],
      ['3.危及“三安全一稳定”', '0'],
    ]);
  });

  it('collects a vertical label written one character per line, and drops page numbers', () => {
    const rows = layoutRows(page([
      item('- 4 -', 280, 40, 13, 22),
      ...['三、', '本', '年', '度'].map((c, i) => item(c, 60, 500 - 15 * i, 7.5, 7.5 * c.length)),
      item('（一）予以公开', 100, 470, 7.5), item('12', 300, 470, 7.5, 7.5),
    ]));
    expect(texts(rows)).toEqual([['三、本年度'], ['（一）予以公开', '12']]);
  });

  it('splits one text run holding two header cells', () => {
    const rows = layoutRows(page([item('信息内容', 80, 600), item('本年制发件数 本年废止件数', 250, 600, 10, 200), item('现行有效件数', 460, 600)]));
    expect(texts(rows)).toEqual([['信息内容', '本年制发件数', '本年废止件数', '现行有效件数']]);
  });

  it('joins header words broken over lines', () => {
    const rows = layoutRows(page([
      item('结果', 75, 450), item('结果', 110, 450), item('其他', 145, 450),
      item('维持', 75, 437), item('纠正', 110, 437), item('结果', 145, 437),
    ]));
    expect(texts(rows)).toEqual([['结果维持', '结果纠正', '其他结果']]);
  });

  it('starts a new label at a numbered fragment right under the last line of the label above', () => {
    const rows = layoutRows(page([
      item('3.要求提供公开出版', 170, 400), item('0', 300, 395, 10, 5),
      item('物', 170, 388),
      item('4.无正当理由大量反', 170, 372), item('0', 300, 366, 10, 5),
      item('复申请', 170, 360),
    ]));
    expect(texts(rows)).toEqual([['3.要求提供公开出版物', '0'], ['4.无正当理由大量反复申请', '0']]);
  });

  it('splits a label filling its cell from the next cell\'s number printed in the same run', () => {
    const rows = layoutRows(page([item('规范性文件（含行政规范性文件） １２', 80, 500, 10, 175), item('12', 300, 500, 10, 10), item('1,024', 380, 500, 10, 25)]));
    expect(texts(rows)).toEqual([['规范性文件（含行政规范性文件）', '１２', '12', '1,024']]);
  });

  it('joins the pieces of a line that holds only labels of different columns to their rows', () => {
    const zeros = (y: number) => [0, 1, 2].map((c) => item('0', 300 + 40 * c, y, 10, 5));
    const rows = layoutRows(page([
      item('1.信访举报投诉类申请', 170, 440), ...zeros(440),
      item('2.重复申请', 170, 420), ...zeros(420),
      item('3.要求提供公开出', 170, 400), ...zeros(398),
      item('（五）不', 100, 388), item('版物', 170, 388),
      item('予处理', 100, 376), item('4.无正当理由大量', 170, 376),
      item('反复申请', 170, 364), ...zeros(366),
    ]));
    const labels = texts(rows).map((r) => r.filter((t) => t !== '0').join('|'));
    expect(labels).toEqual(['（五）不予处理|1.信访举报投诉类申请', '2.重复申请', '3.要求提供公开出版物', '4.无正当理由大量反复申请']);
  });

  it('gives a label piece above a row\'s own numbered label to the row above', () => {
    const rows = layoutRows(page([
      item('2.申请人逾期未按收费通知要求缴纳费用、行政机关不', 170, 420), item('0', 450, 420, 10, 5),
      item('再处理其政府信息公开申请', 170, 408),
      item('3.其他', 170, 396), item('10', 450, 396, 10, 10),
    ]));
    expect(texts(rows)).toEqual([['2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请', '0'], ['3.其他', '10']]);
  });

  it('keeps header cells 3 pt apart apart and joins a broken word only within its own column', () => {
    const rows = layoutRows(page([
      item('行政复议', 100, 600), item('行政诉讼', 300, 600),
      item('结果', 100, 588), item('结果', 123, 588), item('其他', 146, 588), item('尚未', 169, 588), item('未经复议直接起诉', 300, 588),
      item('维持', 100, 576), item('纠正', 123, 576), item('结果', 146, 576), item('审结 总计', 169, 576, 10, 45), item('结果维持', 300, 576),
      ...[100, 123, 146, 194, 300].map((x) => item('0', x, 550, 10, 5)),
    ]));
    expect(texts(rows)).toEqual([
      ['行政复议', '行政诉讼'],
      ['结果维持', '结果纠正', '其他结果', '尚未审结', '未经复议直接起诉'],
      ['总计', '结果维持'],
      ['0', '0', '0', '', '0', '0'],
    ]);
  });

  it('keeps a row label of its own under a row as a row whose cells are blank', () => {
    const rows = layoutRows(page([item('行政处罚', 80, 500), item('2747', 300, 500, 10, 20), item('行政强制', 80, 486)]));
    expect(texts(rows)).toEqual([['行政处罚', '2747'], ['行政强制']]);
  });

  it('leaves text under a table out of its rows: a section heading, a note in the first column', () => {
    const zeros = (y: number) => [0, 1, 2].map((c) => item('0', 300 + 40 * c, y, 10, 5));
    const rows = layoutRows(page([
      item('1.信访举报投诉类申请', 170, 540), ...zeros(540),
      item('四、结转下年度继续办理', 63.5, 520), ...zeros(520),
      item('四、政府信息公开行政复议、行政诉讼情况', 60, 500),
      item('填报说明', 60.5, 486),
    ]));
    expect(texts(rows)).toEqual([
      ['1.信访举报投诉类申请', '0', '0', '0'],
      ['四、结转下年度继续办理', '0', '0', '0'],
      ['四、政府信息公开行政复议、行政诉讼情况'],
      ['填报说明'],
    ]);
  });

  it('collects a vertical label whose characters are level with the next column\'s text', () => {
    const chars = [...'本年度办理结果'].map((ch, i) => item(ch, 63.5, 560 - 15 * i, 10.5, 10.5));
    const rows = layoutRows(page([
      ...chars,
      item('（三）', 82.7, 515, 10.5, 31.5), item('不予公', 82.7, 500, 10.5, 31.5), item('开', 82.7, 485, 10.5, 10.5),
      item('1.属于国家秘密', 130, 530, 10.5), item('0', 300, 530, 10.5, 5),
      item('2.其他法律行政法规禁止公开', 130, 500, 10.5), item('0', 300, 500, 10.5, 5),
    ]));
    expect(texts(rows).flat()).toContain('本年度办理结果');
  });

  it('reads header words set one character per line in narrow columns as words, not vertical labels', () => {
    const words = ['结果维持', '结果纠正', '其他结果', '尚未审结'];
    const rows = layoutRows(page([
      ...words.flatMap((w, k) => [...w].map((ch, i) => item(ch, 100 + 30 * k, 600 - 12 * i, 10, 10))),
      item('总', 220, 588, 10, 10), item('计', 220, 576, 10, 10),
      ...[103, 133, 193, 223].map((x) => item('0', x, 540, 10, 5)),
    ]));
    expect(texts(rows).flat()).toEqual(expect.arrayContaining(words));
    expect(texts(rows).at(-1)).toEqual(['0', '0', '', '0', '0']);
  });

  it('reads the columns of rows at the head of a page off the header that ended the page before', () => {
    const headerPage = { width: 595, height: 842, items: ['维持', '纠正', '结果', '审结', '总计'].map((w, k) => item(w, 100 + 40 * k, 80, 10, 20)) };
    const rowPage = { width: 595, height: 842, items: [107, 147, 267].map((x) => item('3', x, 780, 10, 5)) };
    expect(texts(layoutRows([headerPage, rowPage])).at(-1)).toEqual(['3', '3', '', '', '3']);
  });

  it('starts a new row at a numbered label under a row\'s own label, level with a group label', () => {
    const numbers = (values: string[], y: number) => values.map((t, k) => item(t, 235 + 40 * k, y, 10, 5 * t.length));
    const rows = layoutRows(page([
      item('1.本机关不', 163, 184, 10, 50), item('掌握相关政', 163, 169, 10, 50), item('府信息', 163, 154, 10, 30), ...numbers(['30', '1', '31'], 169),
      item('2.没有现成', 163, 133, 10, 50), item('信息需要另', 163, 118, 10, 50), item('行制作', 163, 103, 10, 30), ...numbers(['10', '7', '17'], 118),
      item('（四）无', 113, 151, 10, 40), item('法提供', 113, 136, 10, 30),
    ]));
    expect(texts(rows)).toEqual([
      ['（四）无法提供', '1.本机关不掌握相关政府信息', '30', '1', '31'],
      ['2.没有现成信息需要另行制作', '10', '7', '17'],
    ]);
  });

  it('joins the lines of a label centred in its cell, the longer line starting further left', () => {
    const rows = layoutRows(page([
      item('1.本机关不掌握相关', 150, 500, 10, 90), item('政府信息', 175, 488, 10, 40), item('60', 300, 488, 10, 10),
      item('2.没有现成信', 160, 460, 10, 60), item('息需要另', 170, 448, 10, 40), item('1', 302, 460, 10, 5),
    ]));
    expect(texts(rows)).toEqual([['1.本机关不掌握相关政府信息', '60'], ['2.没有现成信息需要另', '1']]);
  });

  it('reads a number set in two touching runs as one number', () => {
    const rows = layoutRows(page([item('（七）总计', 100, 500), item('50', 300, 500, 10, 10), item('5', 310, 500, 10, 5), item('523', 360, 500, 10, 15)]));
    expect(texts(rows)).toEqual([['（七）总计', '505', '523']]);
  });

  // table 3 rows with numbers centred in 40-pt columns at x = 300, 340, 380, 420
  const number = (text: string, column: number, y: number) => item(text, 300 + 40 * column - 2.5 * text.length, y, 10, 5 * text.length);

  it('gives a blank cell its column when the fuller rows around it show the columns', () => {
    const rows = layoutRows(page([
      item('（一）予以公开', 100, 500), ...['12', '3', '0', '15'].map((n, c) => number(n, c, 500)),
      item('（二）部分公开', 100, 480), number('4', 0, 480), number('0', 2, 480), number('4', 3, 480),
      item('（三）不予公开', 100, 460), ...['1', '0', '0', '1'].map((n, c) => number(n, c, 460)),
    ]));
    expect(texts(rows)[1]).toEqual(['（二）部分公开', '4', '', '0', '4']);
  });

  it('gives blank cells their columns from the lowest header cells when every row has a blank', () => {
    const rows = layoutRows(page([
      item('申请人情况', 330, 560, 10, 50),
      item('自然人', 285, 540, 10, 30), item('法人或其他组织', 352, 540, 10, 56), item('总计', 412, 540, 10, 16),
      item('商业企业', 324, 525, 8, 32), item('科研机构', 364, 525, 8, 32),
      item('（一）予以公开', 100, 500), number('12', 0, 500), number('3', 1, 500), number('15', 3, 500),
      item('（二）部分公开', 100, 480), number('4', 0, 480), number('4', 3, 480),
    ]));
    expect(texts(rows).slice(-2)).toEqual([['（一）予以公开', '12', '3', '', '15'], ['（二）部分公开', '4', '', '', '4']]);
  });

  it('leaves a short row as printed when a number stands in no column', () => {
    const rows = layoutRows(page([
      item('（一）予以公开', 100, 500), ...['12', '3', '0', '15'].map((n, c) => number(n, c, 500)),
      item('（二）部分公开', 100, 480), number('4', 0, 480), item('0', 357, 480, 10, 5), number('4', 3, 480),
    ]));
    expect(texts(rows)[1]).toEqual(['（二）部分公开', '4', '0', '4']);
  });
});

describe('office readers', () => {
  it('reads a spreadsheet into exact rows with merged cells copied', () => {
    const sheet = XLSX.utils.aoa_to_sheet([
      ['第二十条第（一）项', null, null, null],
      ['信息内容', '本年制发件数', '本年废止件数', '现行有效件数'],
      ['规章', 0, 0, 3],
      [],
      ['行政复议', null, '行政诉讼'],
    ]);
    sheet['!merges'] = [XLSX.utils.decode_range('A1:D1'), XLSX.utils.decode_range('A5:B5')];
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, sheet, 'Sheet1');
    const doc = readXlsx(new Uint8Array(XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer));
    expect(doc.rows.every((r) => r.exact)).toBe(true);
    expect(texts(doc.rows)).toEqual([
      ['第二十条第（一）项', '第二十条第（一）项', '第二十条第（一）项', '第二十条第（一）项'],
      ['信息内容', '本年制发件数', '本年废止件数', '现行有效件数'],
      ['规章', '0', '0', '3'],
      ['行政复议', '行政复议', '行政诉讼', ''],
    ]);
    expect(doc.rows[0]!.cells.map((c) => c.copy ?? false)).toEqual([false, true, true, true]);
    // the blank row starts a new table
    expect(doc.rows.map((r) => r.table)).toEqual([0, 0, 0, 1]);
  });

  it('reads DOCX tables as exact grid rows', async () => {
    const doc = await readDocx(load('documents/report-2021.docx'));
    const norm = doc.rows.find((r) => r.cells[0]?.text === '行政规范性文件');
    expect(norm?.exact).toBe(true);
    expect(norm?.cells.map((c) => c.text)).toEqual(['行政规范性文件', '68', '88', '350']);
  });

  it('reads legacy Word (.doc) through LibreOffice', async () => {
    const doc = await readOle2(load('documents/report-2019.doc'));
    expect(doc.mediaType).toBe('application/msword');
    const row = doc.rows.find((r) => r.cells[0]?.text === '规范性文件');
    expect(row?.exact).toBe(true);
    expect(row?.cells.slice(1).map((c) => c.text)).toEqual(['0', '0', '2']);
  });
});

describe('malformed files give error codes', () => {
  it('zip bombs are refused before inflating, by declared size and by a lying header', async () => {
    const declared = zipArchive({ '[Content_Types].xml': '<Types/>', 'word/document.xml': 'x' }, { 'word/document.xml': { declaredSize: 3_000_000_000 } });
    expect(await codeOf(readDocx(declared))).toBe('zip-bomb');
    const lying = zipArchive({ '[Content_Types].xml': '<Types/>', 'word/document.xml': new Uint8Array(30_000_000) }, { 'word/document.xml': { declaredSize: 1000 } });
    expect(lying.length).toBeLessThan(100_000);
    expect(await codeOf(readDocx(lying))).toBe('zip-bomb');
    const before = process.memoryUsage().rss;
    expect(await codeOf(() => readXlsx(lying))).toBe('zip-bomb');
    expect(process.memoryUsage().rss - before).toBeLessThan(25_000_000);
  });

  it('a damaged DOCX or XLSX is corrupt, not a crash', async () => {
    const docx = load('documents/report-2021.docx');
    expect(await codeOf(readDocx(docx.subarray(0, docx.length - 100)))).toBe('zip-corrupt');
    expect(await codeOf(() => readXlsx(zipArchive({ '[Content_Types].xml': '<Types/>', 'xl/workbook.xml': 'not xml' })))).not.toBe('no error');
  });

  it('an OLE2 file that is neither Word nor Excel is unsupported', async () => {
    const ole = new Uint8Array(1024);
    ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    expect(await codeOf(readOle2(ole))).toBe('unsupported-format');
  });
});
