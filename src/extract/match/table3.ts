/**
 * Table 3 (三、收到和处理政府信息公开申请情况): 25 (2021) or 23 (2019) rows × 7 applicant columns.
 */
import { table3Checks } from '../../domain/rules.ts';
import { remembered, startsNumberedLabel } from '../normalize.ts';
import { APPLICANT_CODES, TABLE3_OTHER_SPLIT, TABLE3_ROWS, table3Rows, type TemplateVersion } from '../../domain/template.ts';
import type { CellValue, Count, Table, Warning } from '../../domain/report.ts';
import { matchAcross, matchLabel, mentions } from './labels.ts';
import { couldBeGlued, gluedValues, solveTable3Glued } from './glued.ts';
import { placeByOrder, type OrderSpec } from './by-order.ts';
import { uniqueReading } from './repair.ts';
import { cellSegments, fitValues, gluedToken, type LogicalRow, type Token } from './tokens.ts';

export interface TableRead {
  table: Table | null;
  cells: CellValue[];
  warnings: Warning[];
  /** index of the first token after the table (where table 4 is searched) */
  endToken: number;
}

const WIDTH = APPLICANT_CODES.length;

/**
 * The numbered labels ("1.属于国家秘密") in a row's label text, in order. A placeholder header
 * (数据1 … 数据8, 列8) run into the label does not lend the numbering its digits ("数据83.其他").
 */
const numberedParts = (label: string): string[] => label.split(/(?=(?<!\d|数据|列)\d{1,2}[.、](?!\d))/).filter((part) => /^\d{1,2}[.、]/.test(part));

/** The last numbered label in a row's label text (remembered: the same labels come back in every document). */
const ownLabel = remembered((label: string): string | undefined => numberedParts(label).at(-1));
/** The row a label text names (remembered likewise). */
const namedRow = remembered((text: string): string | undefined => matchLabel(text, TABLE3_ROWS)?.item.code);

function labelCode(label: string, last: string, previous: string | undefined): string | undefined {
  // the last numbered label is the row's own: text before it ("…公开申请3.其他") was left over
  // from the rows above, and may name one of them
  const own = ownLabel(label);
  // "3.其他" under （六）其他处理 has no words of its own: it is known by its place
  if (/^\(?3\)?[.、]?其他$/.test(own ?? last) && previous?.startsWith('other.')) return 'other.other';
  return namedRow(own ?? label);
}

const rowCode = (row: LogicalRow, previous: string | undefined): string | undefined => labelCode(row.label, row.labels[row.labels.length - 1]?.norm ?? '', previous);

/**
 * A row whose label names no row because its last line was printed after its numbers (text
 * renderings put "新出具已获取信息" on the line after "5.要求行政机关确认或重 0 0 …"): the next
 * row's first label piece completes it when a key runs across the break.
 */
function wrappedCode(row: LogicalRow, next: LogicalRow | undefined): string | undefined {
  const piece = next?.labels[0]?.norm;
  if (!piece || startsNumberedLabel(piece)) return undefined;
  const own = numberedParts(row.label).at(-1) ?? row.label;
  return matchAcross(own + piece, own.length, TABLE3_ROWS)?.code;
}

/**
 * Whether a label holds two numbered labels of one group ("1.本机关不掌握相关政府信息2.没有现成"):
 * the labels of two rows ran together, and the numbers cannot be told to belong to either. (The
 * end of a label before a numbered one, "…不再处理其政府信息公开申请2.申请人逾期…", is left over
 * from the row above: the numbered label is the row's.)
 */
function namesSiblings(label: string): boolean {
  const numbered = numberedParts(label);
  if (numbered.length < 2) return false;
  const named = numbered.map((part) => TABLE3_ROWS.find((r) => r.group?.startsWith('（') && mentions(part, r)));
  return named.some((a, i) => a && named.some((b, j) => j > i && b && b !== a && b.group === a.group));
}

