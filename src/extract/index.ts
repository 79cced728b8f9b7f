/**
 * Extraction: document bytes → the standard tables of an annual report, checked against the
 * template's consistency rules. Deterministic: the same bytes and EXTRACTOR_VERSION always give
 * the same result, so results are keyed by (sha256, EXTRACTOR_VERSION) downstream.
 */
import { readFile, stat } from 'node:fs/promises';
import { table3Checks, table4Checks } from '../domain/rules.ts';
import { distrustOcrReadings } from '../validate/ocr-trust.ts';
import { detectType } from './detect.ts';
import { ExtractError } from './errors.ts';
import { checkFileSize } from './limits.ts';
import { stripSaverLabels } from '../domain/agency.ts';
import { capMessage, summariseWarnings } from './warnings.ts';
import { normLabel } from './normalize.ts';
import { splitSections } from './match/sections.ts';
import { readTable2 } from './match/table2.ts';
import { readTable3 } from './match/table3.ts';
import { readTable4 } from './match/table4.ts';
import { readAgency } from './match/places.ts';
import { findTitle } from './match/title.ts';
import { logicalRows, tokenize } from './match/tokens.ts';
import { readDocument } from './readers/index.ts';
import type { TemplateName, TemplateVersion } from '../domain/template.ts';
import type { Extraction, ExtractOutput, Warning } from '../domain/report.ts';
import type { DocumentContent, Row } from './types.ts';

export { isReportDocument, mediaTypeOf } from './detect.ts';
export { checkFileSize } from './limits.ts';
export { readAgency } from './match/places.ts';

/**
 * Bump when any change can alter extraction output: stored results of older versions are redone.
 * 5: labels printed apart from their numbers, glued digit runs, canonical agency names, numbers
 *    wrapped inside a narrow PDF cell.
 */
export const EXTRACTOR_VERSION = '5';

export interface ExtractOptions {
  file: string;
  url?: string;
  mediaType?: string;
}

const SIGNALS_2019 = ['新制作数量', '新公开数量', '对外公开总数', '政府集中采购', '上一年项目数量', '采购总金额', '本年增/减'].map(normLabel);
const SIGNALS_2021 = ['制发件数', '废止件数', '现行有效件数', '本年收费金额', '逾期不补正', '缴纳费用', '本年处理决定数量'].map(normLabel);

/** Which template the document follows, from its labels (never from its year). */
export function detectTemplate(text: string): TemplateVersion | null {
  const count = (signals: string[]) => signals.filter((s) => text.includes(s)).length;
  const a = count(SIGNALS_2019);
  const b = count(SIGNALS_2021);
  if (a === b) return null;
  return a > b ? '2019' : '2021';
}

function lineTexts(doc: DocumentContent): string[] {
  return doc.rows.map((r) => r.cells.filter((c) => !c.copy).map((c) => c.text).join('\t'));
}

function failed(file: string, error: string): ExtractOutput {
  return { file, ok: false, error, agency: null, year: null, template: 'unknown', table2: null, table3: null, table4: null, checks: [], warnings: [] };
}

export function extractContent(doc: DocumentContent, opts: ExtractOptions): Extraction {
  const warnings: Warning[] = [...doc.warnings];
  const lines = lineTexts(doc);
  const info = findTitle(lines, doc.meta.title, doc.meta.publishedAt);
  const tokens = tokenize(doc.rows);
  const rows = logicalRows(tokens);
  // each line's folded text, from the tokens (which already folded every cell once)
  const normLines = lines.map(() => '');
  for (const t of tokens) normLines[t.row] += t.norm;
  const fullText = normLines.join('\n');

  let version = detectTemplate(fullText);
  const t3 = readTable3(rows, version, tokens.length);
  if (!version && t3.table) {
    version = 'other.overdue_correction' in t3.table ? '2021' : 'other' in t3.table ? '2019' : null;
  }
  if (!version && info.year !== null && info.year >= 2019 && (t3.table || rows.length > 0)) {
    version = info.year >= 2021 ? '2021' : '2019';
    warnings.push({ code: 'template-guessed', message: `no template labels found; assumed the ${version} template from the report year` });
  }
  const table3Start = t3.table ? rows.findIndex((r) => r.labels.some((l) => l.norm.includes('本年新收'))) : -1;
  const t2 = version ? readTable2(rows, version, table3Start) : { table: null, cells: [], warnings: [] };
  const t4 = readTable4(tokens, t3.table ? t3.endToken : 0);
  warnings.push(...t2.warnings, ...t3.warnings, ...t4.warnings);

  // a report has one of the standard tables, or at least a title naming the year it covers
  const isReport = t2.table !== null || t3.table !== null || t4.table !== null || (info.title !== null && info.yearSource === 'title');
  if (!isReport) {
    throw new ExtractError('not-a-report', 'no annual-report title (年度 + 政府信息公开 + 报告) and none of the standard tables were found');
  }
  if (!t2.table) warnings.push({ code: 'table-missing', message: 'table 2 (主动公开政府信息情况) was not found in the document' });
  if (!t3.table) warnings.push({ code: 'table-missing', message: 'table 3 (收到和处理政府信息公开申请情况) was not found in the document' });
  if (!t4.table) warnings.push({ code: 'table-missing', message: 'table 4 (行政复议、行政诉讼情况) was not found in the document' });
  // pages name their publisher in <meta name="ContentSource">: the agency when the title does not say
  let printedAgency = info.agency;
  const source = doc.meta.contentSource ? stripSaverLabels(doc.meta.contentSource.replace(/\s+/g, '')) : undefined;
  if (!printedAgency && source && source.length >= 2 && source.length <= 40) {
    printedAgency = source;
    warnings.push({ code: 'agency-from-source', message: `the title names no agency; took the page's publisher (ContentSource) "${source}"` });
  }
  // the canonical name: short forms written out, a misprinted place corrected (with a warning)
  const canonical = printedAgency ? readAgency(printedAgency, lines.join('\n')) : null;
  const agency = canonical?.name ?? null;
  if (canonical) warnings.push(...canonical.warnings);
  if (!agency) warnings.push({ code: 'agency-unknown', message: 'the reporting agency could not be read from the title' });
  if (info.year === null) warnings.push({ code: 'year-unknown', message: 'the report year could not be read from the title or the statistics period' });
  else if (info.yearSource !== 'title') warnings.push({ code: 'year-inferred', message: `report year ${info.year} taken from the ${info.yearSource === 'period' ? 'statistics period' : 'publication date'}` });

  // OCR readings the consistency rules put in doubt become null (before the checks are reported)
  warnings.push(...distrustOcrReadings({ table3: t3.table, table4: t4.table }, [...t2.cells, ...t3.cells, ...t4.cells]));
  const checks = [...(t3.table ? table3Checks(t3.table) : []), ...(t4.table ? table4Checks(t4.table) : [])];
  let template: TemplateName = version ?? 'unknown';
  if (!version && info.year !== null && info.year < 2019) template = 'legacy';

  const told = summariseWarnings(warnings);
  const output: ExtractOutput = {
    file: opts.file,
    ok: true,
    error: null,
    agency,
    ...(canonical && canonical.printed !== canonical.name ? { agency_printed: canonical.printed } : {}),
    year: info.year,
    template,
    table2: t2.table,
    table3: t3.table,
    table4: t4.table,
    checks,
    warnings: told.map((w) => `${w.code}: ${w.message}`),
  };
  return {
    output,
    mediaType: doc.mediaType,
    agencyPrinted: canonical?.printed ?? null,
    title: info.title,
    publishedAt: doc.meta.publishedAt ?? null,
    contentSource: doc.meta.contentSource ?? null,
    cells: [...t2.cells, ...t3.cells, ...t4.cells],
    warnings: told,
    sections: splitSections(lines, normLines),
    text: lines.join('\n'),
    ocr: doc.ocr === true,
  };
}

