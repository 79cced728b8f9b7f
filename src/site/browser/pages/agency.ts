/// <reference lib="dom" />
/** Agencies: the list (filterable), and one agency's years in charts and tables with its reports. */
import * as Plot from '@observablehq/plot';
import type { AgencyListItem, AgencyPage } from '../../data.ts';
import { fill, fmt, h, param } from '../dom.ts';
import { t, tl } from '../i18n.ts';
import { loadLabels, outcomeGroupLabel } from '../labels.ts';
import type { Labels } from '../labels.ts';
import { load } from '../load.ts';

export async function agenciesPage(main: HTMLElement): Promise<void> {
  const list = await load<AgencyListItem[]>('agencies');
  const input = h('input', { type: 'search', id: 'agency-filter', 'aria-label': t('filter') });
  const body = h('tbody', {});
  const render = () => {
    const q = input.value.trim();
    body.replaceChildren(
      ...list
        .filter((a) => q === '' || a.name.includes(q) || (a.regionName ?? '').includes(q))
        .slice(0, 500)
        .map((a) =>
          h('tr', {}, h('td', {}, h('a', { href: `agency.html?id=${a.id}` }, a.name)), h('td', {}, a.level ?? ''), h('td', {}, a.regionName ?? ''), h('td', {}, a.years.join(', '))),
        ),
    );
  };
  input.addEventListener('input', render);
  render();
  fill(
    main,
    h('h1', {}, t('nav_agencies')),
    h('p', {}, h('label', { for: 'agency-filter' }, t('filter'), ' '), input),
    h(
      'table',
      { class: 'list' },
      h('thead', {}, h('tr', {}, [t('agency'), t('level'), t('region'), t('years')].map((c) => h('th', { scope: 'col' }, c)))),
      body,
    ),
  );
}

/** a chart in a figure found by name, or nothing when no year has a value to draw; bar titles carry the values */
function figure(name: string, label: string, hasData: boolean, chart: () => Element, note?: string): HTMLElement | null {
  return hasData ? h('figure', { 'data-chart': name, 'aria-label': label }, chart(), note ? h('figcaption', { class: 'note' }, note) : null) : null;
}

function outcomesChart(a: AgencyPage, labels: Labels): Element {
  const data = a.years.flatMap((y) =>
    labels.outcomeGroups.filter((g) => y.outcomes[g] !== null && y.outcomes[g] !== undefined).map((g) => ({ year: String(y.year), group: outcomeGroupLabel(g), code: g, value: y.outcomes[g]! })),
  );
  const received = a.years.filter((y) => y.newReceived !== null).map((y) => ({ year: String(y.year), value: y.newReceived! }));
  return Plot.plot({
    marginLeft: 50,
    x: { label: t('year'), type: 'band' },
    y: { label: null, grid: true },
    color: { legend: true, domain: labels.outcomeGroups.map(outcomeGroupLabel), scheme: 'tableau10' },
    marks: [
      Plot.barY(data, { x: 'year', y: 'value', fill: 'group', title: (d: (typeof data)[number]) => `${d.year} ${d.group}: ${d.value}`, ariaDescription: 'outcome' }),
      Plot.dot(received, { x: 'year', y: 'value', r: 4, fill: 'black', title: (d: (typeof received)[number]) => `${d.year} ${t('new_received')}: ${d.value}`, ariaDescription: 'new_received' }),
      Plot.ruleY([0]),
    ],
  });
}

function table4Chart(a: AgencyPage, labels: Labels): Element {
  const outcomes = labels.table4Outcomes.filter((o) => o.code !== 'total');
  const data = a.years.flatMap((y) =>
    labels.table4Groups.flatMap((g) =>
      outcomes
        .map((o) => ({ year: String(y.year), group: tl(g), outcome: tl(o), value: y.table4[`${g.code}|${o.code}`] ?? null }))
        .filter((d): d is { year: string; group: string; outcome: string; value: number } => d.value !== null),
    ),
  );
  return Plot.plot({
    marginLeft: 40,
    fx: { label: null },
    x: { label: t('year'), type: 'band' },
    y: { label: null, grid: true },
    color: { legend: true, domain: outcomes.map(tl), scheme: 'set2' },
    marks: [
      Plot.barY(data, { fx: 'group', x: 'year', y: 'value', fill: 'outcome', title: (d: (typeof data)[number]) => `${d.year} ${d.group} ${d.outcome}: ${d.value}` }),
      Plot.ruleY([0]),
    ],
  });
}

