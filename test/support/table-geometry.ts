/**
 * The text runs of a generated report as a PDF of a Word/WPS document holds them, laid out with
 * a random geometry: font size, leading, column widths (so labels wrap differently), top or
 * middle alignment, the 三、 group label written vertically or wrapped, rowspan labels centred
 * in their span, blank cells, page breaks with page numbers and repeated headers, and a little
 * jitter in every position. The expected values are the report's, with blank cells null.
 */
import type { Page, TextItem } from '../../src/extract/readers/layout.ts';
import { APPLICANTS, TABLE2, TABLE4_GROUPS, TABLE4_OUTCOMES, table3Rows } from '../../src/domain/template.ts';
import { reportTitle, type ReportValues } from '../../testkit/reports/report-html.ts';

export interface Geometry {
  /** font size, pt */
  size: number;
  /** line height over font size */
  leading: number;
  /** table 3's column widths, pt: the 三、 group, the （三） groups, the row labels, each number */
  top: number;
  group: number;
  label: number;
  column: number;
  labelAlign: 'top' | 'middle';
  numberAlign: 'top' | 'middle';
  /** where a row label's lines stand in their cell */
  labelPlace: 'left' | 'center';
  /** where a number stands in its cell (spreadsheets print them right-aligned) */
  numberPlace: 'center' | 'left' | 'right';
  /** 三、本年度办理结果 one character per line */
  verticalTop: boolean;
  /** table 4's width, pt (narrow: its header words break one character per line) */
  table4: number;
  /** share of number cells left blank */
  blankRate: number;
  pageNumbers: boolean;
  /** table 3's header printed again on a new page */
  repeatHeader: boolean;
  /** largest shift of a run from its place, pt */
  jitter: number;
  /** every glyph a text run of its own, as some PDF producers position them */
  glyphs: boolean;
  /** table 3 has a 小计 column (the organisations' subtotal) after 其他 */
  subtotal: boolean;
  /** numbers wider than their column wrap inside the cell ("104" over "6"), as Word prints them */
  numberWrap?: boolean;
}

const W = 595;
const H = 842;
const MARGIN_TOP = 60;
const MARGIN_BOTTOM = 60;

export function randomGeometry(next: () => number): Geometry {
  const pick = <T>(a: T[]): T => a[Math.floor(next() * a.length)]!;
  const size = pick([9, 10, 10.5, 12]);
  const verticalTop = next() < 0.5;
  return {
    size,
    leading: pick([1.2, 1.3, 1.5]),
    top: verticalTop ? size * 1.6 : pick([3, 4, 5]) * size,
    group: pick([3, 4, 5, 6]) * size,
    label: pick([6, 8, 10, 14]) * size,
    column: pick([3.5, 4, 5]) * size,
    labelAlign: pick(['top', 'middle']),
    numberAlign: pick(['top', 'middle']),
    labelPlace: pick(['left', 'left', 'center']),
    numberPlace: pick(['center', 'center', 'left', 'right']),
    verticalTop,
    table4: pick([475, 475, 360]),
    blankRate: pick([0, 0, 0.03]),
    pageNumbers: next() < 0.7,
    repeatHeader: next() < 0.5,
    jitter: pick([0, 0.3, 0.8]),
    glyphs: next() < 0.25,
    subtotal: next() < 0.2,
  };
}

/** Latin digits are half an em wide. */
const widthOf = (text: string, size: number) => [...text].reduce((n, ch) => n + (/[\x00-\x7f]/.test(ch) ? 0.5 : 1), 0) * size;
const isNumber = (text: string) => /^[\d.-]+$/.test(text);

/** Lines of a cell's text in a width, broken anywhere as CJK text is. */
const wrap = (text: string, width: number, size: number, numbers = false): string[] => {
  // numbers do not wrap unless asked (a column is made wide enough for them)
  if (isNumber(text) && !numbers) return [text];
  const out: string[] = [];
  let line = '';
  for (const ch of text) {
    if (line && widthOf(line + ch, size) > width) {
      out.push(line);
      line = '';
    }
    line += ch;
  }
  if (line) out.push(line);
  return out.length ? out : [''];
};

interface Cell {
  text: string;
  x: number;
  width: number;
  align?: 'top' | 'middle';
  center?: boolean;
}

