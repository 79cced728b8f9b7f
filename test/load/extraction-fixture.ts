/**
 * Hand-built extractions for database tests: every cell of a template filled with a
 * deterministic value, so tests can check each stored cell without running the extractor.
 */
import { createHash } from 'node:crypto';
import { APPLICANTS, TABLE2, TABLE4_GROUPS, TABLE4_OUTCOMES, table3Rows } from '../../src/domain/template.ts';
import type { TemplateVersion } from '../../src/domain/template.ts';
import type { CellValue, Extraction, Table } from '../../src/domain/report.ts';
import type { LoadInput } from '../../src/load/index.ts';

export interface FixtureOptions {
  agency?: string | null;
  year?: number | null;
  template?: TemplateVersion;
  /** added to every value, so two fixtures differ in content */
  offset?: number;
  text?: string;
}

export function makeExtraction(opts: FixtureOptions = {}): Extraction {
  const template = opts.template ?? '2021';
  const offset = opts.offset ?? 0;
  const cells: CellValue[] = [];
  let n = 0;
  const fill = (table: CellValue['table'], rows: string[], cols: (row: string) => string[]): Table => {
    const out: Table = {};
    for (const row of rows) {
      out[row] = {};
      for (const col of cols(row)) {
        const value = (n++ % 50) + offset;
        out[row][col] = value;
        cells.push({ table, row, col, value, raw: String(value) });
      }
    }
    return out;
  };
  const t2rows = TABLE2[template];
  const table2 = fill('table2', t2rows.map((r) => r.code), (row) => t2rows.find((r) => r.code === row)?.columns.map((c) => c.code) ?? []);
  const table3 = fill('table3', table3Rows(template).map((r) => r.code), () => APPLICANTS.map((a) => a.code));
  const table4 = fill('table4', TABLE4_GROUPS.map((g) => g.code), () => TABLE4_OUTCOMES.map((o) => o.code));
  const agency = opts.agency === undefined ? '海宁市人民政府' : opts.agency;
  const year = opts.year === undefined ? 2023 : opts.year;
  const text = opts.text ?? `${agency ?? ''}${year ?? ''}年政府信息公开工作年度报告。本年度未收取信息处理费。`;
  return {
    output: {
      file: 'fixture.html',
      ok: true,
      error: null,
      agency,
      year,
      template,
      table2,
      table3,
      table4,
      checks: [
        { rule: 'table3.balance.total', passed: true },
        { rule: 'table4.sum.review', passed: null, detail: 'a needed cell is null' },
      ],
      warnings: ['layout-guessed: columns inferred from spacing'],
    },
    mediaType: 'text/html',
    title: `${agency ?? ''}${year ?? ''}年政府信息公开工作年度报告`,
    publishedAt: '2024-01-20',
    contentSource: agency,
    cells,
    warnings: [{ code: 'layout-guessed', message: 'columns inferred from spacing' }],
    sections: { overview: `${agency ?? ''}坚持以人民为中心。`, other_matters: '本年度未收取信息处理费。' },
    text,
    ocr: false,
  };
}

export function failedExtraction(file = 'broken.pdf'): Extraction {
  return {
    output: {
      file,
      ok: false,
      error: 'not-a-report: the document has none of the report tables',
      agency: null,
      year: null,
      template: 'unknown',
      table2: null,
      table3: null,
      table4: null,
      checks: [],
      warnings: [],
    },
    mediaType: 'application/pdf',
    title: null,
    publishedAt: null,
    contentSource: null,
    cells: [],
    warnings: [],
    sections: {},
    text: '',
    ocr: false,
  };
}

/**
 * load input for an extraction; the document bytes are the extraction's JSON plus a salt. `agency`
 * gives the reporting body's region code and level, as a crawl does from its site.yml.
 */
export function loadInput(extraction: Extraction, salt = '', agency?: LoadInput['agency']): LoadInput {
  const bytes = Buffer.from(JSON.stringify(extraction.output) + salt);
  return {
    ...(agency ? { agency } : {}),
    extraction,
    document: {
      sha256: createHash('sha256').update(bytes).digest('hex'),
      size: bytes.length,
      mediaType: extraction.mediaType,
      sourcePath: `/tmp/${extraction.output.file}`,
      url: `http://127.0.0.1/${extraction.output.file}`,
    },
    extractorVersion: 'test-1',
  };
}
