/**
 * The `site.yml` params of a Guangdong gkmlpt site (crawlers/platforms/gkmlpt/adapter.ts). Only zod
 * is imported here, so the site registry can use the shape without an import cycle.
 *
 *   params:
 *     gkmlpt:
 *       sid: "175"          # the site id (_CONFIG SID), when the evidence shows it; else read from /gkmlpt/index
 *       category: 2629      # the 政府信息公开年报 category id, when the evidence shows it (/gkmlpt/annualreport#2629)
 *       noSid: true         # ask the list API without &sid= (Dongguan town sub-sites: gkmlpt-other-sources.md §E)
 *
 * Everything is optional: the site's start URL (`{base}/gkmlpt/index`, `{base}/gkmlpt/annualreport#<id>`)
 * gives the base (host plus an optional path prefix such as /zqhjj), and the index page's
 * `window._CONFIG` gives SID and the category tree.
 */
import { z } from 'zod';

const id = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform(String);

export const GkmlptSchema = z
  .object({
    sid: id.optional(),
    category: id.optional(),
    noSid: z.boolean().optional(),
  })
  .strict();

export type GkmlptParams = z.infer<typeof GkmlptSchema>;

export const GkmlptParamsShape = { gkmlpt: GkmlptSchema.optional() };
