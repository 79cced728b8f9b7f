/**
 * Printing result rows as an aligned text table, CSV or JSON. Column widths count display cells:
 * Chinese and full-width characters take two, so tables of agency names line up in a terminal.
 */

export type Value = string | number | bigint | boolean | null | Uint8Array;
export type OutputFormat = 'table' | 'csv' | 'json';

function isWide(codePoint: number): boolean {
  return (
    (codePoint >= 0x1100 && codePoint <= 0x115f) ||
    (codePoint >= 0x2e80 && codePoint <= 0xa4cf) ||
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) ||
    (codePoint >= 0xff00 && codePoint <= 0xff60) ||
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
    (codePoint >= 0x20000 && codePoint <= 0x3fffd)
  );
}

export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += isWide(ch.codePointAt(0) ?? 0) ? 2 : 1;
  return w;
}

export function cellText(v: Value): string {
  if (v === null) return '';
  if (v instanceof Uint8Array) return `<${v.length} bytes>`;
  return String(v);
}

export function formatTable(columns: string[], rows: Value[][]): string {
  const texts = rows.map((r) => r.map((v) => cellText(v).replace(/\s+/g, ' ')));
  const widths = columns.map((c, i) => Math.max(displayWidth(c), ...texts.map((r) => displayWidth(r[i] ?? ''))));
  const pad = (s: string, i: number) => s + ' '.repeat((widths[i] ?? 0) - displayWidth(s));
  const line = (cells: string[]) => cells.map(pad).join('  ').trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...texts.map(line)].join('\n');
}

/** RFC 4180 field: quoted when it holds a comma, quote, CR or LF; NULL is an empty unquoted field */
export function csvField(v: Value): string {
  const s = cellText(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function formatCsv(columns: string[], rows: Value[][]): string {
  return [columns.map(csvField).join(','), ...rows.map((r) => r.map(csvField).join(','))].join('\r\n') + '\r\n';
}

export function formatJson(columns: string[], rows: Value[][]): string {
  const objects = rows.map((r) =>
    Object.fromEntries(columns.map((c, i) => {
      const v = r[i] ?? null;
      return [c, typeof v === 'bigint' ? Number(v) : v instanceof Uint8Array ? cellText(v) : v];
    })),
  );
  return JSON.stringify(objects, null, 2);
}

export function formatRows(format: OutputFormat, columns: string[], rows: Value[][]): string {
  if (format === 'csv') return formatCsv(columns, rows);
  if (format === 'json') return formatJson(columns, rows);
  return formatTable(columns, rows);
}
