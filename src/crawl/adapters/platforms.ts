/**
 * The platforms an adapter exists for: the values `platform:` may take in a site.yml. Kept in the
 * adapter folder (and importing nothing) so that adding a platform touches only this folder; the
 * registry validates site files against it and adapters/index.ts must map every name to an adapter.
 */
export const PLATFORMS = ['jcms', 'static-list', 'trs', 'gkmlpt', 'fjdzapp'] as const;

export type Platform = (typeof PLATFORMS)[number];

/** Hosts a platform serves its sites' files from, allowed for every site of the platform. */
export const PLATFORM_FILE_HOSTS: Record<Platform, readonly string[]> = {
  // Zhejiang jcms attachments are also served from Aliyun OSS: /jcms_files/jcms1/web<webid>/site/attach/…
  // (shared/notes/portals-and-templates.md, seen in a public scraper's code)
  jcms: ['zjjcmspublic.oss-cn-hangzhou.aliyuncs.com'],
  'static-list': [],
  trs: [],
  gkmlpt: [],
  fjdzapp: [],
};
