/**
 * What the website shows, read from a snapshot's ogi.sqlite: one plain object per page (or per
 * agency and report), written by build.ts as script files the browser loads lazily. Every figure
 * is a stored value or a sum of stored values; a blank cell stays null (never 0).
 */
import type Database from 'better-sqlite3';
import { table3Rules, table4Rules } from '../domain/rules.ts';
import type { Table } from '../domain/report.ts';

/** the outcome groups of table 3 that the agency chart stacks: row codes summed into each */
export const OUTCOME_GROUPS = [
  { code: 'granted', rows: ['granted'] },
  { code: 'partially_granted', rows: ['partially_granted'] },
  { code: 'withheld', prefix: 'withheld.' },
  { code: 'unavailable', prefix: 'unavailable.' },
  { code: 'not_processed', prefix: 'not_processed.' },
  // 2019 prints 其他处理 as one row `other`, 2021 splits it into other.*: either is "other"
  { code: 'other', rows: ['other'], prefix: 'other.' },
] as const;

export type Cell = [value: number | null, raw: string | null, confidence: number | null, documentId: number];

export interface ReportSummary {
  id: number;
  year: number | null;
  version: number | null;
  current: boolean;
  ok: boolean;
  /** checks decided false / true / undecided */
  failed: number;
  passed: number;
  undecided: number;
  warnings: number;
  error: string | null;
}

export interface ReportPage {
  id: number;
  agencyId: number | null;
  agency: string | null;
  year: number | null;
  template: string;
  title: string | null;
  publishedAt: string | null;
  ok: boolean;
  error: string | null;
  ocr: boolean;
  version: number | null;
  current: boolean;
  extractorVersion: string;
  loadedAt: string;
  document: { id: number; sha256: string; url: string | null; sourcePath: string | null; mediaType: string | null; size: number; firstSeen: string; lastSeen: string };
  /** table → "row|col" → cell */
  tables: Record<'table2' | 'table3' | 'table4', Record<string, Cell>>;
  checks: { rule: string; passed: boolean | null; detail: string | null; cells: string[] }[];
  /** each with the cells its message names ("table|row|col"), as the extractor words them (see cellsOfWarning) */
  warnings: { code: string; message: string; cells: string[] }[];
  /** site-relative paths of the archived source document (its bytes) and of the copy shown beside the tables, when the site carries it */
  source: { file: string; view: string } | null;
  otherVersions: { id: number; version: number | null; current: boolean; ok: boolean }[];
}

type Row = Record<string, unknown>;

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function sumOrNull(values: (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length === 0 ? null : Math.round(present.reduce((a, b) => a + b, 0) * 1e6) / 1e6;
}

function inGroup(group: (typeof OUTCOME_GROUPS)[number], row: string): boolean {
  return ('rows' in group && (group.rows as readonly string[]).includes(row)) || ('prefix' in group && row.startsWith(group.prefix));
}

/** table-3 total column values of a set of reports, by report id and row code */
function table3Totals(db: Database.Database, where: string, ...params: unknown[]): Map<number, Map<string, number | null>> {
  const out = new Map<number, Map<string, number | null>>();
  const rows = db
    .prepare(`SELECT c.report_id, c.row_code, c.value FROM table3_cells c JOIN reports r ON r.id = c.report_id WHERE c.applicant_code = 'total' AND ${where}`)
    .all(...params) as { report_id: number; row_code: string; value: number | null }[];
  for (const r of rows) {
    let m = out.get(r.report_id);
    if (!m) out.set(r.report_id, (m = new Map()));
    m.set(r.row_code, r.value);
  }
  return out;
}

/** the stacked outcome groups of one report's table-3 total column */
export function outcomeGroups(totals: Map<string, number | null>): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const g of OUTCOME_GROUPS) out[g.code] = sumOrNull([...totals].filter(([row]) => inGroup(g, row)).map(([, v]) => v));
  return out;
}

// ------------------------------------------------------------------ home

