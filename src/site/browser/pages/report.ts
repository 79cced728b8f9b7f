/// <reference lib="dom" />
/**
 * A report: tables 2, 3 and 4 as extracted (each value's printed text and source on hover; the
 * cells a failed check reads highlighted), its checks and warnings, provenance, and the archived
 * source document beside the tables (HTML in a sandboxed frame, PDF in the browser's viewer).
 */
import type { Cell, ReportPage } from '../../data.ts';
import { fill, fmt, h, param } from '../dom.ts';
import { t, tl } from '../i18n.ts';
import type { Labelled } from '../labels.ts';
import { loadLabels } from '../labels.ts';
import { load } from '../load.ts';

/** what the page marks at a cell: the failed checks that read it, the warnings that name it */
interface Marks {
  failed: Map<string, string[]>;
  warned: Map<string, string[]>;
}

function cellTd(r: ReportPage, table: 'table2' | 'table3' | 'table4', row: string, col: string, marks: Marks): HTMLElement {
  const key = `${table}|${row}|${col}`;
  const cell: Cell | undefined = r.tables[table][`${row}|${col}`];
  const rules = marks.failed.get(key);
  const warnings = marks.warned.get(key);
  if (!cell) return h('td', { class: 'absent', 'data-cell': key });
  const [value, raw, confidence, documentId] = cell;
  const hover = [
    `${t('raw')}: ${raw === null ? '—' : JSON.stringify(raw)}`,
    value === null ? t('blank') : null,
    confidence !== null ? `${t('confidence')}: ${confidence}` : null,
    `${t('document')}: ${documentId === r.document.id ? r.document.sha256.slice(0, 12) : `#${documentId}`}${r.document.url && documentId === r.document.id ? ` ${r.document.url}` : ''}`,
    rules ? `${t('failed')}: ${rules.join(', ')}` : null,
    warnings ? `${t('warnings')}: ${warnings.join(', ')}` : null,
  ]
    .filter(Boolean)
    .join('\n');
  return h(
    'td',
    {
      class: ['num', value === null ? 'blank' : '', rules ? 'flagged' : '', warnings ? 'warned' : ''].filter(Boolean).join(' '),
      title: hover,
      // a marked cell can be reached from the keyboard; its marks are read out with it
      tabindex: rules || warnings ? 0 : null,
      'aria-label': rules || warnings ? hover.replaceAll('\n', '; ') : null,
      'data-cell': key,
      'data-raw': raw ?? '',
    },
    value === null ? '—' : fmt(value, 6),
  );
}

function grid(r: ReportPage, table: 'table2' | 'table3' | 'table4', caption: string, rows: { code: string; label: string }[], cols: (row: string) => Labelled[], marks: Marks): HTMLElement {
  const allCols = [...new Map(rows.flatMap((row) => cols(row.code)).map((c) => [c.code, c])).values()];
  return h(
    'table',
    { class: 'cells', 'data-table': table },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }), allCols.map((c) => h('th', { scope: 'col' }, tl(c))))),
    h(
      'tbody',
      {},
      rows.map((row) => {
        const own = new Set(cols(row.code).map((c) => c.code));
        return h('tr', {}, h('th', { scope: 'row' }, row.label), allCols.map((c) => (own.has(c.code) ? cellTd(r, table, row.code, c.code, marks) : h('td', { class: 'absent' }))));
      }),
    ),
  );
}

function sourceView(r: ReportPage): HTMLElement {
  if (!r.source) return h('p', { class: 'note' }, t('no_source'));
  const type = (r.document.mediaType ?? '').split(';')[0];
  const title = t('source');
  const { file, view } = r.source;
  let shown: HTMLElement;
  // Chromium's PDF viewer does not run in a sandboxed frame; it runs no script of the document
  if (type === 'application/pdf') shown = h('iframe', { src: file, title, class: 'source' });
  else if (type?.startsWith('image/')) shown = h('img', { src: file, alt: title, class: 'source' });
  // scripts, forms and same-origin access stay off: an archived page is shown, never run (and its view copy loads nothing)
  else if (type === 'text/html' || type === 'application/xhtml+xml' || type === 'text/plain') shown = h('iframe', { src: view, title, class: 'source', sandbox: '' });
  else shown = h('p', {}, r.document.mediaType ?? '');
  return h('div', {}, h('p', {}, h('a', { href: file, id: 'source-link', target: '_blank', rel: 'noopener' }, t('open_source'))), shown);
}

