/**
 * Generates the document fixtures in test/fixtures/documents/ from the seed reports' hand-read
 * values (test/fixtures/seeds/*.expected.json, or --seeds DIR): the same report rendered as
 * HTML, then turned into DOCX, DOC, WPS (a Word-format .wps), XLSX, XLS and a text PDF by
 * LibreOffice headless, a scanned (image-only) PDF from pdftoppm page images, and a photo-like PNG
 * (rotated, blurred, noisy) by ImageMagick; and the HTML fixtures as a browser prints them to PDF
 * (Chromium). Each fixture gets a `.expected.json` with the values it must extract to.
 * Run: node bin/run-ts.js scripts/make-fixtures.ts [--only office|printed]
 * Needs Debian: libreoffice-writer-nogui, libreoffice-calc-nogui, poppler-utils, imagemagick, qpdf,
 * fonts-wqy-zenhei, chromium.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as cheerio from 'cheerio';
import type { TableName } from '../src/domain/report.ts';
import { renderReportHtml, type ReportValues } from '../testkit/reports/report-html.ts';

const root = path.resolve(import.meta.dirname, '..');
const seedsArg = process.argv.indexOf('--seeds');
const seeds = seedsArg > 0 ? process.argv[seedsArg + 1]! : path.join(root, 'test/fixtures/seeds');
const onlyArg = process.argv.indexOf('--only');
const part = onlyArg > 0 ? process.argv[onlyArg + 1] : undefined;
const outDir = path.join(root, 'test/fixtures/documents');
const work = mkdtempSync(path.join(tmpdir(), 'ogi-fixtures-'));

function seed(id: string): ReportValues {
  const file = readdirSync(seeds).find((f) => f.startsWith(id) && f.endsWith('.expected.json'));
  if (!file) throw new Error(`seed ${id} not found in ${seeds}`);
  const { notes: _notes, ...values } = JSON.parse(readFileSync(path.join(seeds, file), 'utf8')) as ReportValues & { notes?: string };
  return values;
}

/** The report as a plain document (what a Word attachment holds): title, prose and the tables. */
function documentHtml(v: ReportValues, opts: { only?: TableName[]; fontPt?: number } = {}): string {
  const $ = cheerio.load(renderReportHtml(v));
  const title = $('h1').first().text();
  const tables = $('#zoom table');
  (['table2', 'table3', 'table4'] as const).forEach((name, i) => {
    if (!opts.only || opts.only.includes(name)) return;
    tables.eq(i).prev('p').remove();
    tables.eq(i).remove();
  });
  const font = opts.fontPt ? `;font-size:${opts.fontPt}pt` : '';
  $('#zoom table').attr('style', 'border-collapse:collapse').find('td').attr('style', `border:1px solid #000;padding:2px${font}`);
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head><body>
<h1 style="text-align:center;font-size:16pt;font-weight:normal">${title}</h1>
${$('#zoom').html()}
</body></html>`;
}

function soffice(input: string, to: string, filter?: string): string {
  const out = path.join(work, 'out');
  execFileSync(
    'soffice',
    [
      '--headless', '--norestore', `-env:UserInstallation=file://${path.join(work, 'profile')}`,
      ...(filter ? [`--infilter=${filter}`] : []),
      '--convert-to', to, '--outdir', out, input,
    ],
    { stdio: 'ignore', env: { ...process.env, HOME: work }, timeout: 120_000 },
  );
  const ext = to.split(':')[0]!;
  return path.join(out, `${path.basename(input).replace(/\.[^.]+$/, '')}.${ext}`);
}

function writeHtml(name: string, html: string): string {
  const file = path.join(work, `${name}.html`);
  writeFileSync(file, html);
  return file;
}

function save(name: string, from: string, expected: object): void {
  writeFileSync(path.join(outDir, name), readFileSync(from));
  writeFileSync(path.join(outDir, `${name}.expected.json`), `${JSON.stringify(expected, null, 2)}\n`);
  console.log(`${name}\t${readFileSync(from).length} bytes`);
}

