/**
 * What a snapshot publishes: every table as a resource with typed, described fields. One list
 * drives the CSV and Parquet writers, the Frictionless Table Schemas, the codebook and the
 * Datasette metadata, so they cannot disagree.
 */
import { CELL_TABLES, wideColumns } from '../../schema/wide.ts';
import { APPLICANTS, TABLE2, TABLE4_GROUPS, TABLE4_OUTCOMES, table3Rows } from '../domain/template.ts';
import type { TemplateVersion } from '../domain/template.ts';
import type { TableName } from '../domain/report.ts';

export type FieldType = 'integer' | 'number' | 'string' | 'boolean';

export interface Field {
  name: string;
  type: FieldType;
  zh: string;
  en: string;
  /** Parquet INT64 instead of INT32 (values that may exceed 2^31) */
  int64?: boolean;
  /** e.g. yuan, 10k_yuan */
  unit?: string;
}

export interface ForeignKey {
  fields: string[];
  reference: { resource: string; fields: string[] };
}

export interface Resource {
  name: string;
  zh: string;
  en: string;
  /** the SELECT whose columns are exactly `fields`, in order */
  sql: string;
  fields: Field[];
  primaryKey?: string[];
  foreignKeys?: ForeignKey[];
}

const f = (name: string, type: FieldType, zh: string, en: string, extra: Partial<Field> = {}): Field => ({ name, type, zh, en, ...extra });

const REPORT_FK: ForeignKey = { fields: ['report_id'], reference: { resource: 'reports', fields: ['id'] } };
const DOCUMENT_FK: ForeignKey = { fields: ['document_id'], reference: { resource: 'documents', fields: ['id'] } };

const CELL_PROVENANCE: Field[] = [
  f('raw_text', 'string', '表格中印刷的原文', 'the cell text as printed; kept when value is empty'),
  f('confidence', 'number', 'OCR 识别置信度（0–100）', 'OCR confidence (0–100) when the value was read by OCR'),
  f('document_id', 'integer', '来源文件编号', 'document the value was read from (documents.id)'),
];

const TIDY: Record<TableName, {
  zh: string; en: string; rowZh: string; rowEn: string; colZh: string; colEn: string;
  rowLabelZh: string; rowLabelEn: string; colLabelZh: string; colLabelEn: string; value: FieldType;
}> = {
  table2: {
    zh: '二、主动公开政府信息情况（长表）',
    en: 'Table 2, proactive disclosure: one row per cell',
    rowZh: '信息内容代码', rowEn: 'item code (regulations, licensing, ...)',
    colZh: '栏目代码', colEn: 'column code (issued, decisions, amount_10k_yuan, ...)',
    rowLabelZh: '信息内容（模板中文标签）', rowLabelEn: 'Chinese label of the item',
    colLabelZh: '栏目（模板中文标签）', colLabelEn: 'Chinese label of the column',
    value: 'number',
  },
  table3: {
    zh: '三、收到和处理政府信息公开申请情况（长表）',
    en: 'Table 3, requests received and handled: one row per cell',
    rowZh: '申请及办理结果代码', rowEn: 'request/outcome row code (new_received, withheld.state_secret, ...)',
    colZh: '申请人类型代码', colEn: 'applicant column code (natural_person, ..., total)',
    rowLabelZh: '申请及办理结果（模板中文标签）', rowLabelEn: 'Chinese label of the request/outcome row (with its group)',
    colLabelZh: '申请人类型（模板中文标签）', colLabelEn: 'Chinese label of the applicant column',
    value: 'integer',
  },
  table4: {
    zh: '四、政府信息公开行政复议、行政诉讼情况（长表）',
    en: 'Table 4, administrative review and litigation: one row per cell',
    rowZh: '复议/诉讼类别代码', rowEn: 'group code (review, litigation_direct, litigation_after_review)',
    colZh: '结果代码', colEn: 'outcome code (upheld, corrected, other, pending, total)',
    rowLabelZh: '复议/诉讼类别（模板中文标签）', rowLabelEn: 'Chinese label of the group',
    colLabelZh: '结果（模板中文标签）', colLabelEn: 'Chinese label of the outcome',
    value: 'integer',
  },
};

