/**
 * metadata.yml for Datasette (`datasette -i ogi.sqlite -m metadata.yml`): titles, descriptions,
 * license, column descriptions, the full-text index of report text, and the canned queries of
 * schema/queries as Datasette canned queries (same SQL, same :named parameters).
 */
import { stringify } from 'yaml';
import type { CannedQuery } from '../query/canned.ts';
import { DATASET_DESCRIPTION, DATASET_TITLE, LICENSE, SOURCE } from './datapackage.ts';
import type { Resource } from './resources.ts';

/** the database name Datasette derives from the file name ogi.sqlite */
export const DATASETTE_DB = 'ogi';

export function datasetteMetadata(resources: Resource[], queries: CannedQuery[]): string {
  const tables: Record<string, unknown> = {};
  for (const r of resources) {
    // tidy exports are named after the statistical table; in the database they are the *_cells tables
    const table = /^table[234]$/.test(r.name) ? `${r.name}_cells` : r.name;
    tables[table] = {
      title: r.zh,
      description: r.en,
      columns: Object.fromEntries(r.fields.map((f) => [f.name, `${f.zh} / ${f.en}`])),
    };
  }
  tables.report_texts = {
    title: '报告正文',
    description: 'Report text, one row per section plus the whole text (section_code = full); searchable',
    fts_table: 'report_texts_fts',
    fts_pk: 'id',
  };
  tables.codes = { title: '代码表', description: 'Every cell code with its exact template labels (Chinese and English), unit and templates' };
  const metadata = {
    title: DATASET_TITLE,
    description: DATASET_DESCRIPTION,
    license: LICENSE.name,
    license_url: LICENSE.path,
    source: SOURCE.title,
    source_url: SOURCE.path,
    databases: {
      [DATASETTE_DB]: {
        tables,
        queries: Object.fromEntries(queries.map((q) => [q.name, { title: q.title, description: q.description, sql: q.sql }])),
      },
    },
  };
  return stringify(metadata, { lineWidth: 0 });
}
