/**
 * Prints the INSERT statement that fills the `regions` table from a gazetteer CSV
 * (schema/gazetteer/zhejiang.csv; see schema/gazetteer/PROVENANCE.md). Its output is appended to
 * the migration that creates or refreshes the table, after a `--> statement-breakpoint` line:
 *   node bin/run-ts.js scripts/gazetteer-sql.ts schema/gazetteer/zhejiang.csv
 */
import { readFileSync } from 'node:fs';

const COLUMNS = ['code', 'name', 'level', 'kind', 'parent_code', 'valid_from', 'valid_to', 'note'] as const;
const INTEGER_COLUMNS = new Set(['valid_from', 'valid_to']);

/** RFC 4180 rows: quoted fields may hold commas and doubled quotes (no newlines in this file) */
export function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out;
}

const sqlValue = (column: string, v: string): string => {
  if (v === '') return 'NULL';
  if (INTEGER_COLUMNS.has(column)) {
    if (!/^\d{4}$/.test(v)) throw new Error(`${column}: not a year: ${v}`);
    return v;
  }
  return `'${v.replaceAll("'", "''")}'`;
};

export function gazetteerInsert(csv: string): string {
  const [header, ...lines] = csv.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (!header || parseCsvLine(header).join(',') !== COLUMNS.join(',')) throw new Error(`the header must be ${COLUMNS.join(',')}`);
  const rows = lines.map((line) => {
    const fields = parseCsvLine(line);
    if (fields.length !== COLUMNS.length) throw new Error(`expected ${COLUMNS.length} fields: ${line}`);
    if (!/^\d{6}$/.test(fields[0] ?? '')) throw new Error(`not a GB/T 2260 code: ${line}`);
    return `(${fields.map((v, i) => sqlValue(COLUMNS[i] ?? '', v)).join(', ')})`;
  });
  return `INSERT INTO \`regions\` (${COLUMNS.map((c) => `\`${c}\``).join(', ')}) VALUES\n${rows.join(',\n')};\n`;
}

const file = process.argv[2];
if (!file) {
  console.error('usage: node bin/run-ts.js scripts/gazetteer-sql.ts schema/gazetteer/zhejiang.csv');
  process.exit(2);
}
process.stdout.write(gazetteerInsert(readFileSync(file, 'utf8')));