/** the label field beside a code field: row_code → row_label */
const labelOf = (codeField: string) => codeField.replace(/_code$/, '_label');

const VERSIONS: TemplateVersion[] = ['2019', '2021'];
const sqlString = (v: string) => `'${v.replaceAll("'", "''")}'`;

/** the template's Chinese labels of every cell code of a table, per template version (table 2's differ) */
function templateLabels(table: TableName): { template: TemplateVersion; row: string; col: string; rowZh: string; colZh: string }[] {
  return VERSIONS.flatMap((template) => {
    if (table === 'table2') return TABLE2[template].flatMap((r) => r.columns.map((c) => ({ template, row: r.code, col: c.code, rowZh: r.label, colZh: c.label })));
    if (table === 'table3') {
      return table3Rows(template).flatMap((r) => APPLICANTS.map((a) => ({ template, row: r.code, col: a.code, rowZh: `${r.group ? `${r.group} ` : ''}${r.label}`, colZh: a.label })));
    }
    return TABLE4_GROUPS.flatMap((g) => TABLE4_OUTCOMES.map((o) => ({ template, row: g.code, col: o.code, rowZh: g.label, colZh: o.label })));
  });
}

/**
 * Cells of identified reports only: an unidentified report (agency or year unread: ok, but no
 * version) keeps its cells in the database but is not data until it is identified. Each code
 * gets its label as printed in the report's template (src/domain/template.ts); reports of no
 * known template (legacy, unknown) take the 2021 label, else the 2019 one.
 */
function tidyResource(table: TableName): Resource {
  const t = TIDY[table];
  const { cells, row, col } = CELL_TABLES[table];
  const values = templateLabels(table).map((l) => `(${[l.template, l.row, l.col, l.rowZh, l.colZh].map(sqlString).join(', ')})`);
  const labelJoin = (alias: string, template: string) =>
    `LEFT JOIN labels ${alias} ON ${alias}.template = ${template} AND ${alias}.row_code = c.${row} AND ${alias}.col_code = c.${col}`;
  return {
    name: table,
    zh: t.zh,
    en: t.en,
    sql: `WITH labels(template, row_code, col_code, row_label, col_label) AS (VALUES ${values.join(', ')})
          SELECT c.report_id, c.${row}, coalesce(k.row_label, k19.row_label) AS ${labelOf(row)},
            c.${col}, coalesce(k.col_label, k19.col_label) AS ${labelOf(col)},
            c.value, c.raw_text, c.confidence, c.document_id
          FROM ${cells} c
          JOIN reports r ON r.id = c.report_id
          ${labelJoin('k', "CASE r.template WHEN '2019' THEN '2019' ELSE '2021' END")}
          ${labelJoin('k19', "'2019'")}
          WHERE r.version IS NOT NULL
          ORDER BY c.report_id, c.rowid`,
    fields: [
      f('report_id', 'integer', '报告编号', 'report (reports.id)'),
      f(row, 'string', t.rowZh, t.rowEn),
      f(labelOf(row), 'string', t.rowLabelZh, `${t.rowLabelEn}, as printed in the report's template (see CODEBOOK.md)`),
      f(col, 'string', t.colZh, t.colEn),
      f(labelOf(col), 'string', t.colLabelZh, `${t.colLabelEn}, as printed in the report's template (see CODEBOOK.md)`),
      f('value', t.value, '数值；空白或无法识别为空（不是 0）', 'the value; empty when the cell is blank or unreadable (never a guessed 0)'),
      ...CELL_PROVENANCE,
    ],
    primaryKey: ['report_id', row, col],
    foreignKeys: [REPORT_FK, DOCUMENT_FK],
  };
}