/** A PDF whose pages are JPEG images and nothing else: what a scanner produces. */
function imagePdf(jpegs: Buffer[], widthPt: number, heightPt: number): Buffer {
  const objects: Buffer[] = [];
  const add = (body: Buffer | string): number => {
    objects.push(typeof body === 'string' ? Buffer.from(body, 'latin1') : body);
    return objects.length;
  };
  const pageIds: number[] = [];
  const pagesId = jpegs.length * 3 + 1;
  jpegs.forEach((jpeg, i) => {
    const { width, height } = jpegSize(jpeg);
    const image = add(Buffer.concat([
      Buffer.from(`<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode /Length ${jpeg.length} >>\nstream\n`, 'latin1'),
      jpeg,
      Buffer.from('\nendstream', 'latin1'),
    ]));
    const draw = `q ${widthPt} 0 0 ${heightPt} 0 0 cm /Im${i} Do Q`;
    const content = add(`<< /Length ${draw.length} >>\nstream\n${draw}\nendstream`);
    pageIds.push(add(`<< /Type /Page /Parent ${pagesId} 0 R /MediaBox [0 0 ${widthPt} ${heightPt}] /Resources << /XObject << /Im${i} ${image} 0 R >> >> /Contents ${content} 0 R >>`));
  });
  add(`<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pageIds.length} >>`);
  const catalog = add(`<< /Type /Catalog /Pages ${pagesId} 0 R >>`);
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  const offsets: number[] = [];
  let length = parts[0]!.length;
  objects.forEach((body, i) => {
    offsets.push(length);
    const obj = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`, 'latin1'), body, Buffer.from('\nendobj\n', 'latin1')]);
    parts.push(obj);
    length += obj.length;
  });
  const xref = [`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`, ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)].join('');
  parts.push(Buffer.from(`${xref}trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R >>\nstartxref\n${length}\n%%EOF\n`, 'latin1'));
  return Buffer.concat(parts);
}

function jpegSize(jpeg: Buffer): { width: number; height: number } {
  let p = 2;
  while (p < jpeg.length) {
    const marker = jpeg[p + 1]!;
    const size = jpeg.readUInt16BE(p + 2);
    if (marker >= 0xc0 && marker <= 0xc2) return { height: jpeg.readUInt16BE(p + 5), width: jpeg.readUInt16BE(p + 7) };
    p += 2 + size;
  }
  throw new Error('no JPEG frame header');
}

function expectedOf(v: ReportValues, only?: TableName[]): object {
  if (!only) return v;
  return { ...v, table2: only.includes('table2') ? v.table2 : null, table3: only.includes('table3') ? v.table3 : null, table4: only.includes('table4') ? v.table4 : null };
}

/**
 * An HTML fixture as Chromium prints it to PDF, with page CSS added. A browser sets bold CJK one
 * glyph per text run, each with its own size, and keeps cell padding small, so header words of
 * neighbouring cells nearly touch and a label filling its cell runs into the next cell's number.
 */
function printed(name: string, css: string, as: string): void {
  const source = path.join(root, 'test/fixtures/html', name);
  const html = readFileSync(`${source}.html`, 'latin1').replace(/<head>/i, `<head><style>${css}</style>`);
  const input = path.join(work, `${as}.html`);
  writeFileSync(input, html, 'latin1');
  const pdf = path.join(work, as);
  execFileSync('chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--no-pdf-header-footer', `--print-to-pdf=${pdf}`, input], {
    stdio: 'ignore',
    env: { ...process.env, HOME: work },
    timeout: 120_000,
  });
  save(as, pdf, JSON.parse(readFileSync(`${source}.expected.json`, 'utf8')));
}

mkdirSync(outDir, { recursive: true });
try {
  if (part === undefined || part === 'printed') {
    // large print: the title's glyphs are runs of different sizes; a group label's halves are level
    // with the last lines of wrapped row labels ("（五）不" beside "版物")
    printed('trs-2019', '@page{size:A4} body,td{font-size:20px !important}', 'printed-2019.pdf');
    // A5: "再处理其政府信息公开申请", the end of row 2's label, is nearer row 3 ("3.其他") than row 2
    printed('jcms-2021-split-numbers', '@page{size:A5} body{font-size:12px}', 'printed-2021.pdf');
    // "规范性文件（含行政规范性文件） １２": a label and the next cell's number in one run
    printed('variants-2019', '@page{size:A4}', 'printed-variants-2019.pdf');
    // landscape, left-aligned cells 3 pt apart, a blank cell in table 4: its column is read off
    // the header words ("结果 结果 其他 尚未" over "维持 纠正 结果 审结")
    printed('blanks-2019', '@page{size:A4 landscape}', 'printed-blanks-2019.pdf');
  }
  if (part === undefined || part === 'office') {
    // DOCX and a born-digital PDF of the same 2021-format report
    const haining = seed('002');
    const hainingDocx = soffice(writeHtml('report-2021', documentHtml(haining)), 'docx:MS Word 2007 XML', 'HTML (StarWriter)');
    save('report-2021.docx', hainingDocx, expectedOf(haining));
    save('report-2021.pdf', soffice(hainingDocx, 'pdf:writer_pdf_Export'), expectedOf(haining));

    // legacy Word (.doc) of a 2019-format report, and a Word-format .wps of a 2021 one
    const baibu = seed('001');
    const baibuDoc = soffice(writeHtml('report-2019', documentHtml(baibu)), 'doc:MS Word 97', 'HTML (StarWriter)');
    save('report-2019.doc', baibuDoc, expectedOf(baibu));
    // the same Word document printed to PDF: row labels wrap in narrow columns, the next row's
    // numbered label ("4.无正当理由大量反") right under the last line of the one before ("物")
    save('report-2019.pdf', soffice(baibuDoc, 'pdf:writer_pdf_Export'), expectedOf(baibu));

    // a PDF whose tables have blank cells (the blanks HTML fixture printed): blank cells print
    // nothing, so the numbers' columns must be read off the header and the fuller rows
    const blanks = path.join(root, 'test/fixtures/html/blanks-2019');
    save('blanks-2019.pdf', soffice(`${blanks}.html`, 'pdf:writer_pdf_Export'), JSON.parse(readFileSync(`${blanks}.expected.json`, 'utf8')));
    const cangtai = seed('003');
    save('report-2021.wps', soffice(writeHtml('report-2021-wps', documentHtml(cangtai)), 'doc:MS Word 97', 'HTML (StarWriter)'), expectedOf(cangtai));

    // spreadsheets: the tables as Calc reads them from HTML (merges kept)
    const haiyan = seed('004');
    save('report-2019.xlsx', soffice(writeHtml('report-2019-xlsx', documentHtml(haiyan)), 'xlsx:Calc MS Excel 2007 XML', 'HTML (StarCalc)'), expectedOf(haiyan));
    save('report-2021.xls', soffice(writeHtml('report-2021-xls', documentHtml(cangtai)), 'xls:MS Excel 97', 'HTML (StarCalc)'), expectedOf(cangtai));

    // a PDF that needs a password to open (qpdf, AES-256): must give pdf-encrypted, not a crash
    mkdirSync(path.join(outDir, 'malformed'), { recursive: true });
    execFileSync('qpdf', ['--encrypt', 'user-secret', 'owner-secret', '256', '--', path.join(outDir, 'report-2021.pdf'), path.join(outDir, 'malformed/encrypted.pdf')]);
    console.log('malformed/encrypted.pdf');

    // the 2021 PDF with its content drawn sideways and /Rotate turning the pages upright, as PDFs
    // with landscape tables often are: read as displayed, not as drawn
    const sideways = path.join(work, 'sideways.pdf');
    execFileSync('qpdf', ['--rotate=+90', path.join(outDir, 'report-2021.pdf'), path.join(work, 'turned.pdf')]);
    execFileSync('qpdf', ['--flatten-rotation', path.join(work, 'turned.pdf'), sideways]);
    execFileSync('qpdf', ['--rotate=-90', sideways, path.join(work, 'rotated-2021.pdf')]);
    save('rotated-2021.pdf', path.join(work, 'rotated-2021.pdf'), expectedOf(haining));

    // a scan: the 2019-format report printed to PDF, rasterised at 300 dpi, bound as JPEG pages
    const haiyanPdf = soffice(soffice(writeHtml('scan-2019', documentHtml(haiyan)), 'docx:MS Word 2007 XML', 'HTML (StarWriter)'), 'pdf:writer_pdf_Export');
    const scanDir = path.join(work, 'scan');
    mkdirSync(scanDir);
    execFileSync('pdftoppm', ['-r', '200', '-gray', '-png', haiyanPdf, path.join(scanDir, 'p')]);
    // pdftoppm writes RGB JPEGs even with -gray; ImageMagick makes real 8-bit grey ones
    const jpegs = readdirSync(scanDir).sort().map((f) => {
      const jpeg = path.join(scanDir, f.replace(/\.png$/, '.jpg'));
      execFileSync('convert', [path.join(scanDir, f), '-colorspace', 'Gray', '-type', 'Grayscale', '-quality', '70', jpeg]);
      return readFileSync(jpeg);
    });
    const scanned = path.join(work, 'scanned-2019.pdf');
    writeFileSync(scanned, imagePdf(jpegs, 595.3, 841.9));
    save('scanned-2019.pdf', scanned, expectedOf(haiyan));

    // a photo of a printed table page: title and table 3 only (small print, so it fits the page),
    // slightly rotated, blurred and noisy
    const photoPdf = soffice(soffice(writeHtml('photo-2021', documentHtml(haining, { only: ['table3'], fontPt: 8 })), 'docx:MS Word 2007 XML', 'HTML (StarWriter)'), 'pdf:writer_pdf_Export');
    execFileSync('pdftoppm', ['-r', '300', '-gray', '-png', '-singlefile', photoPdf, path.join(work, 'photo')]);
    const photo = path.join(work, 'photo-2021.png');
    execFileSync('convert', [
      path.join(work, 'photo.png'), '-trim', '-bordercolor', 'white', '-border', '60',
      '-rotate', '0.3', '-background', 'white', '-flatten',
      '-fill', 'rgb(236,232,222)', '-tint', '100', '-attenuate', '0.15', '+noise', 'Gaussian', '-blur', '0x0.6',
      '-colorspace', 'Gray', '-depth', '8', '-quality', '95', photo,
    ]);
    save('photo-2021.png', photo, expectedOf(haining, ['table3']));
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
