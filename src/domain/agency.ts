/**
 * The reporting body's canonical name, from the name a document prints. Three things differ
 * between the printed and the canonical name, and only these:
 *
 * 1. labels that page savers put before a value (`标题：`, `发布机构：`, `来源：` …) are not part of it;
 * 2. a place name printed one character off its GB/T 2260 name (a misprinted county) is corrected,
 *    with a warning, only where exactly one division fits (see `correctPlace`);
 * 3. a common short form of a body's name is written out from OFFICIAL_SHORT_FORMS, only where the
 *    long form is that body's official name (see the table's rule).
 *
 * Everything else stays exactly as printed; the printed name is always kept beside this one.
 */
import type { Warning } from './report.ts';

/** A GB/T 2260 division: enough of the gazetteer to read the places an agency name starts with. */
export interface Division {
  code: string;
  name: string;
  level: 'province' | 'city' | 'county';
  /** NULL for a province */
  parentCode: string | null;
}

/** The divisions an agency name may start with, indexed for reading names. */
export class Gazetteer {
  readonly byName = new Map<string, Division[]>();
  readonly byCode = new Map<string, Division>();
  /** names by length and last character (县, 市, 区 …): the candidates of a misprint */
  readonly byShape = new Map<string, Division[]>();
  readonly longest: number;

  constructor(divisions: Division[]) {
    let longest = 0;
    for (const d of divisions) {
      if (this.byCode.has(d.code) && this.byCode.get(d.code)!.name === d.name) continue;
      this.byCode.set(d.code, d);
      push(this.byName, d.name, d);
      push(this.byShape, shape(d.name), d);
      longest = Math.max(longest, d.name.length);
    }
    this.longest = longest;
  }

  /** d lies inside the division `outer` (its child or grandchild) */
  within(d: Division, outer: Division): boolean {
    if (d.parentCode === outer.code) return true;
    const parent = d.parentCode ? this.byCode.get(d.parentCode) : undefined;
    return parent?.parentCode === outer.code;
  }

  province(d: Division): Division {
    let at = d;
    for (let i = 0; i < 3 && at.parentCode; i++) at = this.byCode.get(at.parentCode) ?? at;
    return at;
  }
}

function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function shape(name: string): string {
  return `${name.length}${name.at(-1)}`;
}

/**
 * Labels that saved pages and copy-paste put before the title or the publisher (seen in page texts
 * saved by other crawlers: `标题：…`, `发布机构：…`, `来源：…`): never part of a name.
 */
export const SAVER_LABEL = /^(?:文章标题|信息标题|标题|题目|名称|发布机构|发布单位|发文机关|发文单位|发布部门|公开主体|信息来源|文章来源|来源单位|来源|发布者|作者)\s*[:：]\s*/;

export function stripSaverLabels(text: string): string {
  let t = text.trim();
  for (let i = 0; i < 3 && SAVER_LABEL.test(t); i++) t = t.replace(SAVER_LABEL, '');
  return t;
}

/** where a short form's long form is the official name of the body that prints it */
type Scope =
  /** the body's name says what it is (委 = 委员会, 局 = 局): the short form only abbreviates words */
  | 'literal'
  /** only the bodies of the listed places (the division itself), named by their GB/T 2260 names */
  | { places: string[]; alsoCountiesOf?: string[] };

export interface ShortForm {
  short: string;
  full: string;
  scope: Scope;
  /** why the long form is the official one */
  source: string;
}

/**
 * Official short forms (规范简称) of government bodies and their full names. The rule, kept
 * conservative: a short form is written out only where the long form is certainly the name of the
 * body that prints it.
 *
 * - `literal`: the short form abbreviates the words of the name and keeps its kind (委 = 委员会,
 *   局 = 局, 厅 = 厅): 发改委 is a 发展和改革委员会 wherever it is printed, and a body that is a 局 prints
 *   发改局, not 发改委. These are the standard names of the 2018 institutional reform (深化党和国家机构
 *   改革方案, 2018) at every level.
 * - a list of places: short forms that people keep using for bodies that were renamed. Many 科委
 *   (科学技术委员会) became 科学技术局 (e.g. 天津市, 重庆市 in 2018) and many 教委 are 教育局: 科委 and
 *   教委 are written out only for the places whose body still bears the commission's name (北京市
 *   科学技术委员会, 上海市科学技术委员会; the 教育委员会 of the four municipalities and of the districts
 *   and counties of 北京市 and 重庆市). Elsewhere the printed name is kept.
 *
 * A short form is read only right after the place names the agency starts with (海宁市卫健局), so
 * the place decides the scope; with no place before it nothing is written out.
 */