export interface HomeData {
  /** regions: distinct division codes of the agencies with a current report */
  counts: { reports: number; agencies: number; documents: number; failed: number; years: [number | null, number | null]; failedChecks: number; regions: number };
}

export function homeData(db: Database.Database): HomeData {
  const one = (sql: string) => db.prepare(sql).get() as Row;
  const c = one(`SELECT
      (SELECT count(*) FROM reports WHERE ok = 1 AND is_current = 1) AS reports,
      (SELECT count(DISTINCT agency_id) FROM reports WHERE ok = 1 AND is_current = 1) AS agencies,
      (SELECT count(*) FROM documents) AS documents,
      (SELECT count(*) FROM reports WHERE ok = 0) AS failed,
      (SELECT min(year) FROM reports WHERE ok = 1 AND is_current = 1) AS first_year,
      (SELECT max(year) FROM reports WHERE ok = 1 AND is_current = 1) AS last_year,
      (SELECT count(DISTINCT k.report_id) FROM checks k JOIN reports r ON r.id = k.report_id WHERE r.is_current = 1 AND k.passed = 0) AS failed_checks,
      (SELECT count(DISTINCT a.region_code) FROM agencies a JOIN reports r ON r.agency_id = a.id AND r.ok = 1 AND r.is_current = 1) AS regions`);
  return {
    counts: {
      reports: Number(c.reports),
      agencies: Number(c.agencies),
      documents: Number(c.documents),
      failed: Number(c.failed),
      years: [num(c.first_year), num(c.last_year)],
      failedChecks: Number(c.failed_checks),
      regions: Number(c.regions),
    },
  };
}

// ------------------------------------------------------------------ coverage

export type CoverageStatus = 'found' | 'missing' | 'failed' | 'inconsistent';

export interface CoverageData {
  years: number[];
  /** regions of every province the dataset has reports from, the province of Zhejiang (33) first */
  regions: { code: string; name: string; level: string; parent: string | null; from: number | null; to: number | null }[];
  /** "code|year" → status and the reports behind it: [report id, agency, status] */
  cells: Record<string, { status: CoverageStatus; reports: [number, string, CoverageStatus][] }>;
  /** reports whose agency has no region: [report id, agency, year, status] */
  unplaced: [number, string, number | null, CoverageStatus][];
}

export function coverageData(db: Database.Database): CoverageData {
  const reports = db
    .prepare(
      `SELECT r.id, r.year, r.ok, r.is_current, a.name AS agency, a.region_code,
         (SELECT count(*) FROM checks k WHERE k.report_id = r.id AND k.passed = 0) AS failed_checks
       FROM reports r LEFT JOIN agencies a ON a.id = r.agency_id
       WHERE (r.ok = 1 AND r.is_current = 1) OR r.ok = 0
       ORDER BY r.year, a.name, r.id`,
    )
    .all() as { id: number; year: number | null; ok: number; is_current: number; agency: string | null; region_code: string | null; failed_checks: number }[];
  const statusOf = (r: (typeof reports)[number]): CoverageStatus => (r.ok === 0 ? 'failed' : r.failed_checks > 0 ? 'inconsistent' : 'found');
  const years = [...new Set(reports.map((r) => r.year).filter((y): y is number => y !== null))].sort((a, b) => a - b);
  const provinces = [...new Set(reports.map((r) => r.region_code?.slice(0, 2)).filter((p): p is string => !!p))];
  const regions = (
    provinces.length === 0
      ? []
      : (db
          .prepare(`SELECT code, name, level, parent_code, valid_from, valid_to FROM regions WHERE substr(code, 1, 2) IN (${provinces.map(() => '?').join(',')})`)
          .all(...provinces) as { code: string; name: string; level: string; parent_code: string | null; valid_from: number | null; valid_to: number | null }[])
  )
    // Zhejiang first, then the other provinces; within one, the gazetteer's order (city, then its counties)
    .sort((a, b) => (a.code.startsWith('33') !== b.code.startsWith('33') ? (a.code.startsWith('33') ? -1 : 1) : a.code < b.code ? -1 : 1))
    .map((r) => ({ code: r.code, name: r.name, level: r.level, parent: r.parent_code, from: r.valid_from, to: r.valid_to }));
  const known = new Set(regions.map((r) => r.code));
  const cells: CoverageData['cells'] = {};
  const unplaced: CoverageData['unplaced'] = [];
  // a cell is inconsistent when one of its reports was read with a failed check, else found when one was read, else failed
  const rank: Record<CoverageStatus, number> = { missing: 0, failed: 1, found: 2, inconsistent: 3 };
  for (const r of reports) {
    const status = statusOf(r);
    if (!r.region_code || !known.has(r.region_code) || r.year === null) {
      unplaced.push([r.id, r.agency ?? '', r.year, status]);
      continue;
    }
    const key = `${r.region_code}|${r.year}`;
    const cell = (cells[key] ??= { status: 'missing', reports: [] });
    cell.reports.push([r.id, r.agency ?? '', status]);
    if (rank[status] > rank[cell.status]) cell.status = status;
  }
  return { years, regions, cells, unplaced };
}

