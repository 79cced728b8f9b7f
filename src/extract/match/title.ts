/**
 * Agency and report year from the title (meta ArticleTitle, the first heading lines) and, failing
 * that, the lead paragraph. The year is the year the report covers: titles name it; the
 * statistics period (自2020年1月1日至2020年12月31日) confirms it; publication year − 1 is a last resort.
 */
import { stripSaverLabels } from '../../domain/agency.ts';
import { normLabel } from '../normalize.ts';

export interface TitleInfo {
  title: string | null;
  agency: string | null;
  year: number | null;
  /** how the year was found, when not from the title */
  yearSource: 'title' | 'period' | 'published' | null;
}

const REPORT_WORDS = /(工作)?(年度)?报告|年报/;
const YEAR = /((?:19|20)\d{2})年度?/;
const NOT_TITLE = /当前位置|>>|>|首页|发布日期|发布时间|来源|浏览|访问次数/;
/** decorations seen before titles: (图文) （图片版） 【图解】 … */
const PREFIX = /^[(（\[【〔][^)）\]】〕]{1,6}[)）\]】〕]/;
/** what agency names end with */
const AGENCY_END = /(政府|办公室|办公厅|委员会|局|厅|委|署|院|中心|镇|乡|街道|管委会|管理委员会|区|县|市|部|处|所|队|站|社|会|办|\)|）)$/;

/**
 * Text as printed, minus whitespace, markdown and a page saver's label (标题：…, 发布机构：…): agency
 * names are kept exactly as the document writes them.
 */
function printed(line: string): string {
  return stripSaverLabels(
    line
      .replace(/[\s\u00a0\u3000\u200b\ufeff]+/g, '')
      .replace(/^#+/, '')
      .replace(/\*\*/g, '')
      .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)),
  );
}

/** a page's or a page saver's publisher label: 发布机构：海宁市司法局, 信息来源：… */
const PUBLISHER_LABEL = /(?:发布机构|发布单位|发文机关|发文单位|发布部门|公开主体|信息来源|文章来源|来源单位|来源)[:：]/;

function scoreTitle(line: string): number {
  if (NOT_TITLE.test(line) || !line.includes('政府信息公开')) return 0;
  let s = 0;
  if (line.includes('工作年度报告')) s += 4;
  else if (line.includes('年度报告')) s += 3;
  else if (line.includes('工作报告')) s += 2;
  else if (line.includes('年报')) s += 1;
  else return 0;
  if (YEAR.test(line)) s += 2;
  if (line.length <= 60) s += 1;
  return s;
}

function cleanAgency(text: string): string | null {
  let a = text.replace(PREFIX, '').replace(/^关于/, '').replace(/[#*\s]/g, '').replace(/[:：，,。]+$/, '');
  a = a.replace(/(的)$/, '');
  return a.length >= 2 && a.length <= 40 ? a : null;
}

function looksLikeAgency(line: string): boolean {
  return line.length >= 3 && line.length <= 30 && !/\d/.test(line) && !/[。，,；;：:]/.test(line) && AGENCY_END.test(line) && !/^[一二三四五六七八九十]、/.test(line);
}

export function findTitle(lines: string[], metaTitle?: string, publishedAt?: string): TitleInfo {
  const candidates = (metaTitle ? [metaTitle] : []).concat(lines.slice(0, 40));
  let best = -1;
  let bestScore = 0;
  let bestText: string | null = null;
  const norm = candidates.map(printed);
  for (let i = 0; i < norm.length; i++) {
    const s = scoreTitle(normLabel(norm[i]!)) + (i === 0 && metaTitle ? 1 : 0);
    if (s > bestScore) [bestScore, best, bestText] = [s, i, norm[i]!];
  }
  // a title wrapped over two short lines ("海盐县人民政府2020年度政府信息公" / "开工作年度报告")
  for (let i = metaTitle ? 1 : 0; i + 1 < norm.length; i++) {
    const [line, next] = [norm[i]!, norm[i + 1]!];
    if (!line || !next || line.length > 30 || next.length > 30) continue;
    const s = scoreTitle(normLabel(line + next));
    if (s > bestScore) [bestScore, best, bestText] = [s, i, line + next];
  }
  let title: string | null = bestText;
  let agency: string | null = null;
  let year: number | null = null;
  let yearSource: TitleInfo['yearSource'] = null;
  if (title) {
    const m = YEAR.exec(title);
    if (m) {
      year = Number(m[1]);
      yearSource = 'title';
      const before = title.slice(0, m.index);
      const after = title.slice(m.index + m[0].length).split('政府信息公开')[0] ?? '';
      agency = cleanAgency(before) ?? cleanAgency(after);
    } else {
      agency = cleanAgency(title.split('政府信息公开')[0] ?? '');
    }
    // the agency printed on a line of its own next to the title (above or below it)
    if (!agency) {
      const offset = metaTitle ? 1 : 0;
      const at = best - offset;
      for (const j of [at - 1, at + 1, at + 2, at - 2]) {
        const l = j >= 0 && j < lines.length ? printed(lines[j]!) : '';
        if (looksLikeAgency(l)) {
          agency = cleanAgency(l);
          if (agency) {
            title = j < at ? agency + title : title;
            break;
          }
        }
      }
    }
  }
  // a saved page names the publisher on a labelled line of its own (发布机构：…)
  if (title && !agency) {
    const cells = lines.slice(0, 40).flatMap((line) => line.split('\t'));
    for (const cell of cells) {
      const c = cell.replace(/[\s\u00a0\u3000]+/g, '');
      // an information line (发布日期：… 信息来源：X 浏览次数：…), not the body's prose
      const label = c.length <= 120 ? PUBLISHER_LABEL.exec(c) : null;
      if (!label) continue;
      // the value runs to the next label on the line (发布机构：X发布日期：2021-01-20)
      const value = c.slice(label.index + label[0].length).split(/(?:发布|发文|成文|来源|时间|日期|浏览|索引|字号)[^:：]{0,4}[:：]/)[0] ?? '';
      agency = looksLikeAgency(value) ? cleanAgency(value) : null;
      if (agency) break;
    }
  }
  if (year === null) {
    const text = normLabel(lines.slice(0, 80).join('\n'));
    const period = /((?:19|20)\d{2})年1月1日(?:起)?(?:至|到|-|—)\1年12月31日/.exec(text);
    if (period) {
      year = Number(period[1]);
      yearSource = 'period';
    } else if (publishedAt) {
      const p = /((?:19|20)\d{2})/.exec(publishedAt);
      if (p) {
        year = Number(p[1]) - 1;
        yearSource = 'published';
      }
    }
  }
  return { title, agency, year, yearSource };
}
