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

/** rows of a table-format result whose widths decide the column widths; later rows are printed with them */
export const TABLE_WIDTH_ROWS = 1000;

/** where streamed output goes: resolves when the text may be followed by more (backpressure) */
export type Sink = (text: string) => Promise<void> | void;

/** one JSON object per row, indented as JSON.stringify(rows, null, 2) would indent it */
function jsonRow(columns: string[], row: Value[]): string {
  const object = Object.fromEntries(columns.map((c, i) => {
    const v = row[i] ?? null;
    return [c, typeof v === 'bigint' ? Number(v) : v instanceof Uint8Array ? cellText(v) : v];
  }));
  return JSON.stringify(object, null, 2).split('\n').map((l) => `  ${l}`).join('\n');
}

/**
 * Writes rows as they come, in any format, holding at most TABLE_WIDTH_ROWS rows (the table
 * format aligns its columns on them; a longer cell later only shifts its own line). The output is
 * the same as formatRows gives for the same rows when they fit in the first TABLE_WIDTH_ROWS.
 * Returns the number of rows written.
 */
export async function streamRows(format: OutputFormat, columns: string[], rows: Iterable<Value[]>, sink: Sink): Promise<number> {
  let count = 0;
  if (format === 'csv') {
    await sink(`${columns.map(csvField).join(',')}\r\n`);
    for (const r of rows) {
      await sink(`${r.map(csvField).join(',')}\r\n`);
      count++;
    }
    return count;
  }
  if (format === 'json') {
    for (const r of rows) {
      await sink(`${count === 0 ? '[\n' : ',\n'}${jsonRow(columns, r)}`);
      count++;
    }
    await sink(count === 0 ? '[]\n' : '\n]\n');
    return count;
  }
  const head: string[][] = [];
  let widths: number[] | null = null;
  const line = (cells: string[]) => cells.map((s, i) => s + ' '.repeat(Math.max(0, (widths?.[i] ?? 0) - displayWidth(s)))).join('  ').trimEnd();
  const start = async () => {
    widths = columns.map((c, i) => Math.max(displayWidth(c), ...head.map((r) => displayWidth(r[i] ?? ''))));
    const w = widths;
    await sink(`${line(columns)}\n${line(w.map((n) => '-'.repeat(n)))}\n`);
    for (const r of head) await sink(`${line(r)}\n`);
    head.length = 0;
  };
  for (const r of rows) {
    const texts = r.map((v) => cellText(v).replace(/\s+/g, ' '));
    count++;
    if (widths) await sink(`${line(texts)}\n`);
    else {
      head.push(texts);
      if (head.length >= TABLE_WIDTH_ROWS) await start();
    }
  }
  if (!widths) await start();
  return count;
}
