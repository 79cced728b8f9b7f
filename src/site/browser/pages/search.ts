/// <reference lib="dom" />
/**
 * Full-text search over the current reports' text with the index the site build wrote
 * (data/search/<shard>.js: character bigram → report ids). The reports holding every bigram of
 * the query are candidates; each is confirmed against its text (data/text/<id>.js) before it is
 * shown with a snippet, so a hit always contains the query as typed (white space aside).
 */
import { fill, h, param } from '../dom.ts';
import { t } from '../i18n.ts';
import { load } from '../load.ts';
import { bigrams, decodeGaps, normalise, shardOf } from '../terms.ts';

const SHOWN = 20;
const SNIPPET = 30;

async function candidates(query: string): Promise<number[]> {
  let ids: number[] | null = null;
  for (const term of bigrams(query)) {
    const shard = await load<Record<string, number[]>>(`search/${shardOf(term)}`);
    const found = new Set(decodeGaps(shard[term] ?? []));
    ids = ids === null ? [...found] : ids.filter((id) => found.has(id));
    if (ids.length === 0) break;
  }
  return ids ?? [];
}

/** the text around the first match, with the match marked; white space in the text is ignored as in the index */
function snippet(text: string, query: string): HTMLElement | null {
  const q = normalise(query);
  // positions of the non-space characters, so a match in the normalised text maps back to the original
  const positions: number[] = [];
  let flat = '';
  for (let i = 0; i < text.length; i++) {
    if (/\s/.test(text[i]!)) continue;
    positions.push(i);
    flat += text[i]!.toLowerCase();
  }
  const at = flat.indexOf(q);
  if (at < 0) return null;
  const start = positions[at]!;
  const end = positions[at + q.length - 1]! + 1;
  const before = text.slice(Math.max(0, start - SNIPPET), start).replace(/\s+/g, ' ');
  const after = text.slice(end, end + SNIPPET).replace(/\s+/g, ' ');
  return h('p', { class: 'snippet' }, start > SNIPPET ? '…' : '', before, h('mark', {}, text.slice(start, end)), after, end + SNIPPET < text.length ? '…' : '');
}

export async function searchPage(main: HTMLElement): Promise<void> {
  const docs = new Map((await load<[number, string | null, number | null][]>('search-docs')).map(([id, agency, year]) => [id, { agency, year }]));
  const input = h('input', { type: 'search', id: 'q', name: 'q', value: param('q') ?? '', 'aria-label': t('search') });
  const button = h('button', { type: 'submit' }, t('search'));
  const results = h('div', { id: 'search-results', 'aria-live': 'polite' });
  const form = h('form', { role: 'search', action: 'search.html' }, h('label', { for: 'q' }, `${t('search')} `), input, ' ', button);
  const run = async () => {
    const query = input.value.trim();
    if ([...normalise(query)].length < 2) {
      results.replaceChildren(query === '' ? '' : h('p', {}, t('too_short')));
      return;
    }
    results.replaceChildren(h('p', {}, t('loading')));
    // newest reports first, as the index lists them
    const order = [...docs.keys()];
    const rank = new Map(order.map((id, i) => [id, i]));
    const ids = (await candidates(query)).sort((a, b) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0));
    const hits: HTMLElement[] = [];
    for (const id of ids) {
      if (hits.length >= SHOWN) break;
      const text = await load<string>(`text/${id}`);
      const snip = snippet(text, query);
      if (!snip) continue;
      const doc = docs.get(id);
      hits.push(h('li', {}, h('a', { href: `report.html?id=${id}` }, `${doc?.agency ?? `#${id}`} ${doc?.year ?? ''}`), snip));
    }
    results.replaceChildren(
      hits.length === 0 ? h('p', {}, t('no_results')) : h('p', {}, `${hits.length}${hits.length >= SHOWN ? '+' : ''} ${t('results')}`),
      h('ol', { class: 'hits' }, hits),
    );
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    try {
      history.replaceState(null, '', `?q=${encodeURIComponent(input.value)}`);
    } catch {
      // some file:// settings refuse it: the address just keeps the old query
    }
    void run();
  });
  main.replaceChildren(h('h1', {}, t('nav_search')), h('p', {}, t('search_intro')), form, results);
  if (input.value) await run();
}
