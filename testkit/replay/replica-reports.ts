/**
 * The reports a replica publishes, whatever its platform: the five seed reports
 * (testkit/data/seeds.json, copied from the hand-read corpus) multiplied per site by a whole number
 * (every template identity is linear, so scaled values stay consistent while each site's numbers
 * differ), their listed titles, and what a complete crawl should load. Platform replicas
 * (crawlers/platforms/<platform>/replica.ts) build on these; testkit/replay/replicas.ts re-exports them.
 */
import { z } from 'zod';
import seedsJson from '../data/seeds.json' with { type: 'json' };
import { renderReportHtml, type RenderOptions, type ReportValues } from '../reports/report-html.ts';

export type SeedId = keyof typeof seedsJson;

export const SEEDS = seedsJson as unknown as Record<SeedId, ReportValues>;

export const ReportSchema = z
  .object({
    seed: z.enum(Object.keys(seedsJson) as [SeedId, ...SeedId[]]),
    /** every value is multiplied by this */
    scale: z.number().int().positive(),
    agency: z.string().min(1),
    /** report year (default: the seed's) */
    year: z.number().int().optional(),
    /** listed title (default 〈agency〉〈year〉年度政府信息公开工作年度报告) */
    title: z.string().optional(),
    /** publish time, 'YYYY-MM-DD HH:mm' */
    pub: z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/),
    /** article path on the host */
    path: z.string().startsWith('/'),
    /** how the report is published */
    format: z.enum(['html', 'pdf', 'doc', 'images']),
    /** where the attachment is served from (pdf/doc): a downfile.jsp path or an absolute mirror URL */
    attachment: z.string().optional(),
    /** the attachment's bytes: a file in the site's replica-files/ (rendered by testkit/replay/build-data.ts) */
    file: z.string().regex(/^[\w.-]+\.(pdf|doc)$/).optional(),
    /** format 'images': the tables are pictures at `${pictures}-t2.png`, -t3, -t4 (replica-files/<file name>) */
    pictures: z.string().optional(),
    /** a listed URL that redirects (301) to `path` */
    listedPath: z.string().optional(),
    /** only present in the 'updated' mode (a report published after the first crawl) */
    updatedOnly: z.boolean().optional(),
    /** scale in the 'updated' mode (a corrected republication) */
    updatedScale: z.number().int().positive().optional(),
  })
  .strict()
  .refine((r) => (r.format === 'pdf' || r.format === 'doc') === Boolean(r.attachment && r.file), 'a pdf or doc report needs attachment and file, others neither')
  .refine((r) => (r.format === 'images') === Boolean(r.pictures), 'an images report needs pictures, others none');

export type ReplicaReport = z.infer<typeof ReportSchema>;

/** Report years of a generated replica: one report per year. */
export const GENERATED_YEARS = [2022, 2023, 2024] as const;

/** A small stable number from a site id (FNV-1a), so each generated replica's ids and values differ. */
export function idHash(id: string): number {
  let h = 0x811c9dc5;
  for (const ch of id) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

export type Mode = 'initial' | 'updated';

const T = (agency: string, year: number): string => `${agency}${year}年度政府信息公开工作年度报告`;

export function reportTitleOf(r: ReplicaReport): string {
  return r.title ?? T(r.agency, r.year ?? SEEDS[r.seed].year);
}

export function reportsIn(reports: ReplicaReport[], mode: Mode): ReplicaReport[] {
  return reports.filter((r) => !r.updatedOnly || mode === 'updated');
}

function scaleTable(t: Record<string, Record<string, number | null>> | null, k: number): Record<string, Record<string, number | null>> | null {
  if (!t) return null;
  return Object.fromEntries(Object.entries(t).map(([row, cols]) => [row, Object.fromEntries(Object.entries(cols).map(([c, v]) => [c, v === null ? null : v * k]))]));
}

export function reportScale(r: ReplicaReport, mode: Mode): number {
  return mode === 'updated' && r.updatedScale ? r.updatedScale : r.scale;
}

/** The values a replica report publishes in a mode. */
export function reportValues(r: ReplicaReport, mode: Mode = 'initial'): ReportValues {
  const s = SEEDS[r.seed];
  const k = reportScale(r, mode);
  return { agency: r.agency, year: r.year ?? s.year, template: s.template, table2: scaleTable(s.table2, k), table3: scaleTable(s.table3, k), table4: scaleTable(s.table4, k) };
}

export interface ExpectedReport {
  host: string;
  /** the URL the report's tables are published at (article page, or its attachment) */
  url: string;
  articleUrl: string;
  title: string;
  values: ReportValues;
  format: ReplicaReport['format'];
}

/** A replica report's article page: the report as HTML, its tables as pictures, or a page linking its attachment. */
export function reportArticlePage(r: ReplicaReport, mode: Mode, container: RenderOptions['container'] = 'zoom'): string {
  const v = reportValues(r, mode);
  const base = { title: reportTitleOf(r), publishedAt: r.pub, contentSource: r.agency, container };
  if (r.format === 'html') return renderReportHtml(v, base);
  if (r.format === 'images') {
    const p = r.pictures ?? '';
    return renderReportHtml(v, { ...base, tableImages: [`${p}-t2.png`, `${p}-t3.png`, `${p}-t4.png`] });
  }
  return renderReportHtml(v, { ...base, omitTables: true, attachments: [{ href: r.attachment ?? '', name: `${reportTitleOf(r)}.${r.format}` }] });
}
