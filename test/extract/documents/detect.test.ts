import { deflateRawSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectType, mediaTypeOf } from '../../../src/extract/detect.ts';
import { zipArchive } from './zip-builder.ts';

const fixtures = path.resolve(import.meta.dirname, '../../fixtures');
const bytes = (...parts: (string | number[])[]): Uint8Array =>
  new Uint8Array(Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p)))));

describe('detectType', () => {
  it('recognises every supported magic, whatever the file is called', () => {
    expect(detectType(bytes('%PDF-1.7\n...'), 'report.html')).toBe('pdf');
    expect(detectType(bytes('\xef\xbb\xbf\r\n%PDF-1.4\n'), 'x')).toBe('pdf'); // junk before the header
    expect(detectType(bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), 'a.pdf')).toBe('ole2');
    expect(detectType(bytes([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), 'a.png')).toBe('jpeg');
    expect(detectType(bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]), 'a.jpg')).toBe('png');
    expect(detectType(bytes('GIF89a\x01\x00'), 'a')).toBe('gif');
    expect(detectType(bytes('II*\0\x08\0\0\0'), 'a')).toBe('tiff');
    expect(detectType(bytes('MM\0*\0\0\0\x08'), 'a')).toBe('tiff');
    expect(detectType(bytes('BM', [0x46, 0, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0, 40, 0, 0, 0]), 'a')).toBe('bmp');
  });

  it('tells DOCX, XLSX and other ZIPs apart by their entries', () => {
    const docx = zipArchive({ '[Content_Types].xml': '<Types/>', 'word/document.xml': '<w:document/>' });
    const xlsx = zipArchive({ '[Content_Types].xml': '<Types/>', 'xl/workbook.xml': '<workbook/>' });
    const other = zipArchive({ 'readme.txt': 'hello' });
    expect(detectType(docx, 'report.pdf')).toBe('docx');
    expect(detectType(xlsx, 'report.doc')).toBe('xlsx');
    expect(detectType(other, 'report.docx')).toBe('zip');
    // a download cut before the central directory is still recognised from its local headers
    expect(detectType(docx.subarray(0, docx.length - 60), 'x')).toBe('docx');
    expect(detectType(new Uint8Array(readFileSync(path.join(fixtures, 'documents/report-2021.docx'))))).toBe('docx');
    expect(detectType(new Uint8Array(readFileSync(path.join(fixtures, 'documents/report-2019.xlsx'))))).toBe('xlsx');
  });

  it('tells HTML, text, binary and empty apart', () => {
    expect(detectType(new Uint8Array(0), 'a.pdf')).toBe('empty');
    expect(detectType(bytes('<!DOCTYPE html><html><body>x</body></html>'), 'a.txt')).toBe('html');
    expect(detectType(bytes('\n  <table><tr><td>规章</td></tr></table>'), 'a')).toBe('html');
    expect(detectType(new Uint8Array(Buffer.from('<meta charset="gbk"><p>报告</p>')), 'a')).toBe('html');
    expect(detectType(new Uint8Array(Buffer.from('\ufeff<html>', 'utf16le')), 'a')).toBe('html');
    expect(detectType(new Uint8Array(Buffer.from('一、总体情况\n规章\t0\t0\t0\n')), 'a.html')).toBe('text');
    expect(detectType(new Uint8Array(Buffer.from('<font color=red>一、总体情况</font>')), 'a.html')).toBe('html');
    expect(detectType(new Uint8Array(Buffer.from('<font color=red>一、总体情况</font>')), 'a.txt')).toBe('text');
    expect(detectType(bytes('BM not a bitmap, just text'), 'a')).toBe('text');
    expect(detectType(bytes([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0]), 'a.pdf')).toBe('binary');
    expect(detectType(new Uint8Array(deflateRawSync(Buffer.alloc(4000, 7))), 'a')).toBe('binary');
  });
});

describe('mediaTypeOf', () => {
  it('types fetched bytes by their magic before what the server said', () => {
    expect(mediaTypeOf(Buffer.from('%PDF-1.7\n'), { contentType: 'application/octet-stream', name: 'x/downfile.jsp' })).toBe('application/pdf');
    expect(mediaTypeOf(Buffer.from('<!DOCTYPE html><html>'), { contentType: 'application/pdf', name: 'a.pdf' })).toBe('text/html');
    expect(mediaTypeOf(Buffer.from('<!DOCTYPE html><html>'), { contentType: null, name: 'a' })).toBe('text/html');
    expect(mediaTypeOf(Buffer.from('\n  <!DOCTYPE html><html>'), { contentType: 'application/octet-stream', name: 'a.pdf' })).toBe('text/html');
    expect(mediaTypeOf(Buffer.from('%PDF-1.7 <html>'), { contentType: 'text/html' })).toBe('application/pdf');
  });

  it('lets the name or Content-Type decide only what the bytes cannot', () => {
    const ole2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0]);
    expect(mediaTypeOf(ole2, { contentType: 'application/octet-stream', name: 'a.doc' })).toBe('application/msword');
    expect(mediaTypeOf(ole2, { contentType: 'application/vnd.ms-excel', name: 'download.jsp' })).toBe('application/vnd.ms-excel');
    // a ZIP whose entries cannot be read (cut short): its name says what it was meant to be
    expect(mediaTypeOf(Buffer.from('PK\u0003\u0004rest'), { contentType: 'application/octet-stream', name: 'a.docx' })).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(mediaTypeOf(Buffer.from('PK\u0003\u0004rest'), { name: 'a.bin' })).toBe('application/zip');
    expect(mediaTypeOf(Buffer.from('hello'), { contentType: 'text/plain; charset=utf-8', name: 'a.txt' })).toBe('text/plain');
    expect(mediaTypeOf(Buffer.from([1, 2, 0, 4]), {})).toBe('application/octet-stream');
  });
});
