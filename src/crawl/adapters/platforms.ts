/**
 * The platforms an adapter exists for: the values `platform:` may take in a site.yml. Kept in the
 * adapter folder (and importing nothing) so that adding a platform touches only this folder; the
 * registry validates site files against it and adapters/index.ts must map every name to an adapter.
 */
export const PLATFORMS = ['jcms', 'static-list'] as const;

export type Platform = (typeof PLATFORMS)[number];
