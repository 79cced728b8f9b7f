/**
 * Rebuilds table rows from positioned text (PDF text items, OCR word boxes). There are no cell
 * borders to go by, so rows come from baselines and cells from horizontal gaps, and then the
 * things real reports do to a table are undone:
 * - a row label wrapped over two or three lines, with its numbers level with only one of them
 *   (or with none: centred between them) — the fragments are joined into the row's label;
 * - a group label (（三）不予公开) centred in a rowspan, level with none of its rows or with the
 *   wrong one — it is put in front of the group's first row ("1." sub-row), as HTML has it;
 * - vertical labels written one character per line (三、本年度办理结果) — collected into one row;
 * - page numbers between the halves of a table crossing a page break — dropped.
 * Coordinates are PDF-style: y grows upwards, y is the baseline.
 */
import { isPageFurniture, normLabel, parseNumber, startsNumberedLabel } from '../normalize.ts';
import { APPLICANTS, SECTIONS, TABLE2, TABLE3_ROWS, TABLE4_OUTCOMES } from '../../domain/template.ts';
import type { Warning } from '../../domain/report.ts';
import type { Cell, Row } from '../types.ts';
import { joinWrappedNumbers, type PlacedText } from './wrapped-numbers.ts';
import { joinWrappedRows } from './wrapped-rows.ts';

export interface TextItem {
  text: string;
  x: number;
  y: number;
  width: number;
  /** font size (or box height for OCR) */
  size: number;
  confidence?: number;
}

export interface Page {
  width: number;
  height: number;
  items: TextItem[];
}

/** a run of text placed on the page (the shape the wrapped-number step reads too) */
type Fragment = PlacedText;

