/**
 * CODEBOOK.md of a snapshot, generated from template.ts (codes and exact labels) and the
 * resource list (files and fields), so it always matches the data it ships with.
 */
import { wideColumnName } from '../../schema/wide.ts';
import { APPLICANTS, SECTIONS, TABLE2, TABLE3_ROWS, TABLE4_GROUPS, TABLE4_OUTCOMES } from '../domain/template.ts';
import type { TemplateVersion } from '../domain/template.ts';
import { RESOURCES } from './resources.ts';

const UNITS: Record<string, string> = { yuan: '元 (yuan)', '10k_yuan': '万元 (10,000 yuan)' };

const cell = (s: string) => s.replaceAll('|', '\\|').replace(/\s+/g, ' ');
const table = (header: string[], rows: string[][]) =>
  [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');

function table2Section(): string {
  const parts = (['2019', '2021'] as TemplateVersion[]).map((v) => {
    const rows = TABLE2[v].flatMap((r) =>
      r.columns.map((c) => [`\`${r.code}\``, r.label, r.item, `\`${c.code}\``, c.label, `${r.en}: ${c.en}`, c.unit ? (UNITS[c.unit] ?? c.unit) : 'count (件/项)', `\`${wideColumnName(r.code, c.code)}\``]),
    );
    return `### ${v} template${v === '2019' ? ' (reports for 2019–2020)' : ' (reports for 2021 on)'}\n\n${table(
      ['row_code', '信息内容', '第二十条', 'col_code', '栏目', 'English', 'unit', 'wide column'],
      rows,
    )}`;
  });
  return `## Table 2 — 二、主动公开政府信息情况 (proactive disclosure)\n\nTidy file: \`table2\` (row_code × col_code). Values are numbers; money columns carry their unit in the code (\`amount_yuan\` 元, \`amount_10k_yuan\` 万元). \`change\` (本年增/减) may be negative.\n\n${parts.join('\n\n')}`;
}

function table3Section(): string {
  const rows = TABLE3_ROWS.map((r) => [`\`${r.code}\``, r.group ?? '', r.label, r.en, r.only ? `${r.only} only` : 'both']);
  const cols = APPLICANTS.map((a) => [`\`${a.code}\``, a.code === 'total' || a.code === 'natural_person' ? a.label : `法人或其他组织 · ${a.label}`, a.en]);
  return `## Table 3 — 三、收到和处理政府信息公开申请情况 (requests received and handled)

Tidy file: \`table3\` (row_code × applicant_code). Values are counts of requests (件). Wide file columns are \`<row>__<applicant>\` with dots in row codes written as \`_\`, e.g. \`withheld_state_secret__natural_person\`.

### Rows

${table(['row_code', 'group', '中文标签 (exact template label)', 'English', 'templates'], rows)}

### Applicant columns

${table(['applicant_code', '中文标签', 'English'], cols)}`;
}

function table4Section(): string {
  return `## Table 4 — 四、政府信息公开行政复议、行政诉讼情况 (administrative review and litigation)

Tidy file: \`table4\` (group_code × outcome_code). Values are counts of cases (件). Same in both templates.

${table(['group_code', '中文标签', 'English'], TABLE4_GROUPS.map((g) => [`\`${g.code}\``, g.label, g.en]))}

${table(['outcome_code', '中文标签', 'English'], TABLE4_OUTCOMES.map((o) => [`\`${o.code}\``, o.label, o.en]))}`;
}

function filesSection(): string {
  return RESOURCES.map((r) => {
    const fields = r.fields.map((f) => [`\`${f.name}\``, f.type, f.zh, f.en + (f.unit ? ` [${UNITS[f.unit] ?? f.unit}]` : '')]);
    // wide tables have hundreds of columns, all listed in the code tables above
    const shown = r.name.endsWith('_wide') ? fields.slice(0, 6) : fields;
    const more = r.name.endsWith('_wide') ? `\n\n…then one column per cell code (${fields.length - 6} columns), as listed in the code tables.` : '';
    const keys = r.primaryKey ? `Primary key: ${r.primaryKey.map((k) => `\`${k}\``).join(', ')}. ` : '';
    return `### \`${r.name}\` — ${r.zh}\n\n${r.en}. Files: \`csv/${r.name}.csv\`, \`parquet/${r.name}.parquet\`. ${keys}\n\n${table(['field', 'type', '说明', 'description'], shown)}${more}`;
  }).join('\n\n');
}

