/**
 * Table 4 (四、政府信息公开行政复议、行政诉讼情况): 15 numbers under a three-level header —
 * 行政复议, 未经复议直接起诉, 复议后起诉, each 维持/纠正/其他/尚未审结/总计. Some documents
 * flatten it to one line of 15 numbers or split it into three small tables; all read in order.
 */
import { table4Checks } from '../../domain/rules.ts';
import { TABLE4_GROUPS, TABLE4_OUTCOMES } from '../../domain/template.ts';
import type { CellValue, Count, Table, Warning } from '../../domain/report.ts';
import { couldBeGlued, splitTable4Glued } from './glued.ts';
import { uniqueReading } from './repair.ts';
import { cellSegments, gluedToken, type Token } from './tokens.ts';

const COUNT = TABLE4_GROUPS.length * TABLE4_OUTCOMES.length;
/** header words, and the placeholder headers (数据1…数据5) converters give a table split in several */
const HEADER_WORDS = /行政复议|行政诉讼|复议|诉讼|起诉|维持|纠正|其他结果|其他|结果|尚未|审结|总计|合计|情况|^数据\d{1,2}$/;

function toTable(values: Count[]): Table {
  const t: Table = {};
  TABLE4_GROUPS.forEach((g, gi) => {
    t[g.code] = Object.fromEntries(TABLE4_OUTCOMES.map((o, oi) => [o.code, values[gi * TABLE4_OUTCOMES.length + oi] ?? null]));
  });
  return t;
}

export function readTable4(tokens: Token[], from: number): { table: Table | null; cells: CellValue[]; warnings: Warning[] } {
  const warnings: Warning[] = [];
  // the header: a 复议 label followed closely by a 维持 label
  let start = -1;
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'label' || !t.norm.includes('维持')) continue;
    const before = tokens.slice(Math.max(from, i - 12), i + 1);
    if (before.some((b) => b.kind === 'label' && b.norm.includes('复议'))) {
      start = i;
      break;
    }
  }
  if (start < 0) return { table: null, cells: [], warnings };

  const picked: Token[] = [];
  // every cell including the blanks of a text rendering, which count only when the numbers
  // alone do not fill the row (as in tables 2 and 3: a PDF row with a blank cell laid out)
  const all: Token[] = [];
  for (let i = start + 1; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'prose') break;
    if (t.kind === 'label') {
      if (HEADER_WORDS.test(t.norm) && t.norm.length <= 20) continue;
      if (picked.length > 0) break;
      continue;
    }
    all.push(t);
    if (t.kind === 'blank' && !t.exact) continue;
    // a real grid row of table 4 holds all 15 cells; trailing blanks beyond it are layout
    picked.push(t);
    if (picked.length > COUNT + 2) break;
  }
  while (picked.length > COUNT && picked[picked.length - 1]!.kind === 'blank') picked.pop();
  while (all.length > COUNT && all[all.length - 1]!.kind === 'blank') all.pop();
  while (all.length > COUNT && all[0]!.kind === 'blank') all.shift();
  if (picked.length < COUNT && all.length === COUNT) picked.splice(0, picked.length, ...all);
  if (picked.filter((t) => t.kind === 'value').length === 0) return { table: null, cells: [], warnings };

  let chosen: (Token | null)[];
  const numbers = picked.filter((t) => t.kind === 'value');
  const raw = picked.map((t) => t.raw.trim() || '∅').join(' ');
  if (picked.length === COUNT) {
    chosen = picked;
  } else if (picked.length > COUNT) {
    const reading = uniqueReading(picked, COUNT, (v) => {
      const checks = table4Checks(toTable(v));
      return checks.some((c) => c.passed === null) ? null : checks.every((c) => c.passed);
    });
    if (reading) {
      chosen = reading.tokens;
      warnings.push({ code: 'row-repaired', message: `table 4: ${picked.length} cells for ${COUNT} (${raw}); dropped ${reading.dropped.map((t) => `"${t.raw.trim()}"`).join(', ')}, the only reading that satisfies the consistency rules` });
    } else {
      chosen = Array<null>(COUNT).fill(null);
      warnings.push({ code: 'row-misaligned', message: `table 4: ${picked.length} cells for ${COUNT} (${raw}) and no single reading satisfies the consistency rules; values left blank` });
    }
  } else if ((picked.every((t) => !t.exact) || picked.length === 1) && couldBeGlued(cellSegments(numbers), COUNT)) {
    // the numbers ran together ("000000000000000"; in a grid, all in one cell): split where the
    // rules leave one reading
    const reads = splitTable4Glued(cellSegments(numbers), TABLE4_GROUPS.length, TABLE4_OUTCOMES.length);
    chosen = reads.flatMap((r) => (r.reading ? r.reading.texts.map((text) => gluedToken(numbers[0]!, text)) : Array<null>(TABLE4_OUTCOMES.length).fill(null)));
    warnings.push(...reads.map((r) => r.warning));
  } else {
    chosen = Array<null>(COUNT).fill(null);
    warnings.push({ code: 'row-short', message: `table 4: ${picked.length} cells for ${COUNT} (${raw}); cannot tell which are missing, values left blank` });
  }

  const values = chosen.map((t) => t?.num?.value ?? null);
  const cells: CellValue[] = [];
  TABLE4_GROUPS.forEach((g, gi) =>
    TABLE4_OUTCOMES.forEach((o, oi) => {
      const t = chosen[gi * TABLE4_OUTCOMES.length + oi] ?? null;
      cells.push({
        table: 'table4', row: g.code, col: o.code, value: t?.num?.value ?? null, raw: t ? t.raw : null,
        ...(t?.confidence !== undefined ? { confidence: t.confidence } : {}),
        ...(t?.source !== undefined ? { source: t.source } : {}),
      });
    }),
  );
  return { table: toTable(values), cells, warnings };
}