function wideResource(table: TableName): Resource {
  const columns = wideColumns(table);
  const t = TIDY[table];
  return {
    name: `${table}_wide`,
    zh: t.zh.replace('（长表）', '（宽表：每份报告一行）'),
    en: t.en.replace('one row per cell', 'one row per report, one column per cell code'),
    // identified reports only (see tidyResource)
    sql: `SELECT * FROM ${table}_wide WHERE version IS NOT NULL ORDER BY report_id`,
    fields: [
      f('report_id', 'integer', '报告编号', 'report (reports.id)'),
      f('agency', 'string', '报告机关', 'reporting agency'),
      f('year', 'integer', '报告年度', 'year the report covers'),
      f('template', 'string', '模板版本', 'template version (2019, 2021)'),
      f('version', 'integer', '报告版本号', 'version of the report (1, 2, ...)'),
      f('is_current', 'boolean', '是否为当前版本', 'true for the latest version of the agency\'s report for the year'),
      ...columns.map((c) =>
        f(c.name, t.value, c.zh, `${c.en}${c.templates.length === 1 ? ` (${c.templates[0]} template only)` : ''}`, c.unit ? { unit: c.unit } : {}),
      ),
    ],
    primaryKey: ['report_id'],
    foreignKeys: [REPORT_FK],
  };
}

