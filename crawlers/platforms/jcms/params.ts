/**
 * The `site.yml` params of the Hanweb xxgk modules (crawlers/platforms/jcms/xxgk.ts). Only zod is
 * imported here, so the site registry can use these schemas without an import cycle.
 *
 *   params:
 *     annualReportModule:            # /module/xxgk/xxgkAnnualReport.jsp?area=…&fbtime=YYYY
 *       area: "001008003015001"      # the module's organ code(s), from evidence URLs
 *       years: [2022, 2024]          # report years to ask for (fbtime), inclusive
 *     xxgkSearch:                    # POST /module/xxgk/search.jsp (信息公开目录)
 *       jdid: 3084                   # the directory's site id
 *       divid: div1525479
 *       infotypeId: { "2022": A0102 }  # 组配分类 code per report year, or one code for all years
 *
 * Both may also be lists (several organs, several directories), and take `host` (an origin such as
 * https://www.tx.gov.cn when the module lives on another host of the same government than the
 * first start URL).
 */
import { z } from 'zod';

const origin = z
  .string()
  .regex(/^https?:\/\/[^/\s]+\/?$/, 'an origin such as https://www.wenzhou.gov.cn')
  .transform((s) => s.replace(/\/$/, ''));
const year = z.number().int().min(1990).max(2100);
const code = z.union([z.string().min(1), z.number()]).transform(String);

export const AnnualReportModuleSchema = z
  .object({
    /** organ code(s): the module's `area` parameter */
    area: z.union([code, z.array(code).min(1)]).transform((a) => (Array.isArray(a) ? a : [a])),
    /** first and last report year asked for (the module's `fbtime`), inclusive */
    years: z.tuple([year, year]).refine(([a, b]) => a <= b, 'first year after last year'),
    /** origin the module is called on; default: the first start URL's */
    host: origin.optional(),
    /** further query parameters the site's module URLs carry (e.g. showType: "2") */
    query: z.record(z.string(), z.string()).optional(),
  })
  .strict();

export const XxgkSearchSchema = z
  .object({
    /** the directory's site id (`jdid`; `webid` in some spiders) */
    jdid: code,
    /** the directory's list div (`divid=div<col>`) */
    divid: z.string().regex(/^div\d+$/, 'div<digits>'),
    /** organ code(s), comma-separated as the module takes them; default empty (all) */
    area: z.string().default(''),
    /** the 组配分类 code of the annual reports: one for all years, or one per report year */
    infotypeId: z.union([z.string().min(1), z.record(z.string().regex(/^\d{4}$/), z.string().min(1))]),
    host: origin.optional(),
    /** further form fields, overriding the defaults (standardXxgk, isAllList, texttype, sortfield…) */
    form: z.record(z.string(), z.string()).optional(),
  })
  .strict();

const oneOrMany = <T extends z.ZodTypeAny>(s: T) => z.union([s, z.array(s).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]) as z.output<T>[]);

/** What registry.ts adds to its `params` object (both optional). */
export const XxgkParamsShape = {
  annualReportModule: oneOrMany(AnnualReportModuleSchema).optional(),
  xxgkSearch: oneOrMany(XxgkSearchSchema).optional(),
};

export const XxgkParamsSchema = z.object(XxgkParamsShape);

export type AnnualReportModule = z.output<typeof AnnualReportModuleSchema>;
export type XxgkSearch = z.output<typeof XxgkSearchSchema>;
export type XxgkParams = z.output<typeof XxgkParamsSchema>;