function failedExtraction(file: string, error: string): Extraction {
  return { output: failed(file, capMessage(error)), mediaType: null, agencyPrinted: null, title: null, publishedAt: null, contentSource: null, cells: [], warnings: [], sections: {}, text: '', ocr: false };
}

/** Never throws for bad input: a document that cannot be read gives ok=false and "code: sentence". */
export async function extractBytes(bytes: Uint8Array, opts: ExtractOptions): Promise<Extraction> {
  return extractPage(bytes, [], opts);
}

/** An image shown on a report page, fetched: the page's tables may be pictures of tables. */
export interface PageImage {
  url: string;
  bytes: Uint8Array;
}

const IMAGE_TYPES = new Set(['jpeg', 'png', 'gif', 'bmp', 'tiff']);

/** The absolute URL an image's src names on a page (no fragment), or null. */
export function imageUrl(src: string, pageUrl: string | undefined): string | null {
  try {
    const url = new URL(src, pageUrl);
    url.hash = '';
    return url.href;
  } catch {
    return null;
  }
}

/**
 * A report page read together with its images: each image is read (OCR) where the page shows it
 * and its rows are marked with its URL, so every value names the document it came from. An image
 * that cannot be read is a warning and the page is read without it. Never throws for bad input.
 */
export async function extractPage(bytes: Uint8Array, images: PageImage[], opts: ExtractOptions): Promise<Extraction> {
  try {
    const doc = await readDocument(bytes, { file: opts.file, ...(opts.mediaType ? { mediaType: opts.mediaType } : {}) });
    const byUrl = new Map(images.map((i) => [i.url, i.bytes]));
    const rows: Row[] = [];
    const warnings: Warning[] = [...doc.warnings];
    let ocr = doc.ocr === true;
    for (const row of doc.rows) {
      const url = row.image === undefined ? null : imageUrl(row.image, opts.url);
      const image = url ? byUrl.get(url) : undefined;
      if (row.image === undefined || !url || !image) {
        if (row.cells.length > 0) rows.push(row);
        continue;
      }
      const type = detectType(image, url);
      if (!IMAGE_TYPES.has(type)) {
        // an error page or a redirect to a login served where the picture should be
        warnings.push({ code: 'image-unreadable', message: `${url}: the bytes are ${type}, not an image` });
        continue;
      }
      try {
        const part = await readDocument(image, { file: url });
        rows.push(...part.rows.map((r) => ({ ...r, source: url })));
        for (const w of part.warnings) if (!warnings.some((x) => x.code === w.code && x.message === w.message)) warnings.push(w);
        ocr ||= part.ocr === true;
      } catch (err) {
        const why = err instanceof ExtractError ? err.message : String((err as Error).message ?? err);
        warnings.push({ code: 'image-unreadable', message: `${url}: ${why}` });
      }
    }
    return extractContent({ ...doc, rows, warnings, ocr }, opts);
  } catch (err) {
    return failedExtraction(opts.file, err instanceof ExtractError ? err.message : `extract-failed: ${(err as Error).message ?? String(err)}`);
  }
}

export async function extractFile(path: string): Promise<Extraction> {
  let bytes: Buffer;
  try {
    // a file too large to read is refused before it is read
    checkFileSize((await stat(path)).size);
    bytes = await readFile(path);
  } catch (err) {
    if (err instanceof ExtractError) return failedExtraction(path, err.message);
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : `it cannot be read (${code ?? 'error'})`;
    return failedExtraction(path, `unreadable-file: ${path}: ${why}`);
  }
  return extractBytes(bytes, { file: path });
}
