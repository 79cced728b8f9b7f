/**
 * The `params` of site.yml that belong to one platform, gathered for the registry's schema: one
 * spread per platform (its params shape imports only zod, so the registry can use it without a cycle).
 */
import { XxgkParamsShape } from '../../../crawlers/platforms/jcms/params.ts';
import { TrsParamsShape } from '../../../crawlers/platforms/trs/params.ts';
import { GkmlptParamsShape } from '../../../crawlers/platforms/gkmlpt/params.ts';
import { FjdzappParamsShape } from '../../../crawlers/platforms/fjdzapp/params.ts';

export const PLATFORM_PARAMS = { ...XxgkParamsShape, ...TrsParamsShape, ...GkmlptParamsShape, ...FjdzappParamsShape };
