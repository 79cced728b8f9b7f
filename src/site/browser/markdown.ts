/// <reference lib="dom" />
/** Enough Markdown for CHANGES.md: headings, lists, pipe tables, paragraphs; text is never parsed as HTML. */
import { h } from './dom.ts';

function inline(text: string): (Node | string)[] {
  // `code` spans only; everything else stays text
  return text.split(/(`[^`]+`)/).map((part) => (part.startsWith('`') && part.endsWith('`') && part.length > 1 ? h('code', {}, part.slice(1, -1)) : part));
}

export function markdown(text: string): HTMLElement {
  const out = h('div', { class: 'markdown' });
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heading = /^(#{1,4})\s+(.*)$/.exec(line);
    if (heading) {
      out.append(h(`h${Math.min(6, heading[1]!.length + 2)}` as 'h3', {}, ...inline(heading[2]!)));
    } else if (/^\s*[-*]\s+/.test(line)) {
      const ul = h('ul', {});
      for (; i < lines.length && /^\s*[-*]\s+/.test(lines[i]!); i++) ul.append(h('li', {}, ...inline(lines[i]!.replace(/^\s*[-*]\s+/, ''))));
      i--;
      out.append(ul);
    } else if (line.startsWith('|')) {
      const table = h('table', {});
      for (; i < lines.length && lines[i]!.startsWith('|'); i++) {
        if (/^\|[\s:|-]+\|$/.test(lines[i]!)) continue;
        const cells = lines[i]!.replace(/^\||\|$/g, '').split('|');
        table.append(h('tr', {}, cells.map((c) => h('td', {}, ...inline(c.trim())))));
      }
      i--;
      out.append(table);
    } else if (line.trim() !== '') {
      out.append(h('p', {}, ...inline(line)));
    }
  }
  return out;
}
