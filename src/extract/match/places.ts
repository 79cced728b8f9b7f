/**
 * The gazetteer agency names are read against: GB/T 2260 divisions of the whole country
 * (schema/gazetteer/china.csv, 2023 names) and of Zhejiang with its abolished districts
 * (schema/gazetteer/zhejiang.csv); see schema/gazetteer/PROVENANCE.md. Read once, on first use.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { canonicalAgency, Gazetteer, type CanonicalAgency, type Division } from '../../domain/agency.ts';

const GAZETTEER_FILES = ['china.csv', 'zhejiang.csv'].map((f) => fileURLToPath(new URL(`../../../schema/gazetteer/${f}`, import.meta.url)));

/** rows of a gazetteer CSV with the columns code, name, level, parent_code (a quoted note may only come after these) */
export function parseDivisions(csv: string): Division[] {
  const [head, ...lines] = csv.split(/\r?\n/).filter((l) => l.trim() !== '');
  const cols = (head ?? '').split(',');
  const at = (name: string) => cols.indexOf(name);
  const [code, name, level, parent] = [at('code'), at('name'), at('level'), at('parent_code')];
  return lines.map((line) => {
    const f = line.split(',');
    return { code: f[code]!, name: f[name]!, level: f[level] as Division['level'], parentCode: f[parent] || null };
  });
}

let loaded: Gazetteer | null = null;

export function gazetteer(): Gazetteer {
  loaded ??= new Gazetteer(GAZETTEER_FILES.flatMap((file) => parseDivisions(readFileSync(file, 'utf8'))));
  return loaded;
}

/** The canonical name of a printed agency name, against the gazetteer; `text` is the document's. */
export function readAgency(printed: string, text = ''): CanonicalAgency {
  return canonicalAgency(printed, gazetteer(), text);
}