interface Line {
  y: number;
  size: number;
  cells: Fragment[];
  /** label fragments joined in from other lines */
  extra: Fragment[];
  numeric: boolean;
  /** x where the first number starts (numeric lines) */
  firstNumberX: number;
  attached: boolean;
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/g;
const cjkCount = (s: string): number => s.match(CJK)?.length ?? 0;
const isNumber = (text: string): boolean => parseNumber(text)?.kind === 'number' || /^[-—–－]$/.test(text.trim());

/** Header words that are printed side by side in one text run, e.g. "本年制发件数 本年废止件数". */
const HEADER_KEYS = [
  ...Object.values(TABLE2).flatMap((rows) => rows.flatMap((r) => r.columns.flatMap((c) => c.keys))),
  ...APPLICANTS.flatMap((a) => a.keys),
  ...TABLE4_OUTCOMES.flatMap((o) => o.keys),
];

/** Splits a text run into the pieces that belong to different cells, estimating their x. */
function splitItem(item: TextItem): Fragment[] {
  const text = item.text.replace(/\s+$/, '');
  const lead = text.length - text.trimStart().length;
  const parts = [...text.trimStart().matchAll(/\S+(?:\s\S+)*/g)];
  const whole: Fragment = { text: text.trim(), x: item.x, end: item.x + item.width, y: item.y, size: item.size, confidence: item.confidence };
  if (!text.trim()) return [];
  // split on runs of 2+ spaces, and on single spaces between two known header words
  const pieces: { text: string; index: number }[] = [];
  for (const m of parts) {
    const words = m[0].split(' ');
    // Chinese sets no spaces between words: short CJK words a space apart are cells, such as the
    // halves of header words broken over lines ("结果 结果 其他 尚未" over "维持 纠正 结果 审结")
    const allHeaders =
      words.length > 1 &&
      words.every((w) => cjkCount(w) >= 2 && (HEADER_KEYS.some((k) => w.includes(k)) || (cjkCount(w) === w.length && w.length <= 6)));
    // "0 0": OCR glues the numbers of neighbouring cells into one word
    const allNumbers = words.length > 1 && words.every((w) => isNumber(w));
    // "规范性文件（含行政规范性文件） １２": a label filling its cell runs into the next cell's
    // number with one space between, and the printer makes one run of them
    let label = words.length;
    while (label > 1 && isNumber(words[label - 1]!)) label--;
    const overflow = label < words.length && cjkCount(words.slice(0, label).join(' ')) >= 2;
    if (allHeaders || allNumbers || overflow) {
      let at = m.index! + lead;
      const cells = allHeaders || allNumbers ? words : [words.slice(0, label).join(' '), ...words.slice(label)];
      for (const w of cells) {
        pieces.push({ text: w, index: at });
        at += w.length + 1;
      }
    } else pieces.push({ text: m[0], index: m.index! + lead });
  }
  if (pieces.length === 1) return [whole];
  // x of a piece from the widths of the characters before it: CJK and full-width forms take an em, the rest about half
  const ems = (s: string): number => [...s].reduce((n, ch) => n + (/[\u2e80-\u9fff\uf900-\ufaff\uff01-\uff60\u3000-\u303f]/.test(ch) ? 1 : 0.5), 0);
  const perEm = item.width / Math.max(0.5, ems(text));
  return pieces.map((p) => ({
    text: p.text,
    x: item.x + ems(text.slice(0, p.index)) * perEm,
    end: item.x + ems(text.slice(0, p.index + p.text.length)) * perEm,
    y: item.y,
    size: item.size,
    confidence: item.confidence,
  }));
}

/** A text run whose glyphs go down the page: several CJK characters in the width of one. */
const isVerticalRun = (item: TextItem): boolean => {
  // OCR word boxes are too loose to tell; OCR'd vertical labels come one character per box anyway
  if (item.confidence !== undefined) return false;
  const n = cjkCount(item.text);
  return n >= 2 && item.width < 0.6 * item.size * n;
};

/** One CJK character (plus punctuation) per line at the same x, three or more lines: a vertical label. */
function takeVerticalStacks(items: TextItem[]): { rest: TextItem[]; stacks: Fragment[] } {
  // poppler gives a vertical label's punctuation ("三、本") a box of its own
  // ("无" is a cell's value: a column of them is no label)
  const isSingle = (it: TextItem) => {
    const text = it.text.replace(/\s/g, '');
    return (cjkCount(text) === 1 && text.length <= 2 && !isNumber(text)) || /^[、，。：；．.]$/.test(text);
  };
  const single = new Set(items.filter(isSingle));
  if (single.size < 3) return { rest: items, stacks: [] };
  // items by height on the page, to find what is level with an item without scanning them all
  // (PDFs that set every glyph apart have thousands of items a page)
  const byY = [...items].sort((a, b) => a.y - b.y);
  const within = (y: number, d: number): TextItem[] => {
    let lo = 0;
    let hi = byY.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (byY[mid]!.y < y - d) lo = mid + 1;
      else hi = mid;
    }
    const out: TextItem[] = [];
    for (let i = lo; i < byY.length && byY[i]!.y <= y + d; i++) out.push(byY[i]!);
    return out;
  };
  const stackedMemo = new Map<TextItem, boolean>();
  const stacked = (o: TextItem): boolean => {
    let v = stackedMemo.get(o);
    if (v === undefined) {
      v = single.has(o) && within(o.y, 2.5 * o.size).some((p) => p !== o && single.has(p) && Math.abs(p.x - o.x) <= 1.5);
      stackedMemo.set(o, v);
    }
    return v;
  };
  // a character of a vertical label stands alone on its line: what is level with it is in
  // another cell, some space away (a line's first character touches the next one), and is no
  // character of a stack itself (header words broken one character per line in narrow columns
  // stand side by side: "结 结 其 尚" over "果 果 他 未")
  const alone = (it: TextItem) =>
    !within(it.y, 0.5 * it.size).some((o) => {
      if (o === it || Math.abs(o.y - it.y) >= 0.5 * it.size) return false;
      const reach = stacked(o) ? 3 * it.size : 0.4 * it.size;
      return o.x < it.x + it.width + reach && o.x + o.width > it.x - reach;
    });
  const candidates = [...single].filter(alone).sort((a, b) => a.x - b.x || b.y - a.y);
  const used = new Set<TextItem>();
  const stacks: Fragment[] = [];
  candidates.forEach((start, i) => {
    if (used.has(start)) return;
    // candidates are sorted by x: the ones in start's column stand around it
    let from = i;
    while (from > 0 && start.x - candidates[from - 1]!.x <= 1.5) from--;
    const column: TextItem[] = [];
    for (let j = from; j < candidates.length && candidates[j]!.x - start.x <= 1.5; j++) {
      const c = candidates[j]!;
      if (!used.has(c) && c.y <= start.y) column.push(c);
    }
    column.sort((a, b) => b.y - a.y);
    const run = [column[0]!];
    for (const c of column.slice(1)) {
      if (run[run.length - 1]!.y - c.y > 2.5 * c.size) break;
      run.push(c);
    }
    if (run.length < 3) return;
    run.forEach((c) => used.add(c));
    const text = run.map((c) => c.text.trim()).join('');
    stacks.push({ text, x: start.x, end: start.x + start.size, y: run[0]!.y, size: start.size });
  });
  return { rest: items.filter((it) => !used.has(it)), stacks };
}

