/// <reference lib="dom" />
/** Home: what the dataset is, how it is made, counts, downloads, citation, licence, changes. */
import { bytes, fill, fmt, h } from '../dom.ts';
import { t } from '../i18n.ts';
import { load } from '../load.ts';
import { markdown } from '../markdown.ts';

interface Home {
  name: string;
  created: string;
  counts: { reports: number; agencies: number; documents: number; failed: number; years: [number | null, number | null]; failedChecks: number; regions: number };
  license: { name: string; path: string; title: string };
  downloads: { path: string; bytes: number; sha256: string }[];
  changes: string | null;
  citation: string;
}

export async function homePage(main: HTMLElement): Promise<void> {
  const d = await load<Home>('home');
  const c = d.counts;
  const [first, last] = c.years;
  fill(
    main,
    h('h1', {}, t('title')),
    h('p', { class: 'lead' }, `${t('snapshot')} ${d.name} · ${d.created.slice(0, 10)}`),
    h(
      'section',
      { 'aria-labelledby': 'counts' },
      h('h2', { id: 'counts' }, t('counts')),
      h(
        'ul',
        { class: 'counts' },
        h('li', {}, h('strong', { 'data-count': 'reports' }, fmt(c.reports)), ' ', t('c_reports')),
        h('li', {}, h('strong', { 'data-count': 'agencies' }, fmt(c.agencies)), ' ', t('c_agencies')),
        h('li', {}, h('strong', { 'data-count': 'regions' }, fmt(c.regions)), ' ', t('c_regions')),
        h('li', {}, h('strong', { 'data-count': 'documents' }, fmt(c.documents)), ' ', t('c_documents')),
        h('li', {}, h('strong', { 'data-count': 'failed' }, fmt(c.failed)), ' ', t('c_failed')),
        h('li', {}, h('strong', { 'data-count': 'failed-checks' }, fmt(c.failedChecks)), ' ', t('c_failed_checks')),
        first !== null ? h('li', {}, h('strong', {}, first === last ? String(first) : `${first}–${last}`), ' ', t('c_years')) : null,
      ),
    ),
    h('section', {}, h('h2', {}, t('what')), h('p', {}, t('what_text'))),
    h('section', {}, h('h2', {}, t('how')), h('ol', { class: 'steps' }, t('how_steps').split('|').map((s) => h('li', {}, s)))),
    h(
      'section',
      {},
      h('h2', {}, t('downloads')),
      h(
        'table',
        { class: 'downloads' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('file')), h('th', { scope: 'col' }, t('size')), h('th', { scope: 'col' }, 'SHA-256'))),
        h(
          'tbody',
          {},
          d.downloads.map((f) => h('tr', {}, h('td', {}, h('a', { href: `../${f.path}` }, f.path)), h('td', { class: 'num' }, bytes(f.bytes)), h('td', {}, h('code', {}, f.sha256)))),
          h('tr', {}, h('td', {}, h('a', { href: '../SHA256SUMS' }, 'SHA256SUMS')), h('td', {}), h('td', {}, 'sha256sum -c SHA256SUMS')),
        ),
      ),
    ),
    h('section', {}, h('h2', {}, t('citation')), h('blockquote', {}, d.citation), h('p', {}, h('a', { href: 'CITATION.cff' }, t('citation_cff')))),
    h('section', {}, h('h2', {}, t('licence')), h('p', {}, h('a', { href: d.license.path }, d.license.title), ` (${d.license.name})`)),
    h('section', { class: 'changes' }, h('h2', {}, t('changes')), d.changes ? markdown(d.changes) : h('p', {}, t('no_changes'))),
  );
}