/** Where the optional 小计 (subtotal of 法人或其他组织) column sits, if the header has one. */
function subtotalIndex(header: string): number | null {
  const at = header.indexOf('小计');
  if (at < 0) return null;
  const firstOrg = header.indexOf('商业企业');
  return firstOrg >= 0 && at < firstOrg ? 1 : 6;
}

const localCheck = (v: Count[]): boolean | null => {
  if (v.some((x) => x === null)) return null;
  const s = v.slice(0, 6).reduce<number>((a, b) => a + (b as number), 0);
  return Math.abs(s - (v[6] as number)) < 1e-6;
};

/** Header cells of table 3: column names, placeholder headers (数据1…), the note on its arithmetic. */
const HEADER_CELL = /^(申请人情况|自然人|法人或其他组织|商业企业|科研机构|社会公益组织|法律服务机构|其他|总计|小计|合计|数据\d{1,2}|列\d{1,2})$|勾稽关系/;

/** The group labels over rows: 三、本年度办理结果, （三）不予公开, （四）无法提供, （五）不予处理. */
const GROUP_LABEL = /办理结果|不予公开|无法提供|不予处理/;

/** Table 3 for the matching of loose labels to rows of numbers by order and count (by-order.ts). */
function orderSpec(rows: LogicalRow[]): OrderSpec {
  const first = rows.find((r) => r.label.includes('本年新收'));
  const subtotal = first ? subtotalIndex(first.label) : null;
  const valuesOf = (tokens: Token[]): Count[] => {
    const fit = fitValues({ labels: [], values: tokens.filter((t) => t.kind !== 'label'), label: '', exact: false, at: 0 }, subtotal === null ? WIDTH : WIDTH + 1);
    if (fit.extra !== 0) return Array<Count>(WIDTH).fill(null);
    const cells = subtotal === null ? fit.values : fit.values.filter((_, k) => k !== subtotal);
    return cells.map((t) => t.num?.value ?? null);
  };
  const width = subtotal === null ? WIDTH : WIDTH + 1;
  return {
    table: 'table 3',
    width,
    numbered: true,
    minNumbers: 2,
    order: TABLE3_ROWS.map((r) => r.code),
    starts: (row) => row.label.includes('本年新收'),
    stops: (label) => /复议|诉讼|维持|存在的主要问题/.test(label) || (/^[四五六]、/.test(label) && !label.includes('结转')),
    codeOf: (label, previous) => labelCode(label, label, previous),
    isHeader: (cell) => HEADER_CELL.test(cell),
    isGroup: (label, code, named) => (code ? code === 'other' && TABLE3_OTHER_SPLIT.some((c) => named.has(c)) : GROUP_LABEL.test(label)),
    accept: (placed) => {
      const t: Table = {};
      // a row whose numbers ran together is judged by the readings the rules leave it (as the
      // reader splits it once placed): a pairing in which it has none is wrong
      const glued = new Map<string, string[][]>();
      for (const [code, tokens] of placed) {
        const numbers = tokens.filter((t) => t.kind === 'value');
        if (numbers.length < width && couldBeGlued(cellSegments(numbers), width, true)) glued.set(code, cellSegments(numbers));
        const values = valuesOf(tokens);
        t[code] = Object.fromEntries(APPLICANT_CODES.map((a, k) => [a, values[k] ?? null]));
      }
      for (const [code, read] of glued.size > 0 ? solveTable3Glued(glued, t, APPLICANT_CODES, subtotal) : []) {
        if (read.unsolvable) return false;
        t[code] = Object.fromEntries(APPLICANT_CODES.map((a, k) => [a, read.reading?.values[k] ?? null]));
      }
      // a row's own sum does not depend on where it is placed
      const decided = table3Checks(t).filter((c) => !c.rule.startsWith('table3.applicants.') && c.passed !== null);
      if (decided.length === 0) return null;
      return decided.every((c) => c.passed);
    },
    fits: undefined,
    labelOf: (code) => TABLE3_ROWS.find((r) => r.code === code)?.label ?? code,
    wholeOnly: false,
  };
}

