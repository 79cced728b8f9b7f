/**
 * Ruled tables in page images. The rules give the cells exactly (merged cells included), which
 * OCR of a whole page cannot: tesseract glues neighbouring cells and mixes the wrapped labels of
 * adjacent rows. Here the rules are found and turned into a grid of (possibly merged) cells;
 * ocr.ts then reads each cell on its own.
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

/** Dark runs at least `min` long along each line of pixels, merged into rules. */
function rules(image: GreyImage, horizontal: boolean, min: number, dark: number): Rule[] {
  const { width, height, data } = image;
  const outer = horizontal ? height : width;
  const inner = horizontal ? width : height;
  const segments: Rule[] = [];
  for (let a = 0; a < outer; a++) {
    // a run survives two light pixels: noise and blur break thin rules
    let start = -1;
    let last = -1;
    for (let b = 0; b <= inner; b++) {
      const v = b < inner ? data[horizontal ? a * width + b : b * width + a]! : 255;
      if (v < dark) {
        if (start < 0 || b - last > 3) start = b;
        last = b;
      } else if (start >= 0 && (b - last > 3 || b === inner)) {
        if (last - start + 1 >= min) segments.push({ at: a, from: start, to: last });
        start = -1;
      }
    }
  }
  // neighbouring segments (a thick, broken or slightly skewed rule) become one rule
  const merged: (Rule & { last: number; sum: number; n: number })[] = [];
  for (const s of segments) {
    const m = merged.find((r) => s.at - r.last <= 3 && s.from <= r.to + 30 && s.to >= r.from - 30);
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
export function findGrids(image: GreyImage, dark = 160): Grid[] {
  const minH = Math.max(40, Math.round(image.width / 25));
  const minV = Math.max(30, Math.round(image.height / 60));
  const hs = rules(image, true, minH, dark);
  const vs = rules(image, false, minV, dark);
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