function joinText(a: string, b: string, spaced = true): string {
  // CJK text has no spaces between words; Latin words and numbers keep one, unless the runs
  // touch ("50" and "5" of one number set in two spans)
  return spaced && /[A-Za-z0-9]$/.test(a) && /^[A-Za-z0-9]/.test(b) ? `${a} ${b}` : a + b;
}

/** Groups fragments of one page into lines (by baseline) and cells (by x gaps). */
function pageLines(fragments: Fragment[]): Line[] {
  const sorted = [...fragments].sort((a, b) => b.y - a.y || a.x - b.x);
  const groups: Fragment[][] = [];
  let prevY = Number.POSITIVE_INFINITY;
  for (const f of sorted) {
    // chained: baselines within 3 pt (numbers in a bigger font sit 1–2 pt lower than their label)
    if (prevY - f.y > Math.max(3, 0.3 * f.size) || groups.length === 0) groups.push([]);
    groups[groups.length - 1]!.push(f);
    prevY = f.y;
  }
  return groups.map((group) => {
    group.sort((a, b) => a.x - b.x);
    const cells: Fragment[] = [];
    // numbers that end the line are a table row's values: split them off a label even when a
    // narrow column leaves only a small gap; inside prose ("共 12 件") a small gap is a space
    const trailingNumbers = group.map((_, i) => group.slice(i).every((g) => isNumber(g.text)));
    group.forEach((f, i) => {
      const last = cells[cells.length - 1];
      const gap = last ? f.x - last.end : Number.POSITIVE_INFINITY;
      const bothText = last && !isNumber(last.text) && !isNumber(f.text);
      // OCR word boxes (they carry a confidence) split lines at every small gap: join them more freely
      const factor = bothText ? (f.confidence !== undefined ? 1.2 : 0.2) : trailingNumbers[i] ? 0.15 : 0.4;
      if (last && gap <= Math.max(trailingNumbers[i] ? 1 : 2, factor * Math.min(last.size, f.size))) {
        last.text = joinText(last.text, f.text, gap > 0.1 * Math.min(last.size, f.size));
        last.end = Math.max(last.end, f.end);
        if (f.confidence !== undefined) last.confidence = Math.min(last.confidence ?? 100, f.confidence);
      } else cells.push({ ...f });
    });
    const firstNumber = cells.findIndex((c) => isNumber(c.text));
    const numeric = firstNumber >= 0 && cells.slice(firstNumber).every((c) => isNumber(c.text));
    const y = Math.max(...group.map((f) => f.y));
    const size = Math.max(...group.map((f) => f.size));
    return { y, size, cells, extra: [], numeric, firstNumberX: numeric ? cells[firstNumber]!.x : Number.POSITIVE_INFINITY, attached: false };
  });
}

const labelCells = (line: Line): Fragment[] => line.cells.filter((c) => c.x < line.firstNumberX);
/** x of the row's own label column (its last label cell), if it has a label */
const labelX = (line: Line): number | undefined => {
  const cells = labelCells(line);
  return cells.length ? cells[cells.length - 1]!.x : undefined;
};
/** Whether the row's own label (with joined fragments) is a first sub-row: "1." / "1、". */
const startsSubRow = (line: Line): boolean => {
  const x = labelX(line);
  if (x === undefined) return false;
  const column = [...labelCells(line), ...line.extra].filter((f) => Math.abs(f.x - x) <= 3).sort((a, b) => b.y - a.y);
  return /^\s*1\s*[.．、,，]/.test(column[0]?.text ?? '');
};


