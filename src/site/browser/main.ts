/// <reference lib="dom" />
/**
 * The site's browser code: the header (navigation, language switch) and the page named by
 * <body data-page>. Bundled into site/app.js by src/site/bundle.ts.
 */
import { h } from './dom.ts';
import { lang, switchLanguage, t } from './i18n.ts';
import type { Label } from './i18n.ts';
import { agenciesPage, agencyPage } from './pages/agency.ts';
import { comparePage } from './pages/compare.ts';
import { coveragePage } from './pages/coverage.ts';
import { homePage } from './pages/home.ts';
import { reportPage } from './pages/report.ts';
import { searchPage } from './pages/search.ts';
import { sqlPage } from './pages/sql.ts';

const NAV: [string, string, Label][] = [
  ['home', 'index.html', 'nav_home'],
  ['coverage', 'coverage.html', 'nav_coverage'],
  ['agencies', 'agencies.html', 'nav_agencies'],
  ['compare', 'compare.html', 'nav_compare'],
  ['sql', 'sql.html', 'nav_sql'],
  ['search', 'search.html', 'nav_search'],
];

const PAGES: Record<string, (main: HTMLElement) => Promise<void>> = {
  home: homePage,
  coverage: coveragePage,
  agencies: agenciesPage,
  agency: agencyPage,
  report: reportPage,
  compare: comparePage,
  sql: sqlPage,
  search: searchPage,
};

function header(page: string): HTMLElement {
  const current = page === 'agency' ? 'agencies' : page;
  return h(
    'nav',
    { 'aria-label': 'main' },
    h('a', { class: 'brand', href: 'index.html' }, t('title')),
    h(
      'ul',
      {},
      NAV.map(([id, href, label]) => h('li', {}, h('a', { href, 'aria-current': id === current ? 'page' : null }, t(label)))),
    ),
    h('span', { class: 'snapshot' }, `${t('snapshot')} ${document.body.dataset.snapshot ?? ''}`),
  );
}

async function main(): Promise<void> {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  const page = document.body.dataset.page ?? 'home';
  const top = document.getElementById('top')!;
  const button = h('button', { type: 'button', class: 'lang' }, t('switch_lang'));
  button.addEventListener('click', switchLanguage);
  top.append(header(page), button);
  const main = document.getElementById('main')!;
  main.replaceChildren(h('p', { class: 'loading', role: 'status' }, t('loading')));
  try {
    const render = PAGES[page];
    if (render) await render(main);
  } catch (e) {
    main.replaceChildren(h('p', { class: 'error', role: 'alert' }, t('load_failed'), e instanceof Error ? e.message : String(e)));
  }
}

void main();