export function readTable3(rows: LogicalRow[], version: TemplateVersion | null, tokenCount: number): TableRead {
  const warnings: Warning[] = [];
  // labels printed apart from their numbers are paired with them first
  const apart = placeByOrder(rows, orderSpec(rows));
  if (apart) {
    rows = apart.rows;
    warnings.push(...apart.warnings);
  }
  let start = rows.findIndex((r) => r.label.includes('本年新收') && rowCode(r, undefined) === 'new_received');
  // a table whose labels are printed apart is there even when its first row could not be placed
  if (start < 0 && apart) start = apart.start;
  if (start < 0) return { table: null, cells: [], warnings, endToken: 0 };

  const subtotal = subtotalIndex(rows[start]!.label);
  const width = subtotal === null ? WIDTH : WIDTH + 1;
  if (subtotal !== null) warnings.push({ code: 'subtotal-column', message: 'table 3 has a 小计 column; it is left out of the standard columns' });

  const found = new Map<string, { row: LogicalRow; tokens: Token[]; extra: number }>();
  let previous: string | undefined;
  let endToken = tokenCount;
  for (let i = start; i < rows.length; i++) {
    const row = rows[i]!;
    const code = rowCode(row, previous) ?? wrappedCode(row, rows[i + 1]);
    if (!code || found.has(code)) continue;
    if (namesSiblings(row.label)) {
      warnings.push({ code: 'row-labels-merged', message: `table 3: the label "${row.labels.map((t) => t.raw.trim()).join('')}" runs two rows together; their values are left blank` });
      continue;
    }
    const fit = fitValues(row, width);
    let tokens = fit.values;
    if (subtotal !== null && fit.extra === 0) tokens = tokens.filter((_, k) => k !== subtotal);
    found.set(code, { row, tokens, extra: fit.extra });
    previous = code;
    if (code === 'carried_forward') {
      endToken = row.at + row.labels.length + row.values.length;
      break;
    }
  }

  const values = new Map<string, { values: Count[]; tokens: (Token | null)[] }>();
  // rows too short whose numbers may have run together ("152000118" in a text line, or in one
  // cell of a grid): solved below
  const glued = new Map<string, Token[]>();
  for (const [code, f] of found) {
    const numbers = f.row.values.filter((t) => t.kind === 'value');
    if (f.extra < 0 && (!f.row.exact || numbers.length === 1) && couldBeGlued(cellSegments(numbers), width, true)) {
      glued.set(code, numbers);
    } else if (f.extra === 0) {
      values.set(code, { values: f.tokens.map((t) => t.num?.value ?? null), tokens: f.tokens });
    } else if (f.extra < 0 && f.row.exact) {
      // a real grid row that ends early: the missing trailing cells are blank (and the 小计
      // column, when there is one, is left out as in a full row)
      const padded: (Token | null)[] = [...f.tokens, ...Array<null>(-f.extra).fill(null)];
      const tokens = subtotal === null ? padded : padded.filter((_, k) => k !== subtotal);
      values.set(code, { values: tokens.map((t) => t?.num?.value ?? null), tokens });
      warnings.push({ code: 'row-short', message: `table 3 ${code}: ${f.tokens.length} cells for ${width} columns; the missing cells are blank` });
    }
  }

  // rows with surplus cells: keep the single reading the rules accept
  const table = (): Table => Object.fromEntries([...values].map(([c, v]) => [c, Object.fromEntries(APPLICANT_CODES.map((a, k) => [a, v.values[k] ?? null]))]));
  if (glued.size > 0) {
    const reads = solveTable3Glued(new Map([...glued].map(([c, ts]) => [c, cellSegments(ts)])), table(), APPLICANT_CODES, subtotal);
    for (const [code, read] of reads) {
      const first = glued.get(code)![0]!;
      values.set(code, { values: gluedValues(read, WIDTH), tokens: read.reading ? read.reading.texts.map((text) => gluedToken(first, text)) : Array<null>(WIDTH).fill(null) });
      warnings.push(read.warning);
    }
  }
  for (const [code, f] of found) {
    if (values.has(code)) continue;
    const raw = f.row.values.map((t) => t.raw.trim() || '∅').join(' ');
    if (f.extra > 0) {
      let reading = uniqueReading(f.tokens, WIDTH, localCheck);
      if (!reading) {
        reading = uniqueReading(f.tokens, WIDTH, (v) => {
          if (localCheck(v) === false) return false;
          const t = table();
          t[code] = Object.fromEntries(APPLICANT_CODES.map((a, k) => [a, v[k] ?? null]));
          const decided = table3Checks(t).filter((c) => !c.rule.startsWith('table3.applicants.') && c.passed !== null);
          if (decided.length === 0) return null;
          return decided.every((c) => c.passed);
        });
      }
      if (reading) {
        values.set(code, { values: reading.values, tokens: reading.tokens });
        warnings.push({
          code: 'row-repaired',
          message: `table 3 ${code}: ${f.tokens.length} cells for ${width} columns (${raw}); dropped the spurious cell(s) ${reading.dropped.map((t) => `"${t.raw.trim()}"`).join(', ')}, the only reading that satisfies the consistency rules`,
        });
        continue;
      }
      warnings.push({ code: 'row-misaligned', message: `table 3 ${code}: ${f.tokens.length} cells for ${width} columns (${raw}) and no single reading satisfies the consistency rules; values left blank` });
    } else {
      warnings.push({ code: 'row-short', message: `table 3 ${code}: ${f.tokens.length} cells for ${width} columns (${raw}); cannot tell which cells are missing, values left blank` });
    }
    values.set(code, { values: Array<Count>(WIDTH).fill(null), tokens: Array<null>(WIDTH).fill(null) });
  }

  // which rows the output has: the template's, with 其他处理 as the document prints it
  const v = version ?? (TABLE3_OTHER_SPLIT.some((c) => values.has(c)) ? '2021' : '2019');
  let codes = table3Rows(v).map((r) => r.code);
  const hasSplit = TABLE3_OTHER_SPLIT.some((c) => values.has(c));
  if (v === '2021' && !hasSplit && values.has('other')) {
    codes = codes.flatMap((c) => (c === 'other.overdue_correction' ? ['other'] : TABLE3_OTHER_SPLIT.includes(c) ? [] : [c]));
    warnings.push({ code: 'other-single-row', message: 'table 3 prints （六）其他处理 as one row, not split in three as the 2021 template does; kept as printed' });
  } else if (v === '2019' && hasSplit && !values.has('other')) {
    codes = codes.flatMap((c) => (c === 'other' ? TABLE3_OTHER_SPLIT : [c]));
    warnings.push({ code: 'other-split-rows', message: 'table 3 splits （六）其他处理 in three rows although the rest follows the 2019 template; kept as printed' });
  } else if (v === '2021' && hasSplit && values.has('other')) {
    warnings.push({ code: 'subtotal-row', message: 'table 3 prints a （六）其他处理 subtotal row above its three sub-rows; the subtotal is left out' });
  }

  const out: Table = {};
  const cells: CellValue[] = [];
  for (const code of codes) {
    const v3 = values.get(code);
    if (!v3 && !apart?.unplaced.has(code)) warnings.push({ code: 'row-missing', message: `table 3 row ${code} was not found; its values are blank` });
    out[code] = {};
    APPLICANT_CODES.forEach((a, k) => {
      const token = v3?.tokens[k] ?? null;
      const value = v3?.values[k] ?? null;
      out[code]![a] = value;
      cells.push({
        table: 'table3', row: code, col: a, value, raw: token ? token.raw : null,
        ...(token?.confidence !== undefined ? { confidence: token.confidence } : {}),
        ...(token?.source !== undefined ? { source: token.source } : {}),
      });
    });
  }
  return { table: out, cells, warnings, endToken };
}