// ------------------------------------------------------------------ agencies

export interface AgencyListItem {
  id: number;
  name: string;
  level: string | null;
  region: string | null;
  regionName: string | null;
  years: number[];
}

export function agencyList(db: Database.Database): AgencyListItem[] {
  // the years of every agency in one pass (a subquery per agency lets SQLite pick the is_current index and scan)
  const years = new Map<number, number[]>();
  for (const r of db.prepare('SELECT DISTINCT agency_id, year FROM reports WHERE ok = 1 AND is_current = 1 AND agency_id IS NOT NULL AND year IS NOT NULL ORDER BY year').all() as { agency_id: number; year: number }[]) {
    years.set(r.agency_id, [...(years.get(r.agency_id) ?? []), r.year]);
  }
  const rows = db
    .prepare('SELECT a.id, a.name, a.level, a.region_code, g.name AS region_name FROM agencies a LEFT JOIN regions g ON g.code = a.region_code ORDER BY a.region_code, a.name')
    .all() as { id: number; name: string; level: string | null; region_code: string | null; region_name: string | null }[];
  return rows.map((r) => ({ id: r.id, name: r.name, level: r.level, region: r.region_code, regionName: r.region_name, years: years.get(r.id) ?? [] }));
}

export interface AgencyPage {
  id: number;
  name: string;
  level: string | null;
  region: string | null;
  regionName: string | null;
  /** per year of a current report: table-3 totals and outcome groups, table-4 and table-2 values */
  years: {
    year: number;
    reportId: number;
    newReceived: number | null;
    carriedOver: number | null;
    total: number | null;
    outcomes: Record<string, number | null>;
    table4: Record<string, number | null>;
    table2: Record<string, number | null>;
  }[];
  reports: ReportSummary[];
}

