/**
 * Ruled tables in page images. The rules give the cells exactly (merged cells included), which
 * OCR of a whole page cannot: tesseract glues neighbouring cells and mixes wrapped labels of
 * adjacent rows. So the cells are found from the rules, cut out, stacked one under the other
 * with white space between them, and read in one tesseract call; each word then belongs to the
 * cell whose band it falls in. The result is exact grid rows, like an HTML table's.
 */
import type { GreyImage } from './raster.ts';

export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

interface Rule {
  /** position across the rule (y of a horizontal rule, x of a vertical one) */
  at: number;
  from: number;
  to: number;
}

export interface GridCell extends Rect {
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
}

export interface Grid {
  bounds: Rect;
  rows: number;
  cols: number;
  cells: GridCell[];
}

const DARK = 160;

/** Dark runs at least `min` long along each line of pixels, merged into rules. */
function rules(image: GreyImage, horizontal: boolean, min: number): Rule[] {
  const { width, height, data } = image;
  const outer = horizontal ? height : width;
  const inner = horizontal ? width : height;
  const segments: Rule[] = [];
  for (let a = 0; a < outer; a++) {
    let run = 0;
    for (let b = 0; b <= inner; b++) {
      const v = b < inner ? data[horizontal ? a * width + b : b * width + a]! : 255;
      if (v < DARK) run++;
      else {
        if (run >= min) segments.push({ at: a, from: b - run, to: b - 1 });
        run = 0;
      }
    }
  }
  // neighbouring segments (a thick or slightly skewed rule) become one rule
  const merged: (Rule & { last: number; sum: number; n: number })[] = [];
  for (const s of segments) {
    const m = merged.find((r) => s.at - r.last <= 3 && s.from <= r.to + 8 && s.to >= r.from - 8);
    if (m) {
      m.from = Math.min(m.from, s.from);
      m.to = Math.max(m.to, s.to);
      m.last = s.at;
      m.sum += s.at;
      m.n++;
    } else merged.push({ ...s, last: s.at, sum: s.at, n: 1 });
  }
  return merged.map((r) => ({ at: r.sum / r.n, from: r.from, to: r.to }));
}

function cluster(values: number[], tolerance: number): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const out: number[][] = [];
  for (const v of sorted) {
    const last = out[out.length - 1];
    if (last && v - last[last.length - 1]! <= tolerance) last.push(v);
    else out.push([v]);
  }
  return out.map((c) => c.reduce((a, b) => a + b, 0) / c.length);
}

/** How much of the span [from, to] at position `at` (±tol) the rules cover, 0..1. */
function coverage(rs: Rule[], at: number, from: number, to: number, tol: number): number {
  const covered = rs
    .filter((r) => Math.abs(r.at - at) <= tol)
    .map((r) => [Math.max(from, r.from), Math.min(to, r.to)] as const)
    .filter(([a, b]) => b > a)
    .sort((p, q) => p[0] - q[0]);
  let total = 0;
  let end = from;
  for (const [a, b] of covered) {
    if (b <= end) continue;
    total += b - Math.max(a, end);
    end = b;
  }
  return total / Math.max(1, to - from);
}