/** A row label of the template without its numbering ("行政强制", "属于国家秘密"); "其他" is too common a word to tell. */
const bareLabel = (text: string): string => normLabel(text).replace(/^(?:\(?[一二三四五六七八九十]{1,3}\)|[一二三四五六七八九十]{1,3}、|\d{1,2}[.、])/, '');
const ROW_LABELS = new Set(
  [...TABLE2['2019'], ...TABLE2['2021'], ...TABLE3_ROWS].map((r) => bareLabel(r.label)).filter((l) => l.length >= 2 && l !== '其他'),
);
const isRowLabel = (parts: Fragment[]): boolean => ROW_LABELS.has(bareLabel(parts.map((p) => p.text).join('')));
/** A label that begins a row of its own: numbered ("2.", "（三）", "四、") or a template row's. */
const startsRow = (text: string): boolean => startsNumberedLabel(text) || ROW_LABELS.has(bareLabel(text));
/** table 3's rowspan labels ("（三）不予公开", "三、本年度办理结果"; not those that are a row of another template too) */
const GROUP_LABELS = [...new Set(TABLE3_ROWS.flatMap((r) => (r.group ? [normLabel(r.group)] : [])))].filter((g) => !TABLE3_ROWS.some((r) => normLabel(r.label) === g));
/** The first line of a table-3 group label that wrapped ("三、", "（三）不予"): no row's label. */
const isGroupLabelPiece = (text: string): boolean => {
  const t = normLabel(text);
  return t.length >= 2 && GROUP_LABELS.some((g) => g.length > t.length && g.startsWith(t));
};
/**
 * A label that begins a row of its own on its line, or the first line of one; a group's label,
 * whole or its first line ("（三）不予" level with the last line of a wrapped number under it),
 * begins none.
 */
const startsOwnRow = (text: string): boolean => {
  const t = normLabel(text);
  if (t.length >= 2 && GROUP_LABELS.some((g) => g.startsWith(t))) return false;
  // the first line of a template row's label that wrapped ("其他对外管理服" of 其他对外管理服务事项)
  const bare = bareLabel(text);
  return startsRow(text) || (bare.length >= 3 && [...ROW_LABELS].some((l) => l.startsWith(bare)));
};

/** A section heading ("四、政府信息公开行政复议、行政诉讼情况") printed right under a table is no part of it. */
const SECTION_KEYS = SECTIONS.flatMap((sec) => sec.keys.map(normLabel));
const isHeading = (parts: Fragment[]): boolean => {
  const text = normLabel(parts.map((p) => p.text).join(''));
  return SECTION_KEYS.some((k) => text.includes(k));
};

/**
 * Whether two label pieces stand in one column: the same left edge, or one over the other
 * (lines of a label centred in its cell start at different x; the next column's text is a
 * cell padding away).
 */
const sameColumn = (a: { x: number; end: number }, b: { x: number; end: number }): boolean =>
  Math.abs(a.x - b.x) <= 3 || (a.x < b.end - 1 && b.x < a.end - 1);

/** A label fragment that is not level with its row's numbers, possibly stacked over several lines. */
interface Loose {
  parts: Fragment[];
  x: number;
  end: number;
  top: number;
  bottom: number;
  size: number;
  /** label-only lines it came from (dropped once attached) */
  lines: Line[];
  /** numeric line it was taken out of (put back if it belongs nowhere else) */
  origin?: Line;
}

/**
 * Joins label fragments into the numeric rows they belong to: wrapped row labels (same column as
 * the row's label) go to the nearest row; group labels (a column further left) go to the group's
 * first "1." row above them, wherever the rowspan's vertical centring put them.
 */