export function agencyPages(db: Database.Database): Iterable<AgencyPage> {
  const agencies = agencyList(db);
  // `+is_current` keeps SQLite on the agency's index: with the is_current index it scans every current report per agency
  const currentReports = db.prepare('SELECT id, year FROM reports WHERE agency_id = ? AND ok = 1 AND +is_current = 1 AND year IS NOT NULL ORDER BY year');
  const allReports = db.prepare(
    `SELECT r.id, r.year, r.version, r.is_current, r.ok, r.error,
       (SELECT count(*) FROM checks k WHERE k.report_id = r.id AND k.passed = 0) AS failed,
       (SELECT count(*) FROM checks k WHERE k.report_id = r.id AND k.passed = 1) AS passed,
       (SELECT count(*) FROM checks k WHERE k.report_id = r.id AND k.passed IS NULL) AS undecided,
       (SELECT count(*) FROM warnings w WHERE w.report_id = r.id) AS warnings
     FROM reports r WHERE r.agency_id = ? ORDER BY r.year DESC, r.version DESC, r.id DESC`,
  );
  const t4 = db.prepare('SELECT group_code, outcome_code, value FROM table4_cells WHERE report_id = ?');
  const t2 = db.prepare('SELECT row_code, col_code, value FROM table2_cells WHERE report_id = ?');
  // by report id (the cells' primary key): a query by agency would scan every total cell for each agency
  const t3 = db.prepare("SELECT row_code, value FROM table3_cells WHERE report_id = ? AND applicant_code = 'total'");
  return (function* () {
    for (const a of agencies) {
      const current = currentReports.all(a.id) as { id: number; year: number }[];
      const years = current.map((r) => {
        const t = new Map((t3.all(r.id) as { row_code: string; value: number | null }[]).map((c) => [c.row_code, c.value]));
        const table4: Record<string, number | null> = {};
        for (const c of t4.all(r.id) as { group_code: string; outcome_code: string; value: number | null }[]) table4[`${c.group_code}|${c.outcome_code}`] = c.value;
        const table2: Record<string, number | null> = {};
        for (const c of t2.all(r.id) as { row_code: string; col_code: string; value: number | null }[]) table2[`${c.row_code}|${c.col_code}`] = c.value;
        return {
          year: r.year,
          reportId: r.id,
          newReceived: t.get('new_received') ?? null,
          carriedOver: t.get('carried_over') ?? null,
          total: t.get('total') ?? null,
          outcomes: outcomeGroups(t),
          table4,
          table2,
        };
      });
      const reports = (allReports.all(a.id) as Row[]).map((r) => ({
        id: Number(r.id),
        year: num(r.year),
        version: num(r.version),
        current: r.is_current === 1,
        ok: r.ok === 1,
        failed: Number(r.failed),
        passed: Number(r.passed),
        undecided: Number(r.undecided),
        warnings: Number(r.warnings),
        error: (r.error as string | null) ?? null,
      }));
      yield { id: a.id, name: a.name, level: a.level, region: a.region, regionName: a.regionName, years, reports };
    }
  })();
}

// ------------------------------------------------------------------ reports

const EXTENSIONS: Record<string, string> = {
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'text/plain': 'txt',
  'application/pdf': 'pdf',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
};

/** the file name a source document gets in the site: its sha256 and an extension from its media type */
export function sourceFileName(sha256: string, mediaType: string | null): string {
  return `${sha256}.${EXTENSIONS[(mediaType ?? '').split(';')[0]!.trim()] ?? 'bin'}`;
}

/**
 * The cells a failed check read, as "table|row|col": the rules are evaluated again on the stored
 * values (src/domain/rules.ts) only to learn which cells each rule sums; pass or fail is the stored check's.
 */
function cellsOfRules(t3: Table, t4: Table): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of [...table3Rules(t3), ...table4Rules(t4)]) {
    out.set(r.check.rule, [...r.left, ...r.right].map(([row, col]) => `${r.table}|${row}|${col}`));
  }
  return out;
}

/**
 * The cells a warning names. The extractor's messages name them as "table 2 fees.amount_10k_yuan:"
 * (a cell), "table 3 granted:" or "table 2 row regulations" (a row), OCR's as "table3 granted.total:";
 * a name that is not a cell or row of this report names nothing (the warning is still listed).
 */
export function cellsOfWarning(message: string, tables: ReportPage['tables']): string[] {
  const out = new Set<string>();
  for (const m of message.matchAll(/\btable ?([234]) (?:row )?([a-z_0-9]+(?:\.[a-z_0-9]+)*)/g)) {
    const table = `table${m[1]}` as keyof ReportPage['tables'];
    const name = m[2]!;
    const keys = Object.keys(tables[table]);
    const dot = name.lastIndexOf('.');
    const asCell = dot > 0 ? `${name.slice(0, dot)}|${name.slice(dot + 1)}` : null;
    if (asCell && keys.includes(asCell)) out.add(`${table}|${asCell}`);
    else for (const k of keys.filter((k) => k.startsWith(`${name}|`))) out.add(`${table}|${k}`);
  }
  return [...out];
}