export function codebookMarkdown(snapshot: string): string {
  return `# ogi dataset codebook — snapshot ${snapshot}

Normalised data from China's government information-disclosure annual reports (政府信息公开工作年度报告),
tables 2, 3 and 4 of the official templates (国办公开办函〔2019〕60号 and 〔2021〕30号), with provenance.
This codebook is generated from the code that extracts the data; every code below is exactly what the files contain.

## How to read the values

- **Empty (NULL) is not 0.** A value is empty when the document leaves the cell blank or it could not be read.
  A printed 0, a dash (—, -) or 无 is stored as 0; a slash (/) or 不适用 (not applicable) is empty. The text as printed is kept in
  \`raw_text\` of the tidy tables, so you can decide how to treat blanks yourself.
- **One report per agency and year, in versions.** \`reports\` has one row per loaded document. When an agency publishes
  a changed document for a year, it becomes \`version\` n+1 and \`is_current\` moves to it; older versions are kept.
  For one value per agency and year, filter \`is_current = true\`. Failed extractions are rows with \`ok = false\`,
  an \`error\` ("code: sentence") and no values. A document whose agency or year could not be read is
  **unidentified**: its \`reports\` row has \`ok = true\`, no \`version\`, \`is_current = false\` and a
  \`report-unidentified\` warning in \`issues\`; its values are left out of the table files until it is identified.
- **Labels.** The tidy tables carry the template's Chinese label of each code beside it (\`row_label\`,
  \`applicant_label\`, …), exactly as listed in the code tables below.
- **Year** is the year the report covers, not the publication year.
- **Template** is detected from the table labels, not the year: \`2019\` (本年新制作数量, 政府集中采购, one 其他处理 row) or
  \`2021\` (本年制发件数, 其他处理 in three rows). Codes that a template does not have are absent (tidy) or empty (wide).
- **Units**: counts are 件/项. \`amount_yuan\` is in 元; \`amount_10k_yuan\` (本年收费金额) is in 万元 and may have decimals.
- **Booleans** are \`true\`/\`false\` in CSV and BOOLEAN in Parquet.
- CSV files are UTF-8 (with a byte order mark when exported with \`--excel\`), comma-separated, RFC 4180 quoting, CRLF line ends.

${table2Section()}

${table3Section()}

${table4Section()}

## Report text sections

The SQLite file holds the report text in \`report_texts\` (one row per section, plus \`full\` for the whole text),
indexed for full-text search in \`report_texts_fts\` (FTS5, trigram tokenizer: substrings of 3+ characters).

${table(['section_code', '中文标题'], SECTIONS.map((s) => [`\`${s.code}\``, s.label]))}

## Consistency rules (勾稽关系) in \`checks\`

Every rule is evaluated for every report; \`passed\` is empty when a needed cell is empty.

${table(
    ['rule', 'equation', 'source'],
    [
      ['`table3.balance.<applicant>`', 'new_received + carried_over = total + carried_forward (一 + 二 = 三（七）总计 + 四)', 'printed in table 3 itself'],
      ['`table3.outcomes.<applicant>`', 'total = granted + partially_granted + Σ withheld.* + Σ unavailable.* + Σ not_processed.* + other (2019) or Σ other.* (2021)', 'implied by the template'],
      ['`table3.applicants.<row>`', 'natural_person + commercial_enterprise + research_institution + social_welfare_org + legal_service_org + other_org = total', 'implied by the template'],
      ['`table4.sum.<group>`', 'upheld + corrected + other + pending = total, for review, litigation_direct, litigation_after_review', 'implied by the template'],
    ],
  )}

Across years (not stored as checks; see the \`carryover_mismatch\` query): this year's \`carried_over\` should equal last
year's \`carried_forward\`.

## Files and fields

${filesSection()}
`;
}
