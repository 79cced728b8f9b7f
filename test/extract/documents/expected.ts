/** Loads a document fixture and its hand-written expected values, and picks the compared fields. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ExtractOutput } from '../../../src/domain/report.ts';

export const fixtures = path.resolve(import.meta.dirname, '../../fixtures');

export function load(rel: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(fixtures, rel)));
}

/** The expected values of a fixture: `<file>.expected.json`, or for the real PDFs `<name>.expected.json`. */
export function expected(rel: string): Record<string, unknown> {
  const own = path.join(fixtures, `${rel}.expected.json`);
  const file = rel.startsWith('real/') ? path.join(fixtures, rel.replace(/\.pdf$/, '.expected.json')) : own;
  const { notes: _notes, ...values } = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  return values;
}

export function compared(output: ExtractOutput): Record<string, unknown> {
  const { agency, year, template, table2, table3, table4 } = output;
  return { agency, year, template, table2, table3, table4 };
}