export function reportPages(db: Database.Database, sourceOf: (sha256: string) => { file: string; view: string } | null): Iterable<ReportPage> {
  const reports = db
    .prepare(
      `SELECT r.*, a.name AS agency, d.sha256, d.url, d.source_path, d.media_type, d.size, d.first_seen, d.last_seen
       FROM reports r JOIN documents d ON d.id = r.document_id LEFT JOIN agencies a ON a.id = r.agency_id ORDER BY r.id`,
    )
    .iterate() as IterableIterator<Row>;
  const cellQueries = {
    table2: db.prepare('SELECT row_code AS r, col_code AS c, value, raw_text, confidence, document_id FROM table2_cells WHERE report_id = ?'),
    table3: db.prepare('SELECT row_code AS r, applicant_code AS c, value, raw_text, confidence, document_id FROM table3_cells WHERE report_id = ?'),
    table4: db.prepare('SELECT group_code AS r, outcome_code AS c, value, raw_text, confidence, document_id FROM table4_cells WHERE report_id = ?'),
  };
  const checks = db.prepare('SELECT rule, passed, detail FROM checks WHERE report_id = ? ORDER BY rule');
  const warnings = db.prepare('SELECT code, message FROM warnings WHERE report_id = ? ORDER BY id');
  const versions = db.prepare('SELECT id, version, is_current, ok FROM reports WHERE agency_id = ? AND year = ? AND id <> ? ORDER BY version');
  // the rows are read into memory first: better-sqlite3 allows no other statement while one iterates
  const all = [...reports];
  return (function* () {
    for (const r of all) {
      const id = Number(r.id);
      const tables = { table2: {}, table3: {}, table4: {} } as ReportPage['tables'];
      const plain: Record<'table3' | 'table4', Table> = { table3: {}, table4: {} };
      for (const t of ['table2', 'table3', 'table4'] as const) {
        for (const c of cellQueries[t].all(id) as { r: string; c: string; value: number | null; raw_text: string | null; confidence: number | null; document_id: number }[]) {
          tables[t][`${c.r}|${c.c}`] = [c.value, c.raw_text, c.confidence, c.document_id];
          if (t !== 'table2') (plain[t][c.r] ??= {})[c.c] = c.value;
        }
      }
      const ruleCells = cellsOfRules(plain.table3, plain.table4);
      const sha = String(r.sha256);
      const mediaType = (r.media_type as string | null) ?? null;
      yield {
        id,
        agencyId: num(r.agency_id),
        agency: (r.agency as string | null) ?? null,
        year: num(r.year),
        template: String(r.template),
        title: (r.title as string | null) ?? null,
        publishedAt: (r.published_at as string | null) ?? null,
        ok: r.ok === 1,
        error: (r.error as string | null) ?? null,
        ocr: r.ocr === 1,
        version: num(r.version),
        current: r.is_current === 1,
        extractorVersion: String(r.extractor_version),
        loadedAt: String(r.loaded_at),
        document: {
          id: Number(r.document_id),
          sha256: sha,
          url: (r.url as string | null) ?? null,
          sourcePath: (r.source_path as string | null) ?? null,
          mediaType,
          size: Number(r.size),
          firstSeen: String(r.first_seen),
          lastSeen: String(r.last_seen),
        },
        tables,
        checks: (checks.all(id) as { rule: string; passed: number | null; detail: string | null }[]).map((k) => ({
          rule: k.rule,
          passed: k.passed === null ? null : k.passed === 1,
          detail: k.detail,
          cells: k.passed === 0 ? (ruleCells.get(k.rule) ?? []) : [],
        })),
        warnings: (warnings.all(id) as { code: string; message: string }[]).map((w) => ({ ...w, cells: cellsOfWarning(w.message, tables) })),
        source: sourceOf(sha),
        otherVersions:
          r.agency_id === null || r.year === null
            ? []
            : (versions.all(r.agency_id, r.year, id) as Row[]).map((v) => ({ id: Number(v.id), version: num(v.version), current: v.is_current === 1, ok: v.ok === 1 })),
      };
    }
  })();
}

