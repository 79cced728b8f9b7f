/**
 * `params.fjdzapp` of a Fujian TRS site (platform fjdzapp): the document library its
 * `POST /fjdzapp/search` list API reads, when the column page does not name it (`searchId` in the
 * page's SiteInfo script). Values only from evidence URLs and request code
 * (shared/evidence/other-provinces/fujian-trs-fjdzapp.md §4: 229105 on www.fujian.gov.cn and its
 * departments' hosts, 200210 on www.pingtan.gov.cn).
 */
import { z } from 'zod';

export const FjdzappSchema = z
  .object({
    /** the document library (`channelid`) of the site's search API */
    channelid: z.union([z.string().regex(/^\d+$/), z.number().int().positive()]).transform(String).optional(),
    /** records per API request (the evidence shows 15, 75 and 500; default 100) */
    prepage: z.number().int().positive().max(500).optional(),
  })
  .strict();

export type FjdzappParams = z.infer<typeof FjdzappSchema>;

export const FjdzappParamsShape = { fjdzapp: FjdzappSchema.optional() };