function attachFragments(lines: Line[]): void {
  const loose: Loose[] = [];
  for (const line of lines) {
    if (!line.numeric && (line.cells.length === 1 || inLabelColumns(lines, line))) {
      for (const c of line.cells) loose.push({ parts: [c], x: c.x, end: c.end, top: c.y, bottom: c.y, size: c.size, lines: [line] });
    } else if (line.numeric) {
      // a group label that happens to be level with some row: take it out and place it properly
      // (a line's one label too when it is a wrapped group label's first line, "三、" of 三、本年度办理结果)
      const labels = labelCells(line);
      const last = labels[labels.length - 1];
      for (const c of last && isGroupLabelPiece(last.text) ? labels : labels.slice(0, -1)) {
        line.cells.splice(line.cells.indexOf(c), 1);
        loose.push({ parts: [c], x: c.x, end: c.end, top: c.y, bottom: c.y, size: c.size, lines: [], origin: line });
      }
    }
  }
  loose.sort((a, b) => b.top - a.top);
  // stack fragments of one column that no numeric row separates ("（六）其" over "他处理")
  const merged: Loose[] = [];
  for (const f of loose) {
    const prev = merged.find(
      (m) =>
        // "4.无正当理由大量反" under "物" (the end of row 3's label) starts row 4's label
        !startsNumberedLabel(f.parts[0]!.text) &&
        sameColumn(m, f) &&
        m.bottom - f.top <= 2.2 * f.size &&
        m.bottom > f.top &&
        !lines.some((l) => l.numeric && l.y < m.bottom - 0.5 && l.y > f.top + 0.5),
    );
    if (prev) {
      prev.parts.push(...f.parts);
      prev.bottom = f.bottom;
      prev.end = Math.max(prev.end, f.end);
      prev.lines.push(...f.lines);
      prev.origin ??= f.origin;
    } else merged.push(f);
  }
  for (const f of merged) {
    if (isHeading(f.parts)) continue;
    const target = nearestRow(lines, f);
    const placed = target ? place(lines, f, target) : false;
    if (placed) {
      // a label-only line is dropped once every fragment of it has found its row
      for (const l of f.lines) {
        l.cells = l.cells.filter((c) => !f.parts.includes(c));
        l.attached = l.cells.length === 0;
      }
    } else if (f.origin) f.origin.extra.push(...f.parts);
  }
  for (const l of lines) if (!l.attached && l.cells.length === 0) l.attached = true;
}

/**
 * A label-only line whose cells all stand left of the numbers of the nearest table row: pieces
 * of labels from different columns that happen to be level ("（五）不" of a group label beside
 * "版物", the end of a wrapped row label), not a header over the number columns.
 */
function inLabelColumns(lines: Line[], line: Line): boolean {
  let nearest: Line | undefined;
  for (const l of lines) {
    if (l.numeric && Math.abs(l.y - line.y) <= 6 * line.size && (!nearest || Math.abs(l.y - line.y) < Math.abs(nearest.y - line.y))) nearest = l;
  }
  return nearest !== undefined && line.cells.every((c) => c.end <= nearest.firstNumberX + 1);
}

function nearestRow(lines: Line[], f: Loose): Line | undefined {
  let best: Line | undefined;
  let bestDistance = 2.2 * f.size;
  // a label above a row's own numbered label ("3.其他") cannot be the end of that label
  const ownLabelBelow = (l: Line) => l.y < f.bottom && labelCells(l).some((c) => sameColumn(c, f) && startsNumberedLabel(c.text));
  // and a numbered label ("2.没有现成") under a row's own label starts another row
  const numbered = startsNumberedLabel(f.parts[0]!.text);
  const ownLabelAbove = (l: Line) => numbered && l.y > f.top && labelCells(l).some((c) => sameColumn(c, f));
  // where the numbers of the rows around start: a row whose first cell is blank starts later,
  // and a header word over that blank cell ("数量") is no label of it
  const near = lines.filter((l) => l.numeric && Math.abs(l.y - f.top) <= 10 * f.size).map((l) => l.firstNumberX);
  const numbersX = Math.min(...near);
  for (const l of lines) {
    if (!l.numeric || f.end > Math.min(l.firstNumberX, numbersX) + 1 || ownLabelBelow(l) || ownLabelAbove(l)) continue;
    const d = l.y > f.top ? l.y - f.top : l.y < f.bottom ? f.bottom - l.y : 0;
    if (d <= bestDistance) {
      best = l;
      bestDistance = d;
    }
  }
  return best;
}

function place(lines: Line[], f: Loose, target: Line): boolean {
  const lx = labelX(target);
  // (a centred label's longer line starts left of its shorter one, over it all the same)
  if (lx === undefined || f.x >= lx - 3 || labelCells(target).some((c) => sameColumn(c, f) && f.end > c.x + 3)) {
    // a whole row label of its own ("行政强制" under "行政处罚 2747") is a row whose cells are blank
    if (lx !== undefined && isRowLabel(f.parts)) return false;
    target.extra.push(...f.parts); // continuation of the row's own label
    return true;
  }
  // left of the row labels: a group label; its first row is the nearest "1." row at or above it
  const from = lines.indexOf(target);
  for (let j = from; j >= 0; j--) {
    const l = lines[j]!;
    if (!l.numeric) continue;
    // left the group's rows (a group's column is some characters wide: a label within half a
    // character of the fragment's x is in the fragment's own column)
    if ((labelX(l) ?? Number.POSITIVE_INFINITY) <= f.x + Math.max(3, 0.5 * f.size)) return false;
    if (startsSubRow(l)) {
      l.extra.push(...f.parts);
      return true;
    }
  }
  return false;
}

