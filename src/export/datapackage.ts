/**
 * datapackage.json (Frictionless Data Package v2): every file of the snapshot as a resource with
 * its size and sha256, and for the tables a Table Schema with types, bilingual descriptions,
 * primary and foreign keys.
 */
import type { Field, Resource } from './resources.ts';
import { OgiError } from '../domain/errors.ts';

export const LICENSE = { name: 'CC-BY-4.0', path: 'https://creativecommons.org/licenses/by/4.0/', title: 'Creative Commons Attribution 4.0' };
export const DATASET_TITLE = 'ogi: China government information-disclosure annual reports (政府信息公开工作年度报告)';
export const DATASET_DESCRIPTION =
  'Tables 2, 3 and 4 of the official annual-report templates, extracted from the reports government bodies publish on their portals, normalised to codes, with the raw cell text, consistency checks and the source documents\' hashes. 政府信息公开工作年度报告第二、三、四部分统计表的规范化数据。';
export const SOURCE = {
  title: '政府信息公开工作年度报告 published by government bodies on their official websites (政府信息公开专栏)',
  path: 'https://www.gov.cn/zhengce/xxgk/',
};

export interface FileInfo {
  path: string;
  bytes: number;
  sha256: string;
}

function schemaField(field: Field): Record<string, unknown> {
  const out: Record<string, unknown> = { name: field.name, type: field.type, title: field.en, description: `${field.zh} / ${field.en}` };
  if (field.type === 'boolean') Object.assign(out, { trueValues: ['true'], falseValues: ['false'] });
  if (field.unit) out.unit = field.unit;
  return out;
}

function tableSchema(resource: Resource, suffix: string): Record<string, unknown> {
  const schema: Record<string, unknown> = { fields: resource.fields.map(schemaField), missingValues: [''] };
  if (resource.primaryKey) schema.primaryKey = resource.primaryKey;
  if (resource.foreignKeys) {
    schema.foreignKeys = resource.foreignKeys.map((fk) => ({ fields: fk.fields, reference: { resource: `${fk.reference.resource}${suffix}`, fields: fk.reference.fields } }));
  }
  return schema;
}

export function dataPackage(opts: {
  version: string;
  created: string;
  resources: Resource[];
  files: Map<string, FileInfo>;
  excel: boolean;
  /** the id of the database the snapshot was exported from (ogi_meta.database_id) */
  database: string;
}): Record<string, unknown> {
  const file = (path: string): FileInfo => {
    const info = opts.files.get(path);
    if (!info) throw new OgiError('export-internal', `${path} was not written`);
    return info;
  };
  const hashed = (path: string) => ({ path, bytes: file(path).bytes, hash: `sha256:${file(path).sha256}` });
  const csv = opts.resources.map((r) => ({
    name: r.name,
    type: 'table',
    title: r.en,
    description: `${r.zh} / ${r.en}`,
    ...hashed(`csv/${r.name}.csv`),
    format: 'csv',
    mediatype: 'text/csv',
    encoding: 'utf-8',
    dialect: { header: true, delimiter: ',', lineTerminator: '\r\n', quoteChar: '"' },
    schema: tableSchema(r, ''),
  }));
  const parquet = opts.resources.map((r) => ({
    name: `${r.name}-parquet`,
    type: 'table',
    title: `${r.en} (Parquet)`,
    description: `${r.zh} / ${r.en}`,
    ...hashed(`parquet/${r.name}.parquet`),
    format: 'parquet',
    mediatype: 'application/vnd.apache.parquet',
    schema: tableSchema(r, '-parquet'),
  }));
  const others = [
    { name: 'sqlite', title: 'The whole dataset as one SQLite database (with report text and full-text index)', ...hashed('ogi.sqlite'), format: 'sqlite', mediatype: 'application/vnd.sqlite3' },
    { name: 'codebook', title: 'Codebook: every code, label, unit and rule', ...hashed('CODEBOOK.md'), format: 'md', mediatype: 'text/markdown' },
    { name: 'changes', title: 'Changes against the previous snapshot', ...hashed('CHANGES.md'), format: 'md', mediatype: 'text/markdown' },
    { name: 'datasette-metadata', title: 'Metadata and canned queries for Datasette', ...hashed('metadata.yml'), format: 'yaml', mediatype: 'application/yaml' },
  ];
  return {
    $schema: 'https://datapackage.org/profiles/2.0/datapackage.json',
    name: 'ogi-annual-reports',
    title: DATASET_TITLE,
    description: DATASET_DESCRIPTION + (opts.excel ? ' CSV files start with a UTF-8 byte order mark for Excel.' : ''),
    version: opts.version,
    created: opts.created,
    // custom property: the previous snapshot of the same database is found by it
    'ogi:database': opts.database,
    keywords: ['government transparency', 'open government information', '政府信息公开', '年度报告', 'China'],
    licenses: [LICENSE],
    sources: [SOURCE],
    resources: [...csv, ...parquet, ...others],
  };
}
