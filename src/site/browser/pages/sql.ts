/// <reference lib="dom" />
/**
 * SQL in the browser: sql.js (site/vendor/sql-wasm-inline.js, its WebAssembly inlined so that
 * nothing is fetched for it) over the snapshot's ogi.sqlite. Served over HTTP the page reads
 * ../ogi.sqlite itself; opened from file:// the browser forbids that, so the reader chooses the file.
 * The database lives in the page's memory: a statement that writes changes that copy only.
 */
import { csv, fill, h, save } from '../dom.ts';
import { t } from '../i18n.ts';
import { load, loadScript } from '../load.ts';

interface QueryResult {
  columns: string[];
  values: unknown[][];
}
interface SqlDatabase {
  exec(sql: string, params?: Record<string, unknown>): QueryResult[];
}
type InitSqlJs = () => Promise<{ Database: new (data: Uint8Array) => SqlDatabase }>;

interface Canned {
  name: string;
  title: string;
  description: string;
  params: { name: string; default: string | null }[];
  sql: string;
}

const MAX_SHOWN = 1000;

async function openDatabase(status: HTMLElement, picker: HTMLElement): Promise<SqlDatabase> {
  await loadScript('vendor/sql-wasm-inline.js');
  const SQL = await (window as unknown as { initSqlJs: InitSqlJs }).initSqlJs();
  if (location.protocol !== 'file:') {
    status.textContent = t('sql_loading');
    const response = await fetch('../ogi.sqlite');
    if (!response.ok) throw new Error(`../ogi.sqlite: HTTP ${response.status}`);
    return new SQL.Database(new Uint8Array(await response.arrayBuffer()));
  }
  status.textContent = t('sql_file');
  const input = h('input', { type: 'file', id: 'sqlite-file', accept: '.sqlite,.db,application/vnd.sqlite3' });
  picker.replaceChildren(h('label', { for: 'sqlite-file' }, 'ogi.sqlite '), input);
  return new Promise((resolve) => {
    input.addEventListener('change', async () => {
      const file = input.files?.[0];
      if (file) resolve(new SQL.Database(new Uint8Array(await file.arrayBuffer())));
    });
  });
}

export async function sqlPage(main: HTMLElement): Promise<void> {
  const queries = await load<Canned[]>('queries');
  const status = h('p', { role: 'status', id: 'sql-status' });
  const picker = h('p', {});
  const editor = h('textarea', { id: 'sql', rows: 10, spellcheck: 'false', 'aria-label': 'SQL' }, 'SELECT a.name, r.year, r.template\nFROM reports r JOIN agencies a ON a.id = r.agency_id\nWHERE r.ok = 1 AND r.is_current = 1\nORDER BY r.year DESC, a.name\nLIMIT 20;');
  const paramBox = h('p', { class: 'controls' });
  const run = h('button', { type: 'button', id: 'run', disabled: true }, `${t('run')} (Ctrl+Enter)`);
  const download = h('button', { type: 'button', id: 'download-csv', disabled: true }, t('download_csv'));
  const output = h('div', { id: 'sql-result', 'aria-live': 'polite' });
  let last: QueryResult | null = null;
  let defaults: Record<string, string> = {};

  // one input per :name in the SQL, filled with the example's default
  const syncParams = () => {
    const names = [...new Set([...editor.value.matchAll(/(?<![:\w]):([A-Za-z_]\w*)/g)].map((m) => m[1]!))];
    const before = new Map([...paramBox.querySelectorAll('input')].map((i) => [i.name, i.value]));
    paramBox.replaceChildren(
      ...names.map((n) => h('label', {}, `:${n} `, h('input', { name: n, value: before.get(n) ?? defaults[n] ?? '', size: 8 }))),
    );
  };
  editor.addEventListener('input', syncParams);

  const examples = h(
    'ul',
    { class: 'examples' },
    queries.map((q) => {
      const b = h('button', { type: 'button', class: 'link', 'data-query': q.name, title: q.description }, q.title);
      b.addEventListener('click', () => {
        defaults = Object.fromEntries(q.params.map((p) => [p.name, p.default ?? '']));
        paramBox.replaceChildren();
        editor.value = q.sql;
        syncParams();
        editor.focus();
      });
      return h('li', {}, b, ' ', h('code', {}, q.name));
    }),
  );

  fill(
    main,
    h('h1', {}, t('nav_sql')),
    h('p', {}, t('sql_intro')),
    status,
    picker,
    editor,
    paramBox,
    h('p', { class: 'controls' }, run, download),
    output,
    h('h2', {}, t('examples')),
    examples,
  );

  const db = await openDatabase(status, picker);
  status.textContent = t('sql_ready');
  picker.replaceChildren();
  run.disabled = false;

  const execute = () => {
    const params: Record<string, unknown> = {};
    for (const input of paramBox.querySelectorAll('input')) params[`:${input.name}`] = /^-?\d+(\.\d+)?$/.test(input.value) ? Number(input.value) : input.value;
    try {
      const results = db.exec(editor.value, params);
      last = results[results.length - 1] ?? { columns: [], values: [] };
      download.disabled = false;
      output.replaceChildren(
        h('p', {}, `${last.values.length} ${t('rows')}`),
        h(
          'table',
          { class: 'list', 'data-table': 'sql' },
          h('thead', {}, h('tr', {}, last.columns.map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', {}, last.values.slice(0, MAX_SHOWN).map((row) => h('tr', {}, row.map((v) => h('td', {}, v === null ? '' : String(v)))))),
        ),
      );
    } catch (e) {
      last = null;
      download.disabled = true;
      output.replaceChildren(h('p', { class: 'error', role: 'alert' }, `${t('error')}: ${e instanceof Error ? e.message : String(e)}`));
    }
  };
  run.addEventListener('click', execute);
  editor.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      execute();
    }
  });
  download.addEventListener('click', () => {
    if (last) save('ogi-query.csv', csv(last.columns, last.values));
  });
}