/**
 * Header words broken over lines ("结果" over "维持", "商业" over "企业"): in label-only lines
 * with several cells, a short fragment right under a short fragment of the same column is
 * joined to it, so each header cell reads as one word.
 */
function mergeHeaderStacks(lines: Line[]): Line[] {
  const length = (f: Fragment) => f.text.replace(/\s/g, '').length;
  const short = (f: Fragment) => length(f) <= 6;
  // a header line: several cells, all of them words (prose lines have long runs), some over the
  // numbers (pieces of row labels level with each other stand left of them all); or one short
  // word right under or over such a line ("总" of a "总计" set one character per line)
  const several = lines.map((l) => !l.numeric && l.cells.length >= 2 && l.cells.every((c) => length(c) <= 10) && !inLabelColumns(lines, l));
  const header = lines.map(
    (l, i) =>
      several[i] ||
      (!l.numeric && l.cells.length === 1 && short(l.cells[0]!) && !inLabelColumns(lines, l) &&
        [i - 1, i + 1].some((j) => several[j] && Math.abs(lines[j]!.y - l.y) <= 2 * l.size)),
  );
  // where each merged word ends, so a word set one character per line is joined line by line
  const bottom = new Map<Fragment, number>();
  lines.forEach((line, i) => {
    if (!header[i]) return;
    for (const cell of [...line.cells]) {
      if (!short(cell) || startsNumberedLabel(cell.text)) continue;
      for (let j = i - 1; j >= 0; j--) {
        const upper = lines[j]!;
        if (upper.numeric || upper.y - line.y > 12 * line.size) break;
        if (!header[j]) continue;
        const over = upper.cells.find((u) => Math.abs(u.x - cell.x) <= 3);
        if (!over) continue;
        // 4 line heights: huaian-2024 prints its table 4 header words 3.5 font sizes apart
        if (!short(over) || (bottom.get(over) ?? upper.y) - line.y > 4 * line.size) break;
        // a word broken over lines has its column to itself (beside it at most a cell the
        // header rows span, "总计"); a header over several columns ("行政复议" over "结果维持
        // 结果纠正 …") has several cells under it before the next header cell
        const next = Math.min(...upper.cells.filter((u) => u.x > over.x + 3).map((u) => u.x));
        if (line.cells.filter((c) => c !== cell && c.x > over.x + 3 && c.x < next - 3).length >= 2) break;
        over.text = joinText(over.text, cell.text);
        over.end = Math.max(over.end, cell.end);
        bottom.set(over, line.y);
        line.cells.splice(line.cells.indexOf(cell), 1);
        break;
      }
    }
  });
  return lines.filter((l) => l.cells.length > 0);
}

/** The row's cells: label fragments merged by column (top to bottom), then the numbers. */
function lineCells(line: Line): Cell[] {
  const labels = [...labelCells(line), ...line.extra];
  const columns: Fragment[][] = [];
  for (const f of labels.sort((a, b) => a.x - b.x)) {
    const col = columns.find((c) => Math.abs(c[0]!.x - f.x) <= 3 || (f.x > c[0]!.x && f.x < Math.max(...c.map((g) => g.end))));
    if (col) col.push(f);
    else columns.push([f]);
  }
  const cells: Cell[] = columns.map((col) => {
    col.sort((a, b) => b.y - a.y || a.x - b.x);
    const text = col.reduce((acc, f) => joinText(acc, f.text), '');
    const conf = col.map((f) => f.confidence).filter((c): c is number => c !== undefined);
    return conf.length ? { text, confidence: Math.min(...conf) } : { text };
  });
  for (const f of line.cells.filter((c) => c.x >= line.firstNumberX)) {
    cells.push(f.confidence !== undefined ? { text: f.text, confidence: f.confidence } : { text: f.text });
  }
  return cells;
}

/**
 * Where each of `own` stands among `columns`, in order: the column whose centre, left or right
 * edge it shares (within `tolerance`), or else — numbers set left or right in cells whose
 * headers are centred — the column whose half-way marks to its neighbours' centres hold its
 * centre well inside. Null if one stands in none.
 */
