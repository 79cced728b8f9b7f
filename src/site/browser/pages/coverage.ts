/// <reference lib="dom" />
/** Coverage: region × year, each cell found / missing / failed / inconsistent; choosing a cell lists its reports. */
import type { CoverageData, CoverageStatus } from '../../data.ts';
import { fill, h } from '../dom.ts';
import { t } from '../i18n.ts';
import type { Label } from '../i18n.ts';
import { load } from '../load.ts';

const STATUS_LABEL: Record<CoverageStatus | 'na', Label> = {
  found: 'st_found',
  missing: 'st_missing',
  failed: 'st_failed',
  inconsistent: 'st_inconsistent',
  na: 'st_na',
};

function reportList(reports: [number, string, CoverageStatus][]): HTMLElement {
  return h(
    'ul',
    {},
    reports.map(([id, agency, status]) => h('li', {}, h('a', { href: `report.html?id=${id}` }, agency || `#${id}`), ' ', h('span', { class: `badge ${status}` }, t(STATUS_LABEL[status])))),
  );
}

export async function coveragePage(main: HTMLElement): Promise<void> {
  const d = await load<CoverageData>('coverage');
  const detail = h('section', { id: 'cell-reports', 'aria-live': 'polite' });
  const legend = h('ul', { class: 'legend' }, (['found', 'inconsistent', 'failed', 'missing', 'na'] as const).map((s) => h('li', {}, h('span', { class: `swatch ${s}` }), t(STATUS_LABEL[s]))));
  const table = h(
    'table',
    { class: 'coverage' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('region')), d.years.map((y) => h('th', { scope: 'col' }, String(y))))),
    h(
      'tbody',
      {},
      d.regions.map((r) =>
        h(
          'tr',
          { class: `level-${r.level}` },
          h('th', { scope: 'row' }, r.name),
          d.years.map((y) => {
            const existed = (r.from === null || r.from <= y) && (r.to === null || r.to >= y);
            const cell = d.cells[`${r.code}|${y}`];
            const status: CoverageStatus | 'na' = cell ? cell.status : existed ? 'missing' : 'na';
            const label = `${r.name} ${y}: ${t(STATUS_LABEL[status])}${cell ? ` (${cell.reports.length})` : ''}`;
            if (!cell) return h('td', { class: status, title: label, 'data-cell': `${r.code}|${y}`, 'data-status': status }, h('span', { class: 'visually-hidden' }, label));
            const button = h('button', { type: 'button', class: status, 'aria-label': label, title: label }, String(cell.reports.length));
            button.addEventListener('click', () => {
              detail.replaceChildren(h('h2', {}, `${r.name} ${y}${t('reports_in')}`), reportList(cell.reports));
              detail.scrollIntoView({ block: 'nearest' });
            });
            return h('td', { class: status, 'data-cell': `${r.code}|${y}`, 'data-status': status }, button);
          }),
        ),
      ),
    ),
  );
  fill(
    main,
    h('h1', {}, t('nav_coverage')),
    h('p', {}, t('coverage_intro')),
    legend,
    h('div', { class: 'scroll' }, table),
    detail,
    d.unplaced.length > 0
      ? h(
          'section',
          {},
          h('h2', {}, t('unplaced')),
          reportList(d.unplaced.map(([id, agency, year, status]) => [id, `${agency || `#${id}`}${year ? ` ${year}` : ''}`, status])),
        )
      : null,
  );
}
