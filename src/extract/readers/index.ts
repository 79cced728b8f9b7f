/**
 * Bytes → DocumentContent, by what the bytes are (magic numbers), not by the file name.
 */
import { decodeBody } from '../../util/charset.ts';
import { detectType } from '../detect.ts';
import { ExtractError } from '../errors.ts';
import { checkFileSize, checkTextSize, sizeLimits } from '../limits.ts';
import type { DocumentContent } from '../types.ts';
import { readHtml } from './html.ts';
import { readText } from './text.ts';
import { zipProblem } from './zip.ts';

// PDF, Office and OCR readers pull in large libraries (pdfjs, mammoth, SheetJS): load them on first use
const pdf = () => import('./pdf.ts');
const office = () => import('./office.ts');
const ocr = () => import('./ocr.ts');

export interface ReadOptions {
  file: string;
  mediaType?: string;
}


/** What a file's extension would have us believe, for error messages only. */
function extensionOf(file: string): string {
  const m = /\.([A-Za-z0-9]{1,8})$/.exec(file);
  return m ? `.${m[1]!.toLowerCase()}` : 'this';
}

/** Embedded pictures (data: URIs) are no text to read, and can make a page megabytes long. */
const DATA_URI = /(\s(?:src|href)\s*=\s*)(["'])data:[^"']*\2/gi;

/** The text of a text or HTML document, refused when too large to read within bounded memory. */
function decodeText(bytes: Uint8Array, type: 'html' | 'text'): string {
  const limits = sizeLimits();
  // a page of pictures may shrink to little once they are set aside: decode up to a bound first
  checkTextSize(type === 'html' ? 'HTML' : 'text', type === 'html' ? bytes.length / 4 : bytes.length, limits);
  const text = type === 'html' ? decodeBody(bytes).replace(DATA_URI, '$1$2$2') : decodeBody(bytes);
  checkTextSize(type === 'html' ? 'HTML' : 'text', Buffer.byteLength(text), limits);
  return text;
}

export async function readDocument(bytes: Uint8Array, opts: ReadOptions): Promise<DocumentContent> {
  checkFileSize(bytes.length);
  const type = detectType(bytes, opts.file);
  switch (type) {
    case 'html':
      return readHtml(decodeText(bytes, 'html'));
    case 'text':
      return readText(decodeText(bytes, 'text'));
    case 'pdf':
      return (await pdf()).readPdf(bytes);
    case 'docx':
      return (await office()).readDocx(bytes);
    case 'xlsx':
      return (await office()).readXlsx(bytes);
    case 'ole2':
      return (await office()).readOle2(bytes);
    case 'jpeg':
    case 'png':
    case 'gif':
    case 'bmp':
    case 'tiff':
      return (await ocr()).readImage(bytes, type);
    case 'empty':
      throw new ExtractError('empty-file', 'the file is empty (0 bytes)');
    case 'binary':
      throw new ExtractError('unsupported-format', `${extensionOf(opts.file)} file is binary data of no supported document type`);
    case 'zip': {
      // a Word/Excel file cut short loses the entry list that would have named it: say it is damaged
      const problem = zipProblem(bytes);
      if (problem) throw new ExtractError(problem.code, problem.message);
      throw new ExtractError('unsupported-format', 'a ZIP archive that is not a Word or Excel document is not supported');
    }
  }
}
