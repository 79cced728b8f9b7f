/**
 * The `params.trs` of a TRS WCM site.yml (platform `trs`). Everything is optional: a TRS column
 * states its own paging (createPageHTML / countPage) and links its own year and organ sub-columns.
 */
import { z } from 'zod';

export const TrsSchema = z
  .object({
    /**
     * how many levels of sub-columns below a start column are read (default 3: root > organ type >
     * year > 街乡镇, e.g. 大兴 dxqzf69/{Y}n/xzjd/, 怀柔 gknb/{Y}nb/zxjd{Y}/ in
     * shared/evidence/other-provinces/misc-url-shapes-pages.md); 0 reads the start columns only
     */
    subColumnDepth: z.number().int().min(0).max(4).optional(),
  })
  .strict();

export const TrsParamsShape = { trs: TrsSchema.optional() };
