/// <reference lib="dom" />
/** Compare: agencies ranked by an indicator, filtered by level, region and year; chart as PNG/SVG, data as CSV. */
import * as Plot from '@observablehq/plot';
import type { AgencyListItem, CompareRow } from '../../data.ts';
import { csv, fill, fmt, h, save } from '../dom.ts';
import { t } from '../i18n.ts';
import { indicatorLabel, loadLabels } from '../labels.ts';
import { load } from '../load.ts';

function select(id: string, label: string, options: [string, string][], value?: string): [HTMLElement, HTMLSelectElement] {
  const s = h('select', { id }, options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)));
  return [h('label', { for: id }, `${label} `, s), s];
}

function pngOf(svg: SVGSVGElement): Promise<Blob> {
  const text = new XMLSerializer().serializeToString(svg);
  const { width, height } = svg.getBoundingClientRect();
  const img = new Image();
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  return new Promise((resolve, reject) => {
    img.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = Math.ceil(width * 2);
      canvas.height = Math.ceil(height * 2);
      const ctx = canvas.getContext('2d')!;
      ctx.fillStyle = 'white';
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.scale(2, 2);
      ctx.drawImage(img, 0, 0, width, height);
      URL.revokeObjectURL(url);
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG could not be made'))), 'image/png');
    };
    img.onerror = () => reject(new Error('the chart could not be drawn'));
    img.src = url;
  });
}

export async function comparePage(main: HTMLElement): Promise<void> {
  const [rows, agencies, labels] = await Promise.all([load<CompareRow[]>('compare'), load<AgencyListItem[]>('agencies'), loadLabels()]);
  const regionName = new Map(agencies.map((a) => [a.region ?? '', a.regionName ?? a.region ?? '']));
  const years = [...new Set(rows.map((r) => r.year))].sort((a, b) => b - a);
  const levels = [...new Set(rows.map((r) => r.level).filter((l): l is string => !!l))].sort();
  const regions = [...new Set(rows.map((r) => r.region).filter((r): r is string => !!r))].sort();
  const [indicatorBox, indicator] = select('indicator', t('indicator'), labels.indicators.map((c) => [c, indicatorLabel(c)]));
  const [yearBox, year] = select('year', t('year'), [['', t('all')], ...years.map((y): [string, string] => [String(y), String(y)])], String(years[0] ?? ''));
  const [levelBox, level] = select('level', t('level'), [['', t('all')], ...levels.map((l): [string, string] => [l, l])]);
  const [regionBox, region] = select('region', t('region'), [['', t('all')], ...regions.map((r): [string, string] => [r, regionName.get(r) ?? r])]);
  const [topBox, top] = select('top', t('top'), ['20', '50', '100', '1000'].map((n) => [n, n]));
  const chart = h('figure', { 'data-chart': 'compare' });
  const table = h('tbody', {});
  let shown: { row: CompareRow; value: number }[] = [];
  const render = () => {
    const i = labels.indicators.indexOf(indicator.value);
    shown = rows
      .filter((r) => (year.value === '' || String(r.year) === year.value) && (level.value === '' || r.level === level.value) && (region.value === '' || r.region === region.value))
      .filter((r) => r.values[i] !== null)
      .map((r) => ({ row: r, value: r.values[i]! }))
      .sort((a, b) => b.value - a.value || a.row.agency.localeCompare(b.row.agency))
      .slice(0, Number(top.value));
    const data = shown.map((s) => ({ name: year.value === '' ? `${s.row.agency} ${s.row.year}` : s.row.agency, value: s.value }));
    chart.replaceChildren(
      h('figcaption', {}, indicatorLabel(indicator.value)),
      Plot.plot({
        marginLeft: 220,
        height: Math.max(120, data.length * 22 + 40),
        x: { label: indicatorLabel(indicator.value), grid: true },
        y: { label: null, domain: data.map((d) => d.name) },
        marks: [Plot.barX(data, { x: 'value', y: 'name', fill: '#4269d0', title: (d: (typeof data)[number]) => `${d.name}: ${d.value}` }), Plot.ruleX([0])],
      }),
    );
    table.replaceChildren(
      ...shown.map((s, n) =>
        h('tr', {}, h('td', { class: 'num' }, String(n + 1)), h('td', {}, h('a', { href: `agency.html?id=${s.row.agencyId}` }, s.row.agency)), h('td', {}, String(s.row.year)), h('td', {}, s.row.level ?? ''), h('td', { class: 'num' }, fmt(s.value, 4))),
      ),
    );
  };
  for (const s of [indicator, year, level, region, top]) s.addEventListener('change', render);
  const svgButton = h('button', { type: 'button' }, t('download_svg'));
  const pngButton = h('button', { type: 'button' }, t('download_png'));
  const csvButton = h('button', { type: 'button' }, t('download_csv'));
  const chartSvg = () => chart.querySelector('svg:not(figure figure svg)') as SVGSVGElement | null;
  svgButton.addEventListener('click', () => {
    const svg = chartSvg();
    if (svg) save(`ogi-${indicator.value}.svg`, new Blob([new XMLSerializer().serializeToString(svg)], { type: 'image/svg+xml' }));
  });
  pngButton.addEventListener('click', () => {
    const svg = chartSvg();
    if (svg) void pngOf(svg).then((b) => save(`ogi-${indicator.value}.png`, b));
  });
  csvButton.addEventListener('click', () => {
    save(
      `ogi-${indicator.value}.csv`,
      csv(['rank', 'agency', 'year', 'level', 'region', indicator.value, 'report_id'], shown.map((s, n) => [n + 1, s.row.agency, s.row.year, s.row.level, s.row.region, s.value, s.row.id])),
    );
  });
  render();
  fill(
    main,
    h('h1', {}, t('nav_compare')),
    h('p', {}, t('compare_intro')),
    h('div', { class: 'controls' }, indicatorBox, yearBox, levelBox, regionBox, topBox),
    h('p', { class: 'controls' }, svgButton, pngButton, csvButton),
    chart,
    h(
      'table',
      { class: 'list', 'data-table': 'compare' },
      h('thead', {}, h('tr', {}, [t('rank'), t('agency'), t('year'), t('level'), t('value')].map((c) => h('th', { scope: 'col' }, c)))),
      table,
    ),
  );
}