/** The ruled tables on a page, each as a grid of (possibly merged) cells. */
export function findGrids(image: GreyImage): Grid[] {
  const minH = Math.max(40, Math.round(image.width / 25));
  const minV = Math.max(30, Math.round(image.height / 60));
  const hs = rules(image, true, minH);
  const vs = rules(image, false, minV);
  // tables = groups of rules that touch each other
  const all = [...hs.map((r) => ({ r, h: true })), ...vs.map((r) => ({ r, h: false }))];
  const parent = all.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const touch = (h: Rule, v: Rule) => v.at >= h.from - 6 && v.at <= h.to + 6 && h.at >= v.from - 6 && h.at <= v.to + 6;
  all.forEach((a, i) => {
    if (!a.h) return;
    all.forEach((b, j) => {
      if (!b.h && touch(a.r, b.r)) parent[find(i)] = find(j);
    });
  });
  const groups = new Map<number, { hs: Rule[]; vs: Rule[] }>();
  all.forEach((a, i) => {
    const g = groups.get(find(i)) ?? { hs: [], vs: [] };
    (a.h ? g.hs : g.vs).push(a.r);
    groups.set(find(i), g);
  });
  const grids: Grid[] = [];
  for (const g of groups.values()) {
    const ys = cluster(g.hs.map((r) => r.at), 6);
    const xs = cluster(g.vs.map((r) => r.at), 6);
    if (ys.length < 2 || xs.length < 2) continue;
    const rows = ys.length - 1;
    const cols = xs.length - 1;
    // union elementary cells that no rule separates
    const id = (r: number, c: number) => r * cols + c;
    const cellParent = Array.from({ length: rows * cols }, (_, i) => i);
    const findCell = (i: number): number => (cellParent[i] === i ? i : (cellParent[i] = findCell(cellParent[i]!)));
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        if (c + 1 < cols && coverage(g.vs, xs[c + 1]!, ys[r]!, ys[r + 1]!, 6) < 0.5) cellParent[findCell(id(r, c + 1))] = findCell(id(r, c));
        if (r + 1 < rows && coverage(g.hs, ys[r + 1]!, xs[c]!, xs[c + 1]!, 6) < 0.5) cellParent[findCell(id(r + 1, c))] = findCell(id(r, c));
      }
    }
    const spans = new Map<number, { r0: number; c0: number; r1: number; c1: number }>();
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const k = findCell(id(r, c));
        const s = spans.get(k);
        if (!s) spans.set(k, { r0: r, c0: c, r1: r, c1: c });
        else {
          s.r0 = Math.min(s.r0, r);
          s.c0 = Math.min(s.c0, c);
          s.r1 = Math.max(s.r1, r);
          s.c1 = Math.max(s.c1, c);
        }
      }
    }
    const cells: GridCell[] = [...spans.values()]
      .map((s) => ({
        row: s.r0, col: s.c0, rowSpan: s.r1 - s.r0 + 1, colSpan: s.c1 - s.c0 + 1,
        x0: xs[s.c0]!, x1: xs[s.c1 + 1]!, y0: ys[s.r0]!, y1: ys[s.r1 + 1]!,
      }))
      .sort((a, b) => a.row - b.row || a.col - b.col);
    grids.push({ bounds: { x0: xs[0]!, y0: ys[0]!, x1: xs[xs.length - 1]!, y1: ys[ys.length - 1]! }, rows, cols, cells });
  }
  return grids.sort((a, b) => a.bounds.y0 - b.bounds.y0);
}

export interface Strip {
  image: GreyImage;
  /** where each cell's ink was put in the strip (same order as the cells given); null = no ink */
  boxes: (Rect | null)[];
}

/**
 * The cells' ink (cut to its bounding box, rules left out) laid out again row by row with wide
 * white gaps, so one OCR call reads every cell, no two cells can be read as one word, and each
 * word can be traced back to its cell. Cells sit in one text line per table row, because
 * tesseract drops a lone digit standing on a line of its own.
 */
export function cellStrip(image: GreyImage, rows: Rect[][], inset = 5, gap = 60, hgap = 200): Strip {
  const ink = (c: Rect): Rect | null => {
    let x0 = Number.POSITIVE_INFINITY;
    let y0 = Number.POSITIVE_INFINITY;
    let x1 = -1;
    let y1 = -1;
    for (let y = Math.round(c.y0 + inset); y < Math.round(c.y1 - inset); y++) {
      for (let x = Math.round(c.x0 + inset); x < Math.round(c.x1 - inset); x++) {
        if (image.data[y * image.width + x]! >= DARK) continue;
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
    }
    // a few specks are dust, not text
    return x1 - x0 >= 3 && y1 - y0 >= 3 ? { x0: x0 - 3, y0: y0 - 3, x1: x1 + 4, y1: y1 + 4 } : null;
  };
  const placed: { from: Rect; to: Rect }[][] = [];
  let top = gap;
  let width = 0;
  for (const row of rows) {
    let left = hgap;
    let height = 0;
    const line: { from: Rect; to: Rect }[] = [];
    for (const cell of row) {
      const from = ink(cell);
      if (!from) {
        line.push({ from: cell, to: { x0: 0, y0: 0, x1: 0, y1: 0 } });
        continue;
      }
      const w = from.x1 - from.x0;
      const h = from.y1 - from.y0;
      line.push({ from, to: { x0: left, y0: top, x1: left + w, y1: top + h } });
      left += w + hgap;
      height = Math.max(height, h);
    }
    // centre each cell vertically in its line, as text sits in a table row
    for (const p of line) {
      const shift = Math.floor((height - (p.to.y1 - p.to.y0)) / 2);
      if (p.to.x1 > 0) {
        p.to.y0 += shift;
        p.to.y1 += shift;
      }
    }
    placed.push(line);
    width = Math.max(width, left);
    if (height > 0) top += height + gap;
  }
  const data = new Uint8Array(Math.max(1, width) * top).fill(255);
  const boxes: (Rect | null)[] = [];
  for (const line of placed) {
    for (const { from, to } of line) {
      if (to.x1 === 0) {
        boxes.push(null);
        continue;
      }
      for (let y = 0; y < to.y1 - to.y0; y++) {
        const src = image.data.subarray((from.y0 + y) * image.width + from.x0, (from.y0 + y) * image.width + from.x1);
        data.set(src, (to.y0 + y) * width + to.x0);
      }
      boxes.push(to);
    }
  }
  return { image: { width: Math.max(1, width), height: top, data }, boxes };
}