export const RESOURCES: Resource[] = [
  {
    name: 'agencies',
    zh: '报告机关',
    en: 'Reporting agencies',
    sql: 'SELECT id, name, region_code, level FROM agencies ORDER BY id',
    fields: [
      f('id', 'integer', '机关编号', 'agency id'),
      f('name', 'string', '机关名称（规范名称：去除转存标签、规范简称展开、一字之差的地名按 GB/T 2260 更正；所印名称见 reports.agency_printed）', "agency's canonical name: page savers' labels dropped, official short forms written out, a place name one character off its GB/T 2260 name corrected (the name each document prints is reports.agency_printed)"),
      f('region_code', 'string', '行政区划代码（GB/T 2260，见 regions）；在县级门户发布报告的乡镇、部门取该县的代码', "administrative division code (GB/T 2260, regions.code), when known: a township or department whose report is published on a county portal has the county's code"),
      f('level', 'string', '层级', 'province, city, county, township or department, when known'),
    ],
    primaryKey: ['id'],
  },
  {
    name: 'regions',
    zh: '行政区划（GB/T 2260）',
    en: 'Gazetteer: administrative divisions (GB/T 2260) — a province, its cities and county-level units',
    sql: 'SELECT code, name, level, kind, parent_code, valid_from, valid_to, note FROM regions ORDER BY code',
    fields: [
      f('code', 'string', '行政区划代码（GB/T 2260）', 'administrative division code (GB/T 2260, 2024 codes; abolished ones for older years)'),
      f('name', 'string', '行政区划名称', 'official name'),
      f('level', 'string', '层级：province（省）、city（地级市）、county（县级）', 'province, city or county (county-level: district, county, county-level city)'),
      f('kind', 'string', '类别：省、地级市、市辖区、县、县级市、自治县', 'kind: 省, 地级市, 市辖区 (district), 县 (county), 县级市 (county-level city), 自治县 (autonomous county)'),
      f('parent_code', 'string', '上级行政区划代码', 'code of the division it belongs to; empty for a province'),
      f('valid_from', 'integer', '起始报告年度（此后设立的为设立年度）', 'first report year the division exists for; empty when it existed throughout'),
      f('valid_to', 'integer', '最后报告年度（已撤销的区划）', 'last report year of an abolished division; empty when it still exists'),
      f('note', 'string', '备注', 'note (when it was set up or abolished)'),
    ],
    primaryKey: ['code'],
    foreignKeys: [{ fields: ['parent_code'], reference: { resource: 'regions', fields: ['code'] } }],
  },
  {
    name: 'county_coverage',
    zh: '县级单位年度报告覆盖情况（县级单位 × 年度）',
    en: 'County coverage: for each county-level unit and report year, whether the dataset holds a report',
    // the county_coverage view (migration 0008)
    sql: 'SELECT year, code, name, city_code, city, has_report, reports, county_government FROM county_coverage ORDER BY year, code',
    fields: [
      f('year', 'integer', '报告年度', 'report year (every year with a current report attached to a region of the gazetteer)'),
      f('code', 'string', '县级行政区划代码', 'code of the county-level unit (regions.code)'),
      f('name', 'string', '县级单位名称', 'name of the county-level unit'),
      f('city_code', 'string', '所属地级市代码', 'code of its city (regions.code)'),
      f('city', 'string', '所属地级市', 'name of its city'),
      f('has_report', 'boolean', '是否有当年报告（县政府或在县级门户发布的乡镇、部门）', "true when the dataset holds a current, successfully read report for the year attached to the unit: its government's, or a township's or department's published on its portal"),
      f('reports', 'integer', '当年报告数', 'number of such reports'),
      f('county_government', 'boolean', '是否有县级政府本级报告', "true when the county-level government's own report (agency level county) is among them"),
    ],
    primaryKey: ['year', 'code'],
    foreignKeys: [
      { fields: ['code'], reference: { resource: 'regions', fields: ['code'] } },
      { fields: ['city_code'], reference: { resource: 'regions', fields: ['code'] } },
    ],
  },
  {
    name: 'documents',
    zh: '来源文件',
    en: 'Source documents (one row per distinct file content)',
    sql: 'SELECT id, sha256, url, media_type, size, first_seen, last_seen FROM documents ORDER BY id',
    fields: [
      f('id', 'integer', '文件编号', 'document id'),
      f('sha256', 'string', '文件内容的 SHA-256', 'SHA-256 of the file bytes'),
      f('url', 'string', '来源网址', 'where the document was found'),
      f('media_type', 'string', '文件类型', 'media type, e.g. text/html, application/pdf'),
      f('size', 'integer', '文件大小（字节）', 'size in bytes', { int64: true }),
      f('first_seen', 'string', '首次发现时间（UTC）', 'first time these bytes were seen (ISO 8601, UTC)'),
      f('last_seen', 'string', '最近发现时间（UTC）', 'latest time these bytes were seen (ISO 8601, UTC)'),
    ],
    primaryKey: ['id'],
  },
  {
    name: 'reports',
    zh: '年度报告',
    en: 'Reports: one row per loaded document, with its agency, year and version',
    sql: `SELECT r.id, r.agency_id, a.name AS agency, r.agency_printed, r.year, r.template, r.document_id, r.version, r.is_current,
            r.title, r.published_at, r.content_source, r.extractor_version, r.ok, r.error, r.ocr, r.loaded_at
          FROM reports r LEFT JOIN agencies a ON a.id = r.agency_id ORDER BY r.id`,
    fields: [
      f('id', 'integer', '报告编号', 'report id'),
      f('agency_id', 'integer', '机关编号', 'agency (agencies.id)'),
      f('agency', 'string', '机关名称（规范名称）', 'agency canonical name (copied from agencies for convenience)'),
      f('agency_printed', 'string', '文件所印机关名称', 'the agency as this document prints it (agency is its canonical name: short forms written out, a misprinted place corrected)'),
      f('year', 'integer', '报告年度（报告所涵盖的年度，非发布年度）', 'year the report covers (not the publication year)'),
      f('template', 'string', '模板版本：2019、2021、legacy、unknown', 'template: 2019, 2021, legacy (pre-2019) or unknown'),
      f('document_id', 'integer', '来源文件编号', 'document (documents.id)'),
      f('version', 'integer', '版本号（同一机关同一年度的第几个文件）；提取失败为空', 'version per agency and year (1, 2, ...); empty for failed extractions'),
      f('is_current', 'boolean', '是否为当前版本', 'true for the latest successful version of the agency\'s report for the year'),
      f('title', 'string', '标题', 'title'),
      f('published_at', 'string', '发布日期', 'publication date as given by the page'),
      f('content_source', 'string', '信息来源', 'content source given by the page'),
      f('extractor_version', 'string', '提取程序版本', 'version of the extractor that read the document'),
      f('ok', 'boolean', '是否提取成功', 'false when the document could not be read or is not an annual report'),
      f('error', 'string', '失败原因（代码: 说明）', 'why extraction failed ("code: sentence")'),
      f('ocr', 'boolean', '数值是否经 OCR 识别', 'true when the values were read by OCR'),
      f('loaded_at', 'string', '入库时间（UTC）', 'when the report was loaded (ISO 8601, UTC)'),
    ],
    primaryKey: ['id'],
    foreignKeys: [
      { fields: ['agency_id'], reference: { resource: 'agencies', fields: ['id'] } },
      DOCUMENT_FK,
    ],
  },
  tidyResource('table2'),
  tidyResource('table3'),
  tidyResource('table4'),
  {
    name: 'checks',
    zh: '勾稽关系校验结果',
    en: 'Consistency checks: every rule evaluated for every report',
    sql: 'SELECT report_id, rule, passed, detail FROM checks ORDER BY report_id, rowid',
    fields: [
      f('report_id', 'integer', '报告编号', 'report (reports.id)'),
      f('rule', 'string', '规则代码', 'rule id, e.g. table3.balance.total (see CODEBOOK.md)'),
      f('passed', 'boolean', '是否通过；所需单元格为空时为空', 'true/false; empty when a needed cell is empty'),
      f('detail', 'string', '说明', 'the equation and its two sides'),
    ],
    primaryKey: ['report_id', 'rule'],
    foreignKeys: [REPORT_FK],
  },
  {
    name: 'cross_year_checks',
    zh: '跨年度校验：本年“上年结转”与上年“结转下年度”',
    en: "Cross-year checks: a report's carried-over requests against the same agency's previous-year carried-forward requests",
    sql: 'SELECT report_id, previous_report_id, applicant_code, carried_over, previous_carried_forward, passed FROM cross_year_checks ORDER BY report_id, applicant_code',
    fields: [
      f('report_id', 'integer', '报告编号', 'report (reports.id), current version'),
      f('previous_report_id', 'integer', '同一机关上一年度报告编号', "the same agency's previous-year report (reports.id), current version"),
      f('applicant_code', 'string', '申请人类型代码', 'applicant column code (natural_person, ..., total)'),
      f('carried_over', 'integer', '本年度“二、上年结转政府信息公开申请数量”', 'requests carried over from last year, as this report prints it'),
      f('previous_carried_forward', 'integer', '上一年度“四、结转下年度继续办理”', 'requests carried forward to next year, as the previous report prints it'),
      f('passed', 'boolean', '两者是否相等；任一为空时为空', 'true when equal; empty when either is empty'),
    ],
    primaryKey: ['report_id', 'applicant_code'],
    foreignKeys: [REPORT_FK, { fields: ['previous_report_id'], reference: { resource: 'reports', fields: ['id'] } }],
  },
  {
    name: 'issues',
    zh: '问题：提取警告与未通过的校验',
    en: 'Issues: extraction warnings and failed checks',
    sql: 'SELECT report_id, kind, code, detail FROM issues ORDER BY report_id, kind, code',
    fields: [
      f('report_id', 'integer', '报告编号', 'report (reports.id)'),
      f('kind', 'string', '类别：warning 或 check-failed', 'warning (from extraction) or check-failed (a consistency rule failed)'),
      f('code', 'string', '警告代码或规则代码', 'warning code or rule id'),
      f('detail', 'string', '说明', 'message'),
    ],
    foreignKeys: [REPORT_FK],
  },
  wideResource('table2'),
  wideResource('table3'),
  wideResource('table4'),
];
