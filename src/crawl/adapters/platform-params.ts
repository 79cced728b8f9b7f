/**
 * The `params` of site.yml that belong to one platform, gathered for the registry's schema: one
 * spread per platform (its params shape imports only zod, so the registry can use it without a cycle).
 */
import { XxgkParamsShape } from './xxgk-params.ts';
import { FjdzappParamsShape } from '../../../crawlers/platforms/fjdzapp/params.ts';

export const PLATFORM_PARAMS = { ...XxgkParamsShape, ...FjdzappParamsShape };