export function layoutReport(v: ReportValues, g: Geometry, next: () => number): { pages: Page[]; expected: ReportValues } {
  const pages: Page[] = [];
  let items: TextItem[] = [];
  let top = MARGIN_TOP;
  const lineH = g.size * g.leading;
  const pad = g.size * 0.3;
  const jitter = () => (next() - 0.5) * g.jitter;
  const expected: ReportValues = JSON.parse(JSON.stringify(v));
  let header: (() => void) | null = null;
  let beforeBreak: () => void = () => undefined;

  const newPage = () => {
    beforeBreak();
    if (g.pageNumbers) items.push({ text: `- ${pages.length + 1} -`, x: W / 2 - 10, y: 30, width: 20, size: g.size });
    pages.push({ width: W, height: H, items });
    items = [];
    top = MARGIN_TOP;
    if (header && g.repeatHeader) header();
  };
  const put = (text: string, x: number, lineTop: number, size = g.size) => {
    if (!text) return;
    const dx = jitter();
    const y = H - lineTop - size + jitter();
    if (!g.glyphs) {
      items.push({ text, x: x + dx, y, width: widthOf(text, size), size });
      return;
    }
    let at = x + dx;
    for (const ch of text) {
      items.push({ text: ch, x: at, y, width: widthOf(ch, size), size });
      at += widthOf(ch, size);
    }
  };
  const line = (text: string, size = g.size) => {
    for (const l of wrap(text, W - 120, size)) {
      if (top + lineH > H - MARGIN_BOTTOM) newPage();
      put(l, 60, top, size);
      top += size * g.leading;
    }
    top += size * 0.5;
  };
  /** A table row: cells wrapped in their widths, aligned in the row's height. */
  const row = (cells: Cell[], onBreak?: (rowTop: number) => void): void => {
    const wrapped = cells.map((c) => wrap(c.text, c.width - 2 * pad, g.size, g.numberWrap));
    const lines = Math.max(1, ...wrapped.map((w) => w.length));
    const height = lines * lineH + 2 * pad;
    if (top + height > H - MARGIN_BOTTOM) {
      newPage();
      onBreak?.(top);
    }
    cells.forEach((c, k) => {
      const w = wrapped[k]!;
      const align = c.align ?? (isNumber(c.text) ? g.numberAlign : g.labelAlign);
      const start = align === 'top' ? top + pad : top + (height - w.length * lineH) / 2;
      w.forEach((l, i) => {
        const free = c.width - widthOf(l, g.size);
        const place = c.center ? 'center' : isNumber(l) ? g.numberPlace : g.labelPlace;
        const x = place === 'center' ? c.x + free / 2 : place === 'left' ? c.x + pad : c.x + free - pad;
        put(l, x, start + i * lineH);
      });
    });
    top += height;
  };
  const num = (table: 'table2' | 'table3' | 'table4', r: string, c: string): string => {
    const value = (v[table] as Record<string, Record<string, number | null>>)[r]![c]!;
    if (g.blankRate > 0 && next() < g.blankRate) {
      (expected[table] as Record<string, Record<string, number | null>>)[r]![c] = null;
      return '';
    }
    return String(value);
  };

  line(reportTitle(v), g.size * 1.6);
  line('一、总体情况');
  line('本年度依法做好政府信息公开工作，按照条例要求编制本报告。');
  line('二、主动公开政府信息情况');

  // table 2: one block per 第二十条 item
  const x0 = 60;
  const labelW = Math.max(g.label, 8 * g.size);
  const colW = Math.max(g.column * 1.6, 6 * g.size);
  let item = '';
  for (const r of TABLE2[v.template]) {
    if (r.item !== item) {
      item = r.item;
      row([{ text: `第二十条第${item}项`, x: x0, width: labelW + 3 * colW, center: true }]);
      row([{ text: '信息内容', x: x0, width: labelW, center: true }, ...r.columns.map((c, k) => ({ text: c.label, x: x0 + labelW + k * colW, width: colW, center: true }))]);
    }
    row([{ text: r.label, x: x0, width: labelW }, ...r.columns.map((c, k) => ({ text: num('table2', r.code, c.code), x: x0 + labelW + k * colW, width: colW }))]);
  }

  line('三、收到和处理政府信息公开申请情况');
  // table 3 columns
  const xTop = x0;
  const xGroup = xTop + g.top;
  const xLabel = xGroup + g.group;
  const xNum = xLabel + g.label;
  const columns = g.subtotal ? 8 : 7;
  const cw = Math.min(g.column, (W - 40 - xNum) / columns);
  // rowspan labels, drawn centred in their span once it ends (or where a page cuts it)
  interface Span {
    text: string;
    x: number;
    width: number;
    from: number;
    vertical: boolean;
    drawn?: boolean;
  }
  const open: Span[] = [];
  const draw = (sp: Span) => {
    const h = top - sp.from;
    if (sp.drawn || h <= 0) return;
    sp.drawn = true;
    if (sp.vertical) {
      const chars = [...sp.text];
      const start = Math.max(sp.from, sp.from + (h - chars.length * lineH) / 2);
      chars.forEach((ch, i) => put(ch, sp.x + (sp.width - g.size) / 2, start + i * lineH));
    } else {
      const w = wrap(sp.text, sp.width - 2 * pad, g.size);
      const start = sp.from + (h - w.length * lineH) / 2;
      w.forEach((l, i) => put(l, sp.x + pad, start + i * lineH));
    }
  };
  const close = (sp: Span) => {
    draw(sp);
    open.splice(open.indexOf(sp), 1);
  };
  const closeAll = () => [...open].reverse().forEach(close);
  beforeBreak = () => open.forEach(draw);
  const numbers = (code: string): Cell[] => {
    const cells = APPLICANTS.map((a) => num('table3', code, a.code));
    if (g.subtotal) {
      // the subtotal of the five organisation columns, as printed (blank when one of them is)
      const orgs = cells.slice(1, 6);
      cells.splice(6, 0, orgs.some((c) => c === '') ? '' : String(orgs.reduce((sum, c) => sum + Number(c), 0)));
    }
    return cells.map((text, k) => ({ text, x: xNum + k * cw, width: cw }));
  };
  const orgs = g.subtotal ? 6 : 5;
  header = () => {
    row([{ text: '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', x: xTop, width: g.top + g.group + g.label, align: 'middle' }, { text: '申请人情况', x: xNum, width: columns * cw, center: true }]);
    row([{ text: '自然人', x: xNum, width: cw, center: true }, { text: '法人或其他组织', x: xNum + cw, width: orgs * cw, center: true }, { text: '总计', x: xNum + (orgs + 1) * cw, width: cw, center: true }]);
    row([...APPLICANTS.slice(1, 6).map((a) => a.label), ...(g.subtotal ? ['小计'] : [])].map((text, k) => ({ text, x: xNum + (k + 1) * cw, width: cw, center: true })));
  };
  header();
  for (const r of table3Rows(v.template)) {
    // （六）其他处理 of 2019 and （七）总计 stand under 三、 without a group of their own
    const inTop = r.group !== undefined || r.code === 'other' || r.code === 'total';
    const sub = r.group && r.group !== '三、本年度办理结果' ? r.group : null;
    const topSpan = open.find((o) => o.text === '三、本年度办理结果');
    if (inTop && !topSpan) open.push({ text: '三、本年度办理结果', x: xTop, width: g.top, from: top, vertical: g.verticalTop });
    if (!inTop && topSpan) closeAll();
    const subSpan = open.find((o) => o.x === xGroup);
    if (subSpan && subSpan.text !== sub) close(subSpan);
    if (sub && (!subSpan || subSpan.text !== sub)) open.push({ text: sub, x: xGroup, width: g.group, from: top, vertical: false });
    const labelCell: Cell = !inTop
      ? { text: r.label, x: xTop, width: g.top + g.group + g.label }
      : sub
        ? { text: r.label, x: xLabel, width: g.label }
        : { text: r.label, x: xGroup, width: g.group + g.label };
    row([labelCell, ...numbers(r.code)], (rowTop) => open.forEach((o) => (o.from = rowTop)));
  }
  closeAll();
  header = null;

  line('四、政府信息公开行政复议、行政诉讼情况');
  const c4 = g.table4 / 15;
  row([{ text: '行政复议', x: x0, width: 5 * c4, center: true }, { text: '行政诉讼', x: x0 + 5 * c4, width: 10 * c4, center: true }]);
  row([
    ...TABLE4_OUTCOMES.map((o, k) => ({ text: o.label, x: x0 + k * c4, width: c4, center: true })),
    { text: '未经复议直接起诉', x: x0 + 5 * c4, width: 5 * c4, center: true },
    { text: '复议后起诉', x: x0 + 10 * c4, width: 5 * c4, center: true },
  ]);
  row([...TABLE4_OUTCOMES, ...TABLE4_OUTCOMES].map((o, k) => ({ text: o.label, x: x0 + (5 + k) * c4, width: c4, center: true })));
  row(TABLE4_GROUPS.flatMap((gr, gi) => TABLE4_OUTCOMES.map((o, k) => ({ text: num('table4', gr.code, o.code), x: x0 + (gi * 5 + k) * c4, width: c4 }))));
  line('五、存在的主要问题及改进情况');
  line('政策解读形式有待丰富。');
  newPage();
  return { pages, expected };
}