function columnsOf(own: Fragment[], columns: Fragment[], tolerance: number): number[] | null {
  return alignedColumns(own, columns, tolerance) ?? spannedColumns(own, columns, 0.4 * tolerance);
}

function spannedColumns(own: Fragment[], columns: Fragment[], margin: number): number[] | null {
  if (columns.length < 2) return null;
  const centre = (f: Fragment) => (f.x + f.end) / 2;
  const centres = columns.map(centre);
  const bounds = centres.map((c, j) => [
    j > 0 ? (centres[j - 1]! + c) / 2 : c - (centres[1]! - c) / 2,
    j < centres.length - 1 ? (c + centres[j + 1]!) / 2 : c + (c - centres[j - 1]!) / 2,
  ]);
  const at: number[] = [];
  for (const f of own) {
    const c = centre(f);
    const j = bounds.findIndex(([from, to]) => c >= from! + margin && c <= to! - margin);
    if (j < 0 || (at.length > 0 && j <= at[at.length - 1]!)) return null;
    at.push(j);
  }
  return at;
}

function alignedColumns(own: Fragment[], columns: Fragment[], tolerance: number): number[] | null {
  const distance = (c: Fragment, f: Fragment) => Math.min(Math.abs(c.x - f.x), Math.abs(c.end - f.end), Math.abs((c.x + c.end) / 2 - (f.x + f.end) / 2));
  const at: number[] = [];
  let next = 0;
  for (const f of own) {
    let best = -1;
    for (let j = next; j < columns.length; j++) {
      if (distance(columns[j]!, f) <= tolerance && (best < 0 || distance(columns[j]!, f) < distance(columns[best]!, f))) best = j;
    }
    if (best < 0) return null;
    at.push(best);
    next = best + 1;
  }
  return at;
}

/**
 * The lowest header cells over a table's number columns: header fragments right of the row
 * labels with no other header fragment under them ("自然人", "商业企业", … "总计" under
 * "申请人情况" and "法人或其他组织"; the 15 columns of table 4 under its three header levels).
 */
function leafHeaders(header: Line[], fromX: number): Fragment[] {
  const fragments = header.flatMap((l) => l.cells).filter((f) => (f.x + f.end) / 2 >= fromX);
  return fragments
    .filter((h) => !fragments.some((g) => g !== h && g.y < h.y - 0.5 * h.size && g.x < h.end && g.end > h.x))
    .sort((a, b) => a.x - b.x);
}

/**
 * Blank cells print nothing, so a row of a PDF table with a blank cell has fewer numbers than
 * columns and the rest would be read into the wrong columns. The columns are read off the page:
 * the lowest header cells over the numbers, or else the fullest rows of the same run of table
 * rows. A row with fewer numbers gets an empty cell for each column it leaves out — only when
 * every one of its numbers stands in a column (see columnsOf); otherwise it is left as printed.
 * `carried` are header lines that ended the page before; the header lines this page ends with
 * are returned for the next.
 */