export async function reportPage(main: HTMLElement): Promise<void> {
  const id = param('id');
  if (!id) {
    main.replaceChildren(h('p', { class: 'error' }, t('no_id')));
    return;
  }
  const [r, labels] = await Promise.all([load<ReportPage>(`report/${id}`), loadLabels()]);
  const flagged: Marks = { failed: new Map(), warned: new Map() };
  for (const c of r.checks) for (const cell of c.cells) flagged.failed.set(cell, [...(flagged.failed.get(cell) ?? []), c.rule]);
  for (const w of r.warnings) for (const cell of w.cells) flagged.warned.set(cell, [...(flagged.warned.get(cell) ?? []), w.code]);
  const version = r.template === '2019' ? '2019' : '2021';
  const t2rows = labels.table2[version];
  const t3rows = labels.table3Rows.filter((row) => !row.only || row.only === version || Object.keys(r.tables.table3).some((k) => k.startsWith(`${row.code}|`)));
  const failed = r.checks.filter((c) => c.passed === false);
  const has = (table: 'table2' | 'table3' | 'table4') => Object.keys(r.tables[table]).length > 0;
  const d = r.document;
  fill(
    main,
    h('h1', {}, r.agency ?? `#${r.id}`, r.year ? ` ${r.year}` : ''),
    h(
      'p',
      { class: 'lead' },
      r.agencyId !== null ? h('a', { href: `agency.html?id=${r.agencyId}` }, r.agency ?? '') : null,
      ` · ${r.title ?? ''} · ${t('template')} ${r.template}${r.ocr ? ' · OCR' : ''} · ${r.ok ? (r.current ? t('current') : t('superseded')) : t('not_read')}`,
    ),
    r.error ? h('p', { class: 'error' }, r.error) : null,
    h(
      'div',
      { class: 'report' },
      h(
        'div',
        { class: 'tables' },
        has('table2') ? grid(r, 'table2', t('table2'), t2rows.map((row) => ({ code: row.code, label: tl(row) })), (code) => t2rows.find((x) => x.code === code)?.columns ?? [], flagged) : null,
        has('table3') ? grid(r, 'table3', t('table3'), t3rows.map((row) => ({ code: row.code, label: tl(row) })), () => labels.applicants, flagged) : null,
        has('table4') ? grid(r, 'table4', t('table4'), labels.table4Groups.map((g) => ({ code: g.code, label: tl(g) })), () => labels.table4Outcomes, flagged) : null,
        h(
          'section',
          { class: 'checks' },
          h('h2', {}, t('checks')),
          h('p', {}, `${r.checks.filter((c) => c.passed === true).length} ${t('passed')} · ${failed.length} ${t('failed')} · ${r.checks.filter((c) => c.passed === null).length} ${t('undecided')}`),
          failed.length > 0 ? h('ul', { class: 'failed-checks' }, failed.map((c) => h('li', {}, h('code', {}, c.rule), ' ', c.detail ?? ''))) : null,
          h('h2', {}, t('warnings')),
          r.warnings.length > 0 ? h('ul', { class: 'warnings' }, r.warnings.map((w) => h('li', {}, h('code', {}, w.code), ' ', w.message))) : h('p', {}, t('none')),
        ),
        h(
          'section',
          {},
          h('h2', {}, t('provenance')),
          h(
            'dl',
            { class: 'provenance' },
            h('dt', {}, t('url')),
            // only a web address becomes a link (a stored URL is data, never a script to run)
            h('dd', {}, d.url && /^https?:\/\//i.test(d.url) ? h('a', { href: d.url, rel: 'noopener' }, d.url) : (d.url ?? d.sourcePath ?? '—')),
            h('dt', {}, 'SHA-256'),
            h('dd', {}, h('code', { id: 'source-sha256' }, d.sha256)),
            h('dt', {}, t('fetched_at')),
            h('dd', {}, d.firstSeen),
            h('dt', {}, t('media_type')),
            h('dd', {}, `${d.mediaType ?? '—'} · ${fmt(d.size)} B`),
            h('dt', {}, t('extractor')),
            h('dd', {}, r.extractorVersion),
            h('dt', {}, t('loaded_at')),
            h('dd', {}, r.loadedAt),
          ),
          r.otherVersions.length > 0
            ? h('p', {}, `${t('other_versions')}: `, r.otherVersions.map((v) => h('a', { href: `report.html?id=${v.id}` }, `v${v.version ?? '?'} `)))
            : null,
        ),
      ),
      h('aside', { class: 'source-pane', 'aria-label': t('source') }, h('h2', {}, t('source')), sourceView(r)),
    ),
  );
}
