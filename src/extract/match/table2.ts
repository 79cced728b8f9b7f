/**
 * Table 2 (二、主动公开政府信息情况): rows under 第二十条 items, with the template's columns.
 * Money is stored in the unit the contract names (procurement in 元, 2021 fees in 万元);
 * a document printing the other unit is converted, with a warning.
 */
import { normLabel, remembered } from '../normalize.ts';
import { TABLE2, type Table2Column, type Table2Row, type TemplateVersion } from '../../domain/template.ts';
import type { CellValue, Count, Table, Warning } from '../../domain/report.ts';
import { couldBeGlued, splitTable2Glued } from './glued.ts';
import { placeByOrder, type OrderSpec } from './by-order.ts';
import { matchLabel } from './labels.ts';
import { cellSegments, fitValues, gluedToken, type LogicalRow, type Token } from './tokens.ts';

export interface Table2Read {
  table: Table | null;
  cells: CellValue[];
  warnings: Warning[];
}

/** The unit a money cell is printed in: the cell's own unit, else the header's. */
function printedUnit(token: Token, header: string): '元' | '万元' | null {
  if (token.num?.unit) return token.num.unit;
  if (/万元/.test(header)) return '万元';
  if (/\(元\)|单位:元|\(单位:元\)|金额\(元/.test(header)) return '元';
  return null;
}

function convert(value: Count, col: Table2Column, unit: '元' | '万元' | null): { value: Count; converted: boolean } {
  if (value === null || !col.unit || !unit) return { value, converted: false };
  if (col.unit === 'yuan' && unit === '万元') return { value: Math.round(value * 10000 * 100) / 100, converted: true };
  if (col.unit === '10k_yuan' && unit === '元') return { value: Math.round((value / 10000) * 1e6) / 1e6, converted: true };
  return { value, converted: false };
}

/** 本年增/减 is the one column of table 2 printed with a sign. */
const SIGNED = new Set(['change']);
/** The code of the row a label names, per template (remembered: the same labels come back in every document). */
const NAMED_ROW: Record<TemplateVersion, (label: string) => string | undefined> = {
  '2019': remembered((label) => matchLabel(label, TABLE2['2019'])?.item.code),
  '2021': remembered((label) => matchLabel(label, TABLE2['2021'])?.item.code),
};

/** Header cells of table 2: band and column headers, placeholder headers (数据1…). */
const HEADER_CELL = /^第二十条|^信息内容$|制发件数|废止件数|现行有效件数|处理决定数量|收费金额|新制作数量|新公开数量|公开总数量|上一年项目|增\/减|增减|采购项目数|采购总金额|^数据\d{1,2}$|^列\d{1,2}$/;

/**
 * Table 2 for the matching of loose labels to rows of numbers by order (by-order.ts). Table 2 has
 * no consistency rules (no `accept`): a pairing stands only when every row holds as many numbers as its row
 * has columns, or a run of glued digits that could hold them.
 */
function orderSpec(spec: Table2Row[], namedRow: (label: string) => string | undefined): OrderSpec {
  const columns = new Map(spec.map((r) => [r.code, r.columns.length]));
  return {
    table: 'table 2',
    width: undefined,
    numbered: false,
    minNumbers: 1,
    order: spec.map((r) => r.code),
    starts: (row) => /第二十条|信息内容/.test(row.label) || namedRow(row.label) !== undefined,
    stops: (label) => label.includes('本年新收') || label.includes('收到和处理'),
    codeOf: namedRow,
    isHeader: (cell) => HEADER_CELL.test(cell),
    isGroup: () => false,
    accept: undefined,
    fits: (code, tokens) => {
      const numbers = tokens.filter((t) => t.kind === 'value');
      const width = columns.get(code) ?? 0;
      // a row whose numbers ran together ("6888350") is placed too; the reader below splits it
      return numbers.length === width || (numbers.length < width && couldBeGlued(cellSegments(numbers), width));
    },
    labelOf: (code) => spec.find((r) => r.code === code)?.label ?? code,
    // a placement leaving a label or a row unplaced is not read (readTable2)
    wholeOnly: true,
  };
}

export function readTable2(rows: LogicalRow[], version: TemplateVersion, end: number): Table2Read {
  const warnings: Warning[] = [];
  const spec = TABLE2[version];
  let region = rows.slice(0, end < 0 ? rows.length : end);
  // labels printed apart from their numbers, paired with them when every row fits its columns
  const namedRow = NAMED_ROW[version];
  const apart = placeByOrder(region, orderSpec(spec, namedRow));
  if (apart && !apart.warnings.some((w) => w.code === 'row-unplaced')) {
    region = apart.rows;
    warnings.push(...apart.warnings);
  }
  const bandStart = region.findIndex((r) => r.label.includes('第二十条') || r.label.includes('信息内容'));
  const scan = bandStart >= 0 ? region.slice(bandStart) : region;
  const found = new Map<string, LogicalRow>();
  for (const row of scan) {
    const code = namedRow(row.label);
    if (code !== undefined && !found.has(code)) found.set(code, row);
  }
  if (found.size === 0) return { table: null, cells: [], warnings };

  const table: Table = {};
  const cells: CellValue[] = [];
  let header = '';
  for (const spec2 of spec) {
    const row = found.get(spec2.code);
    // the header of a band is read with its first row; later rows of the band reuse it
    if (row && /信息内容|第二十条/.test(row.label)) header = row.label;
    const width = spec2.columns.length;
    let tokens: (Token | null)[] = Array<null>(width).fill(null);
    if (!row) {
      warnings.push({ code: 'row-missing', message: `table 2 row ${spec2.code} (${spec2.label}) was not found; its values are blank` });
    } else {
      const fit = fitValues(row, width);
      const numbers = row.values.filter((t) => t.kind === 'value');
      const raw = row.values.map((t) => t.raw.trim() || '∅').join(' ');
      if (fit.extra === 0) tokens = fit.values;
      else if (fit.extra < 0 && !row.exact && couldBeGlued(cellSegments(numbers), width)) {
        // the numbers ran together ("6888350"): no arithmetic to choose, so only a run the digits
        // allow one way is split (a row with too many numbers is not joined: one may be stray; a
        // grid row that ends early has its trailing cells blank, as a two- or three-digit cell is
        // as likely one number as several)
        const read = splitTable2Glued(`table 2 ${spec2.code}`, cellSegments(numbers), spec2.columns.map((c) => ({ negative: SIGNED.has(c.code), decimal: c.unit !== undefined })));
        warnings.push(read.warning);
        if (read.reading) tokens = read.reading.texts.map((text) => gluedToken(numbers[0]!, text));
      } else if (fit.extra < 0 && row.exact) {
        tokens = [...fit.values, ...Array<null>(-fit.extra).fill(null)];
      } else {
        warnings.push({ code: fit.extra > 0 ? 'row-misaligned' : 'row-short', message: `table 2 ${spec2.code}: ${fit.values.length} cells for ${width} columns (${raw}); values left blank` });
      }
    }
    const values: Record<string, Count> = {};
    spec2.columns.forEach((col, k) => {
      const token = tokens[k] ?? null;
      const unit = token ? printedUnit(token, normLabel(header + (row?.label ?? ''))) : null;
      const { value, converted } = convert(token?.num?.value ?? null, col, unit);
      if (converted) {
        warnings.push({ code: 'unit-converted', message: `table 2 ${spec2.code}.${col.code}: printed as ${token?.raw.trim()} in ${unit}, stored as ${value} ${col.unit === 'yuan' ? '元' : '万元'}` });
      }
      if (token?.num?.kind === 'dash' || token?.num?.kind === 'none') {
        warnings.push({ code: 'placeholder-zero', message: `table 2 ${spec2.code}.${col.code}: "${token.raw.trim()}" read as 0` });
      }
      values[col.code] = value;
      cells.push({
        table: 'table2', row: spec2.code, col: col.code, value, raw: token ? token.raw : null,
        ...(token?.confidence !== undefined ? { confidence: token.confidence } : {}),
        ...(token?.source !== undefined ? { source: token.source } : {}),
      });
    });
    table[spec2.code] = values;
  }
  return { table, cells, warnings };
}