function padBlankColumns(lines: Line[], carried: Line[]): Line[] {
  const numbers = (l: Line) => l.cells.filter((c) => c.x >= l.firstNumberX);
  const blocks: { header: Line[]; rows: Line[] }[] = [{ header: [...carried], rows: [] }];
  for (const line of lines) {
    const last = blocks[blocks.length - 1]!;
    if (line.numeric) last.rows.push(line);
    // label pieces between rows (a group label wrapped in its column) do not end the table
    else if (line.attached || (last.rows.length > 0 && inLabelColumns(lines, line))) continue;
    else if (last.rows.length > 0) blocks.push({ header: [line], rows: [] });
    else last.header.push(line);
  }
  for (const { header, rows } of blocks) {
    if (rows.length === 0) continue;
    const counts = rows.map((l) => numbers(l).length);
    const full = Math.max(...counts);
    const fullest = rows[counts.indexOf(full)]!;
    const tolerance = Math.max(2, 0.5 * fullest.size);
    // the number columns start where the row labels end (a row's own first number may be blank);
    // rows of numbers alone (table 4) have every header cell over a number column, the first
    // one's number maybe blank or set right of the header's centre
    const labelEnds = rows.flatMap((l) => l.cells.filter((c) => c.x < l.firstNumberX).map((c) => c.end));
    const numbersFrom = Math.min(...rows.map((l) => l.firstNumberX));
    const leaves = leafHeaders(header, labelEnds.length > 0 ? Math.min(numbersFrom - tolerance, Math.max(...labelEnds)) : Number.NEGATIVE_INFINITY);
    // the header's columns, if the fullest row's numbers stand in them
    const byHeader = leaves.length > full && columnsOf(numbers(fullest), leaves, tolerance) ? leaves : null;
    rows.forEach((line, i) => {
      let columns = byHeader;
      if (!columns) {
        if (counts[i] === full || full < 2) return;
        for (let d = 1; d < rows.length && !columns; d++) {
          const near = [rows[i - d], rows[i + d]].find((l) => l !== undefined && numbers(l).length === full);
          if (near) columns = numbers(near);
        }
      }
      if (!columns || counts[i]! >= columns.length) return;
      const own = numbers(line);
      const at = columnsOf(own, columns, Math.max(2, 0.5 * line.size));
      if (!at) return;
      const padded = columns.map((c, j): Fragment => {
        const k = at.indexOf(j);
        return k >= 0 ? own[k]! : { text: '', x: c.x, end: c.end, y: line.y, size: line.size };
      });
      line.cells = [...line.cells.filter((c) => c.x < line.firstNumberX), ...padded];
      line.firstNumberX = Math.min(line.firstNumberX, padded[0]!.x);
    });
  }
  // header lines that end the page: the table's rows follow on the next one
  const last = blocks[blocks.length - 1]!;
  return last.rows.length === 0 ? last.header : [];
}

/** One page's rows with the y of each (top first), so other rows (OCR'd tables) can be put in order. */
export function layoutPage(page: Page): { y: number; row: Row }[] {
  // OCR'd words (the only caller's) are not searched for wrapped numbers: no warnings arise
  return layoutLines(page, [], 1, []).rows;
}

/**
 * A page's rows, and the header lines it ends with. `carried` are the header lines the page
 * before ended with: a table's header printed at the foot of one page tells the columns of the
 * rows at the head of the next (they stand above everything of this page).
 */
function layoutLines(page: Page, carried: Line[], pageNo: number, warnings: Warning[]): { rows: { y: number; row: Row }[]; trailing: Line[] } {
  const vertical = page.items.filter(isVerticalRun);
  const { rest, stacks } = takeVerticalStacks(page.items.filter((it) => !isVerticalRun(it)));
  const fragments = rest.flatMap(splitItem);
  const furniture = (l: Line): boolean => {
    const margin = l.y < 0.1 * page.height || l.y > 0.92 * page.height;
    return margin && isPageFurniture(l.cells.map((c) => c.text).join(''));
  };
  // a table's last row may stand in the margin, the lower pieces of its wrapped numbers ("07 2 49")
  // looking like a page number: several numbers side by side are looked at as pieces first
  // rows whose every number wrapped first: their lines would look like full rows to the pieces' search
  const candidates = pageLines(fragments).filter((l) => !furniture(l) || (l.numeric && l.cells.length > 1));
  const lines = joinWrappedNumbers(joinWrappedRows(candidates, startsOwnRow, pageNo, warnings), startsOwnRow, pageNo, warnings).filter((l) => !furniture(l));
  const merged = mergeHeaderStacks(lines);
  attachFragments(merged);
  const above = carried.map((l) => ({ ...l, y: l.y + page.height, cells: l.cells.map((c) => ({ ...c, y: c.y + page.height })) }));
  const trailing = padBlankColumns(merged, above);
  const verticalLabels = [...stacks, ...vertical.map((v) => ({ text: v.text.trim(), y: v.y }))];
  const out: { y: number; row: Row }[] = merged.filter((l) => !l.attached).map((l) => ({ y: l.y, row: { cells: lineCells(l) } }));
  for (const v of verticalLabels) out.push({ y: v.y + 0.01, row: { cells: [{ text: v.text }] } });
  return { rows: out.sort((a, b) => b.y - a.y), trailing };
}

/**
 * Lays positioned text out as rows in reading order, page after page. What could not be laid out
 * with certainty (a number wrapped in its cell) is added to `warnings`.
 */
export function layoutRows(pages: Page[], warnings: Warning[] = []): Row[] {
  let carried: Line[] = [];
  return pages.flatMap((page, n) => {
    const { rows, trailing } = layoutLines(page, carried, n + 1, warnings);
    carried = trailing;
    return rows.map((o) => o.row);
  });
}
