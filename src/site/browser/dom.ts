/// <reference lib="dom" />
/** Small DOM helpers: build elements, format numbers, save a file the page made. */

type Child = Node | string | number | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | number | boolean | null | undefined> = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'number' ? String(c) : c);
  }
  return el;
}

export function fmt(v: number | null | undefined, digits = 2): string {
  if (v === null || v === undefined) return '—';
  return Number.isInteger(v) ? v.toLocaleString('en-US') : v.toLocaleString('en-US', { maximumFractionDigits: digits });
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function save(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** RFC 4180 CSV, CRLF line ends, with a byte order mark so spreadsheet programs read the Chinese as UTF-8 */
export function csv(header: string[], rows: unknown[][]): Blob {
  const field = (v: unknown) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  const text = [header, ...rows].map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
  return new Blob(['\ufeff', text], { type: 'text/csv;charset=utf-8' });
}

export function param(name: string): string | null {
  return new URLSearchParams(location.search).get(name);
}

/** replace an element's content, leaving out the parts a page does not have (null) */
export function fill(el: HTMLElement, ...children: (Node | string | null)[]): void {
  el.replaceChildren(...children.filter((c): c is Node | string => c !== null));
}
