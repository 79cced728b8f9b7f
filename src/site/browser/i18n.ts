/// <reference lib="dom" />
/**
 * Interface labels in Chinese and English. The language is the reader's choice (the 中文/English
 * switch, remembered in localStorage), else the browser's. Data (agency names, report text) is never translated.
 */

const LABELS = {
  title: ['政府信息公开工作年度报告数据集', 'Government information disclosure annual reports: a dataset'],
  nav_home: ['首页', 'Home'],
  nav_coverage: ['覆盖情况', 'Coverage'],
  nav_agencies: ['机关', 'Agencies'],
  nav_compare: ['比较', 'Compare'],
  nav_sql: ['SQL 查询', 'SQL'],
  nav_search: ['全文搜索', 'Search'],
  switch_lang: ['English', '中文'],
  loading: ['加载中…', 'Loading…'],
  load_failed: ['无法加载数据：', 'Could not load the data: '],
  snapshot: ['快照', 'Snapshot'],
  what: ['这是什么', 'What this is'],
  what_text: [
    '各级行政机关每年发布《政府信息公开工作年度报告》，其中表二（主动公开）、表三（依申请公开）、表四（行政复议、行政诉讼）按国务院办公厅统一格式填报。本数据集把这些表格中的每个数字连同原文一起收录。',
    'Every Chinese government body publishes an annual report on its information disclosure, with three tables in a form set by the State Council General Office: table 2 (proactive disclosure), table 3 (requests and their outcomes), table 4 (administrative review and litigation). This dataset holds every figure of those tables together with the text it was read from.',
  ],
  how: ['如何制作', 'How it is made'],
  how_steps: [
    '抓取：按各门户网站的栏目抓取年度报告|存档：原始文件按 SHA-256 原样保存|提取：确定性地读取表二、表三、表四，每个数值保留原文，空白或无法辨认记为空值|校验：按勾稽关系检查每张表，不一致之处记录为失败的检查或警告',
    'Crawl: each portal\'s report columns are walked|Archive: every document is kept as fetched, named by its SHA-256|Extract: tables 2, 3 and 4 are read deterministically; each value keeps its printed text, and a blank or unreadable cell is null, never a guess|Check: every table is checked against the template\'s identities (勾稽关系); a mismatch is a failed check or a warning',
  ],
  counts: ['数量', 'Counts'],
  c_reports: ['份现行报告', 'current reports'],
  c_agencies: ['个机关', 'agencies'],
  c_regions: ['个地区（行政区划代码）', 'regions (division codes)'],
  c_documents: ['份文件', 'documents'],
  c_failed: ['份无法提取', 'documents not read'],
  c_failed_checks: ['份报告有未通过的检查', 'reports with a failed check'],
  c_years: ['年度', 'years'],
  downloads: ['下载', 'Downloads'],
  file: ['文件', 'File'],
  size: ['大小', 'Size'],
  citation: ['引用', 'Citation'],
  citation_cff: ['CITATION.cff 文件', 'CITATION.cff file'],
  licence: ['许可', 'Licence'],
  changes: ['与上一快照相比的变化', 'Changes since the previous snapshot'],
  no_changes: ['这是第一个快照。', 'This is the first snapshot.'],
  coverage_intro: ['每个单元格表示一个地区某年度的报告情况，点击可列出其中的报告。', 'Each cell is a region in a year; choose one to list the reports behind it.'],
  region: ['地区', 'Region'],
  year: ['年度', 'Year'],
  st_found: ['已收录', 'found'],
  st_missing: ['缺失', 'missing'],
  st_failed: ['提取失败', 'failed'],
  st_inconsistent: ['勾稽不一致', 'inconsistent'],
  st_na: ['当年不存在', 'did not exist'],
  unplaced: ['未能归入地区的报告', 'Reports not placed in a region'],
  reports_in: ['的报告', ': reports'],
  none: ['无', 'none'],
  agency: ['机关', 'Agency'],
  level: ['层级', 'Level'],
  filter: ['筛选', 'Filter'],
  years: ['年度', 'Years'],
  applications: ['申请数量及办理结果', 'Applications received and their outcomes'],
  new_received: ['本年新收申请', 'new applications received'],
  review_litigation: ['行政复议和行政诉讼', 'Administrative review and litigation'],
  table2_figures: ['主动公开情况（表二）', 'Proactive disclosure (table 2)'],
  reports: ['报告', 'Reports'],
  version: ['版本', 'Version'],
  current: ['现行', 'current'],
  superseded: ['已被替代', 'superseded'],
  checks: ['检查', 'Checks'],
  passed: ['通过', 'passed'],
  failed: ['未通过', 'failed'],
  undecided: ['无法判断', 'undecided'],
  warnings: ['警告', 'Warnings'],
  not_read: ['未能读取', 'not read'],
  table2: ['表二 主动公开政府信息情况', 'Table 2 — proactive disclosure'],
  table3: ['表三 收到和处理政府信息公开申请情况', 'Table 3 — requests received and handled'],
  table4: ['表四 政府信息公开行政复议、行政诉讼情况', 'Table 4 — administrative review and litigation'],
  raw: ['原文', 'printed'],
  confidence: ['识别置信度', 'OCR confidence'],
  document: ['来源文件', 'source document'],
  blank: ['空白或无法辨认', 'blank or unreadable'],
  provenance: ['来源', 'Provenance'],
  url: ['网址', 'URL'],
  fetched_at: ['获取时间', 'Fetched at'],
  extractor: ['提取程序版本', 'Extractor version'],
  loaded_at: ['入库时间', 'Loaded at'],
  media_type: ['文件类型', 'Media type'],
  source: ['原始文件', 'Source document'],
  open_source: ['打开存档的原始文件', 'Open the archived source document'],
  no_source: ['本网站未附带该文件（存档不可用），请按网址查看。', 'The site does not carry this document (the archive was not available); see its URL.'],
  other_versions: ['其他版本', 'Other versions'],
  template: ['模板', 'Template'],
  compare_intro: ['按所选指标对机关排序，可按层级、地区和年度筛选。', 'Rank agencies by an indicator, filtered by level, region and year.'],
  indicator: ['指标', 'Indicator'],
  all: ['全部', 'all'],
  top: ['显示前', 'Show top'],
  download_png: ['下载 PNG', 'Download PNG'],
  download_svg: ['下载 SVG', 'Download SVG'],
  download_csv: ['下载 CSV', 'Download CSV'],
  value: ['数值', 'Value'],
  rank: ['名次', 'Rank'],
  i_new_received: ['本年新收申请数', 'applications received'],
  i_share_granted: ['予以公开占比', 'share granted'],
  i_share_withheld: ['不予公开占比', 'share withheld'],
  i_share_not_processed: ['不予处理占比', 'share 不予处理 (not processed)'],
  i_reviews_per_100: ['每百件申请的行政复议数', 'administrative reviews per 100 applications'],
  i_suits_per_100: ['每百件申请的行政诉讼数', 'lawsuits per 100 applications'],
  i_fees_10k_yuan: ['行政事业性收费金额（万元）', 'administrative fees (10k yuan)'],
  sql_intro: [
    '在浏览器中对快照的 SQLite 数据库执行只读查询（sql.js）。下方的示例查询可直接载入。',
    'Read-only SQL over the snapshot\'s SQLite database, in your browser (sql.js). Load one of the example queries below.',
  ],
  sql_file: [
    '以 file:// 打开时浏览器不允许网页读取本地文件：请选择快照中的 ogi.sqlite 文件（或用 ogi serve 打开本网站）。',
    'Opened from file://, a page may not read local files by itself: choose the snapshot\'s ogi.sqlite below (or open the site with ogi serve).',
  ],
  sql_loading: ['正在加载数据库…', 'Loading the database…'],
  sql_ready: ['数据库已加载。', 'The database is loaded.'],
  run: ['运行', 'Run'],
  examples: ['示例查询', 'Example queries'],
  rows: ['行', 'rows'],
  error: ['错误', 'Error'],
  search_intro: ['在现行报告的全文中搜索（至少两个字）。', 'Search the full text of the current reports (two characters or more).'],
  search: ['搜索', 'Search'],
  results: ['个结果', 'results'],
  no_results: ['没有找到。', 'Nothing found.'],
  too_short: ['请至少输入两个字。', 'Type at least two characters.'],
  no_id: ['缺少 ?id= 参数。', 'The address lacks ?id=.'],
} as const satisfies Record<string, readonly [string, string]>;

export type Label = keyof typeof LABELS;
export type Lang = 'zh' | 'en';

const STORE = 'ogi-lang';

function stored(): Lang | null {
  try {
    const v = localStorage.getItem(STORE);
    return v === 'zh' || v === 'en' ? v : null;
  } catch {
    return null;
  }
}

export const lang: Lang = stored() ?? (navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en');

export function t(label: Label): string {
  return LABELS[label][lang === 'zh' ? 0 : 1];
}

/** a template label: Chinese as printed, or its English name */
export function tl(item: { label: string; en: string }): string {
  return lang === 'zh' ? item.label : item.en;
}

export function switchLanguage(): void {
  try {
    localStorage.setItem(STORE, lang === 'zh' ? 'en' : 'zh');
  } catch {
    // storage refused (some file:// settings): the switch lasts for this page only
  }
  location.reload();
}