function yearTable(a: AgencyPage, caption: string, rows: { label: string; value: (y: AgencyPage['years'][number]) => number | null }[], name: string): HTMLElement {
  return h(
    'table',
    { class: 'figures', 'data-table': name },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }), a.years.map((y) => h('th', { scope: 'col' }, h('a', { href: `report.html?id=${y.reportId}` }, String(y.year)))))),
    h(
      'tbody',
      {},
      rows.map((r) => h('tr', {}, h('th', { scope: 'row' }, r.label), a.years.map((y) => h('td', { class: 'num' }, fmt(r.value(y)))))),
    ),
  );
}

export async function agencyPage(main: HTMLElement): Promise<void> {
  const id = param('id');
  if (!id) {
    main.replaceChildren(h('p', { class: 'error' }, t('no_id')));
    return;
  }
  const [a, labels] = await Promise.all([load<AgencyPage>(`agency/${id}`), loadLabels()]);
  const t4rows = labels.table4Groups.flatMap((g) =>
    labels.table4Outcomes.map((o) => ({ label: `${tl(g)} · ${tl(o)}`, value: (y: AgencyPage['years'][number]) => y.table4[`${g.code}|${o.code}`] ?? null })),
  );
  // every table-2 cell any of the agency's years has, in template order (2021 rows, then 2019-only ones)
  const t2cells = [...labels.table2['2021'], ...labels.table2['2019']]
    .flatMap((r) => r.columns.map((c) => ({ key: `${r.code}|${c.code}`, label: `${tl(r)} · ${tl(c)}` })))
    .filter((c, i, all) => all.findIndex((o) => o.key === c.key) === i && a.years.some((y) => y.table2[c.key] !== undefined));
  fill(
    main,
    h('h1', {}, a.name),
    h('p', { class: 'lead' }, [a.level, a.regionName].filter(Boolean).join(' · ')),
    a.years.length > 0
      ? h(
          'section',
          {},
          h('h2', {}, t('applications')),
          figure('outcomes', t('applications'), a.years.some((y) => y.newReceived !== null || Object.values(y.outcomes).some((v) => v !== null)), () => outcomesChart(a, labels), `● ${t('new_received')}`),
          yearTable(
            a,
            t('applications'),
            [
              { label: t('new_received'), value: (y) => y.newReceived },
              ...labels.outcomeGroups.map((g) => ({ label: outcomeGroupLabel(g), value: (y: AgencyPage['years'][number]) => y.outcomes[g] ?? null })),
            ],
            'outcomes',
          ),
          h('h2', {}, t('review_litigation')),
          figure('table4', t('review_litigation'), a.years.some((y) => Object.values(y.table4).some((v) => v !== null)), () => table4Chart(a, labels)),
          yearTable(a, t('review_litigation'), t4rows, 'table4'),
          h('h2', {}, t('table2_figures')),
          yearTable(a, t('table2_figures'), t2cells.map((c) => ({ label: c.label, value: (y) => y.table2[c.key] ?? null })), 'table2'),
        )
      : null,
    h(
      'section',
      {},
      h('h2', {}, t('reports')),
      h(
        'table',
        { class: 'list', 'data-table': 'reports' },
        h('thead', {}, h('tr', {}, [t('year'), t('version'), t('checks'), t('warnings')].map((c) => h('th', { scope: 'col' }, c)))),
        h(
          'tbody',
          {},
          a.reports.map((r) =>
            h(
              'tr',
              {},
              h('td', {}, h('a', { href: `report.html?id=${r.id}` }, r.year === null ? `#${r.id}` : String(r.year))),
              h('td', {}, r.ok ? `${r.version ?? ''} ${r.current ? t('current') : t('superseded')}` : t('not_read')),
              h(
                'td',
                {},
                r.ok ? h('span', { class: r.failed > 0 ? 'badge inconsistent' : 'badge found' }, `${r.passed} ${t('passed')} · ${r.failed} ${t('failed')} · ${r.undecided} ${t('undecided')}`) : (r.error ?? ''),
              ),
              h('td', { class: 'num' }, String(r.warnings)),
            ),
          ),
        ),
      ),
    ),
  );
}