// ------------------------------------------------------------------ compare

/** one row per current report: who, where, when, and the indicators Compare ranks by */
export interface CompareRow {
  id: number;
  agencyId: number;
  agency: string;
  level: string | null;
  region: string | null;
  year: number;
  /** [applications received, share granted, share withheld, share 不予处理, reviews per 100, suits per 100, fees (10k yuan)] */
  values: (number | null)[];
}

export const INDICATORS = ['new_received', 'share_granted', 'share_withheld', 'share_not_processed', 'reviews_per_100', 'suits_per_100', 'fees_10k_yuan'] as const;

const ratio = (a: number | null, b: number | null, scale = 1): number | null =>
  a === null || b === null || b === 0 ? null : Math.round((a / b) * scale * 10000) / 10000;

export function compareRows(db: Database.Database): CompareRow[] {
  const reports = db
    .prepare(
      `SELECT r.id, r.year, a.id AS agency_id, a.name, a.level, a.region_code,
         (SELECT value FROM table4_cells WHERE report_id = r.id AND group_code = 'review' AND outcome_code = 'total') AS reviews,
         (SELECT value FROM table4_cells WHERE report_id = r.id AND group_code = 'litigation_direct' AND outcome_code = 'total') AS suits_direct,
         (SELECT value FROM table4_cells WHERE report_id = r.id AND group_code = 'litigation_after_review' AND outcome_code = 'total') AS suits_after,
         (SELECT value FROM table2_cells WHERE report_id = r.id AND row_code = 'fees' AND col_code = 'amount_10k_yuan') AS fees
       FROM reports r JOIN agencies a ON a.id = r.agency_id
       WHERE r.ok = 1 AND r.is_current = 1 AND r.year IS NOT NULL ORDER BY r.year, a.name`,
    )
    .all() as { id: number; year: number; agency_id: number; name: string; level: string | null; region_code: string | null; reviews: number | null; suits_direct: number | null; suits_after: number | null; fees: number | null }[];
  const totals = table3Totals(db, 'r.ok = 1 AND r.is_current = 1');
  return reports.map((r) => {
    const t = totals.get(r.id) ?? new Map<string, number | null>();
    const g = outcomeGroups(t);
    const received = t.get('new_received') ?? null;
    const handled = t.get('total') ?? null;
    const suits = r.suits_direct === null && r.suits_after === null ? null : (r.suits_direct ?? 0) + (r.suits_after ?? 0);
    return {
      id: r.id,
      agencyId: r.agency_id,
      agency: r.name,
      level: r.level,
      region: r.region_code,
      year: r.year,
      values: [
        received,
        ratio(g.granted ?? null, handled),
        ratio(g.withheld ?? null, handled),
        ratio(g.not_processed ?? null, handled),
        ratio(r.reviews, received, 100),
        ratio(suits, received, 100),
        r.fees,
      ],
    };
  });
}

// ------------------------------------------------------------------ search texts

/** the whole text of every current report, for the search index */
export function reportTexts(db: Database.Database): Iterable<{ id: number; agency: string | null; year: number | null; text: string }> {
  return db
    .prepare(
      `SELECT r.id, a.name AS agency, r.year, t.text FROM report_texts t JOIN reports r ON r.id = t.report_id
       LEFT JOIN agencies a ON a.id = r.agency_id
       WHERE t.section_code = 'full' AND r.ok = 1 AND r.is_current = 1 ORDER BY r.year DESC, r.id`,
    )
    .iterate() as Iterable<{ id: number; agency: string | null; year: number | null; text: string }>;
}