export const OFFICIAL_SHORT_FORMS: ShortForm[] = [
  { short: '发改委', full: '发展和改革委员会', scope: 'literal', source: '国家发展和改革委员会; local 发展和改革委员会 (2018 reform)' },
  { short: '发改局', full: '发展和改革局', scope: 'literal', source: 'county 发展和改革局 (2018 reform)' },
  { short: '卫健委', full: '卫生健康委员会', scope: 'literal', source: '国家卫生健康委员会 and local 卫生健康委员会 (2018 reform)' },
  { short: '卫健局', full: '卫生健康局', scope: 'literal', source: 'county 卫生健康局 (2018 reform)' },
  { short: '人社厅', full: '人力资源和社会保障厅', scope: 'literal', source: 'provincial 人力资源和社会保障厅' },
  { short: '人社局', full: '人力资源和社会保障局', scope: 'literal', source: 'city and county 人力资源和社会保障局' },
  { short: '住建厅', full: '住房和城乡建设厅', scope: 'literal', source: 'provincial 住房和城乡建设厅' },
  { short: '住建局', full: '住房和城乡建设局', scope: 'literal', source: 'city and county 住房和城乡建设局' },
  { short: '市监局', full: '市场监督管理局', scope: 'literal', source: 'local 市场监督管理局 (2018 reform)' },
  { short: '国资委', full: '国有资产监督管理委员会', scope: 'literal', source: '国务院国有资产监督管理委员会 and local 国资委' },
  {
    short: '教委',
    full: '教育委员会',
    scope: { places: ['北京市', '天津市', '上海市', '重庆市'], alsoCountiesOf: ['北京市', '重庆市'] },
    source: '北京市/天津市/上海市/重庆市教育委员会; 北京市海淀区教育委员会, 重庆市渝北区教育委员会 (district 教委 of 北京 and 重庆)',
  },
  { short: '科委', full: '科学技术委员会', scope: { places: ['北京市', '上海市'] }, source: '北京市科学技术委员会, 上海市科学技术委员会 (天津, 重庆 and most others are 科学技术局 since 2018)' },
  { short: '政府办公厅', full: '人民政府办公厅', scope: 'literal', source: 'local governments are 人民政府 (Constitution art. 95, 105)' },
  { short: '政府办公室', full: '人民政府办公室', scope: 'literal', source: 'local governments are 人民政府 (Constitution art. 95, 105)' },
  { short: '政府', full: '人民政府', scope: 'literal', source: 'local governments are 人民政府 (Constitution art. 95, 105)' },
];

export interface CanonicalAgency {
  /** the canonical name */
  name: string;
  /** the name as the document prints it, without a page saver's label */
  printed: string;
  warnings: Warning[];
}

/** suffixes of a division's name, where a misprinted one ends */
const DIVISION_END = /[省市县区旗州盟]$/;

/**
 * The places an agency name starts with (浙江省杭州市桐庐县…), as printed, and the name corrected
 * where a place is one character off a division that fits (see correctPlace).
 */
function readPlaces(name: string, gazetteer: Gazetteer, context: string, warnings: Warning[]): { name: string; end: number; places: Division[] } {
  let pos = 0;
  const places: Division[] = [];
  let corrected = false;
  while (pos < name.length) {
    const known = knownPlaceAt(name, pos, gazetteer, places.at(-1));
    if (known) {
      places.push(known);
      pos += known.name.length;
      continue;
    }
    if (corrected) break;
    const fix = correctPlace(name, pos, gazetteer, places.at(-1), context);
    if (!fix) break;
    const printed = name.slice(pos, pos + fix.name.length);
    const fixedName = name.slice(0, pos) + fix.name + name.slice(pos + fix.name.length);
    warnings.push({
      code: 'agency-place-corrected',
      message: `the printed place name "${printed}" is one character off the GB/T 2260 name "${fix.name}" (${fix.code}); the agency is read as "${fixedName}"`,
    });
    name = fixedName;
    corrected = true;
  }
  return { name, end: pos, places };
}

