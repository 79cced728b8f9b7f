/**
 * Bytes → DocumentContent, by what the bytes are (magic numbers), not by the file name.
 */
import { decodeBody } from '../../util/charset.ts';
import { detectType } from '../detect.ts';
import { ExtractError } from '../errors.ts';
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

export async function readDocument(bytes: Uint8Array, opts: ReadOptions): Promise<DocumentContent> {
  const type = detectType(bytes, opts.file);
  switch (type) {
    case 'html':
      return readHtml(decodeBody(bytes));
    case 'text':
      return readText(decodeBody(bytes));
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
