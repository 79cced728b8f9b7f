/**
 * Splits the report text into its six sections (一、总体情况 … 六、其他需要报告的事项) for
 * full-text search. Headings vary ("四、…行政复议行政诉讼情况"), so they are found by key words
 * on short lines, in order; text before the first heading belongs to the overview.
 */
import { normLabel } from '../normalize.ts';
import { SECTIONS, type SectionCode } from '../../domain/template.ts';

const SECTION_KEYS = SECTIONS.map((s) => s.keys.map(normLabel));

/** `norm` holds normLabel of each line (computed once by the caller). */
export function splitSections(lines: string[], norm: string[]): Partial<Record<SectionCode, string>> {
  const out: Partial<Record<SectionCode, string>> = {};
  let current: SectionCode | null = null;
  let next = 0;
  const buffer: string[] = [];
  const flush = (): void => {
    if (current && buffer.length > 0) out[current] = ((out[current] ? out[current] + '\n' : '') + buffer.join('\n')).trim();
    buffer.length = 0;
  };
  for (const [i, line] of lines.entries()) {
    const n = norm[i]!;
    // a heading is short and names a later section than the current one
    if (n.length <= 40) {
      const at = SECTION_KEYS.findIndex((keys, i) => i >= next && keys.some((k) => n.includes(k)));
      if (at >= 0 && (/^[一二三四五六七八九十]、/.test(n) || n.length <= 24)) {
        flush();
        current = SECTIONS[at]!.code;
        next = at + 1;
        continue;
      }
    }
    if (current) buffer.push(line);
  }
  flush();
  return out;
}