/** the longest division name at pos, preferring one inside the place printed before it */
function knownPlaceAt(name: string, pos: number, gazetteer: Gazetteer, outer: Division | undefined): Division | null {
  for (let len = Math.min(gazetteer.longest, name.length - pos); len >= 2; len--) {
    const found = gazetteer.byName.get(name.slice(pos, pos + len));
    if (!found) continue;
    if (found.length === 1) return found[0]!;
    const inside = outer ? found.filter((d) => gazetteer.within(d, outer)) : [];
    // a name several divisions bear (朝阳区 of 北京 and of 长春) is one place only inside another
    return inside.length === 1 ? inside[0]! : { ...found[0]!, code: '', parentCode: null };
  }
  return null;
}

/**
 * A misprinted division name at pos: a run of 3 to 7 characters ending like a division (县, 市,
 * 区 …) that differs in exactly one character, not its last, from exactly one division that fits.
 * Inside a printed place (杭州市桐芦县) the candidates are that place's divisions; at the start of the
 * name (桐芦县人民政府) only a county or city (县, 市: 区 also ends zones such as 高新区 and 开发区).
 * When several fit (桐庐县, 桐柏县, 桐梓县 for 桐芦县), the document's own text decides (narrow).
 */
function correctPlace(name: string, pos: number, gazetteer: Gazetteer, outer: Division | undefined, context: string): Division | null {
  if (!outer && pos > 0) return null;
  for (let len = 3; len <= 7 && pos + len <= name.length; len++) {
    const run = name.slice(pos, pos + len);
    if (!DIVISION_END.test(run) || (!outer && !/[县市]$/.test(run))) continue;
    let fits = (gazetteer.byShape.get(shape(run)) ?? []).filter((d) => oneOff(run, d.name));
    if (outer) fits = fits.filter((d) => gazetteer.within(d, outer));
    if (fits.length > 1) fits = narrow(fits, name.slice(pos + len), context, gazetteer);
    const distinct = new Set(fits.map((d) => d.name));
    if (distinct.size === 1) return fits[0]!;
    if (fits.length > 0) return null;
  }
  return null;
}

/**
 * Of several divisions one character off the printed run, the one the document points at: the
 * division printed after the run lies in it (抗州市西湖区: 杭州市, not 沧州市); else the one the
 * document's text names correctly elsewhere; else the one whose city the text names. None or several: no correction.
 */
function narrow(fits: Division[], rest: string, context: string, gazetteer: Gazetteer): Division[] {
  const followed = fits.filter((d) => {
    for (let len = 2; len <= Math.min(gazetteer.longest, rest.length); len++) {
      if (gazetteer.byName.get(rest.slice(0, len))?.some((c) => gazetteer.within(c, d))) return true;
    }
    return false;
  });
  if (followed.length > 0) return followed;
  const named = fits.filter((d) => context.includes(d.name));
  if (named.length > 0) return named;
  return fits.filter((d) => {
    const parent = d.parentCode ? gazetteer.byCode.get(d.parentCode) : undefined;
    return parent !== undefined && parent.level !== 'province' && context.includes(parent.name);
  });
}

function oneOff(a: string, b: string): boolean {
  if (a.length !== b.length || a === b) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && ++diff > 1) return false;
  return true;
}

function inScope(scope: Scope, places: Division[], gazetteer: Gazetteer): boolean {
  if (scope === 'literal') return places.length > 0;
  const last = places.at(-1);
  if (!last || last.code === '') return false;
  if (scope.places.includes(last.name) && last.level === 'province') return true;
  const province = gazetteer.province(last);
  return last.level === 'county' && (scope.alsoCountiesOf ?? []).includes(province.name) && last.parentCode === province.code;
}

/**
 * The canonical name of a printed agency name (see the module comment). `context` is the
 * document's text: where several divisions are one character off a misprinted place, the one the
 * text names decides.
 */
export function canonicalAgency(printedName: string, gazetteer: Gazetteer, context = ''): CanonicalAgency {
  const warnings: Warning[] = [];
  const stripped = stripSaverLabels(printedName);
  const read = readPlaces(stripped, gazetteer, context, warnings);
  let name = read.name;
  const rest = name.slice(read.end);
  for (const form of OFFICIAL_SHORT_FORMS) {
    if (!rest.startsWith(form.short)) continue;
    // 政府 is the start of 政府办公室 and of 政府信息…: only a whole word is a short form
    if (form.short === '政府' && rest !== '政府') break;
    if (inScope(form.scope, read.places, gazetteer)) name = name.slice(0, read.end) + form.full + rest.slice(form.short.length);
    break;
  }
  return { name, printed: stripped, warnings };
}
