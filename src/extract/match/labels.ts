/**
 * Label matching. A logical row's label is every label cell before its numbers joined together,
 * so it may start with header words or a group label (（三）不予公开) and end with the row's own
 * label. The row is the candidate whose key occurs LAST in that text: the most specific label.
 */
import { normLabel } from '../normalize.ts';
import type { Labelled } from '../../domain/template.ts';

const keyCache = new WeakMap<Labelled, string[]>();

function normKeys(item: Labelled): string[] {
  let keys = keyCache.get(item);
  if (!keys) {
    keys = item.keys.map(normLabel);
    keyCache.set(item, keys);
  }
  return keys;
}

export interface LabelMatch<T extends Labelled> {
  item: T;
  /** end offset of the matched key in the label text */
  end: number;
}

export function matchLabel<T extends Labelled>(label: string, candidates: readonly T[]): LabelMatch<T> | null {
  let best: LabelMatch<T> | null = null;
  for (const item of candidates) {
    for (const key of normKeys(item)) {
      const at = label.lastIndexOf(key);
      if (at < 0) continue;
      const end = at + key.length;
      if (!best || end > best.end) best = { item, end };
    }
  }
  return best;
}

/** True when any key of the item occurs in the text. */
export function mentions(text: string, item: Labelled): boolean {
  return normKeys(item).some((k) => text.includes(k));
}

/**
 * The candidate one of whose keys runs across `junction` in the label ("…确认或重|新出具…"): a
 * label wrapped onto the line after its numbers is completed by that line, and only a key that
 * spans the break shows the line belongs to it.
 */
export function matchAcross<T extends Labelled>(label: string, junction: number, candidates: readonly T[]): T | null {
  for (const item of candidates) {
    for (const key of normKeys(item)) {
      for (let at = label.indexOf(key); at >= 0; at = label.indexOf(key, at + 1)) {
        if (at < junction && at + key.length > junction) return item;
      }
    }
  }
  return null;
}
