/**
 * 上海市人民政府 (its own CMS, not jcms): the annual reports sit in column nw12344, a static list
 * `/nw12344/index.html` with further pages `index_<n>.html` — the static-list platform. Its pages
 * also link the portal's navigation and news, so only the column's own articles are read:
 * `/nw12344/<YYYYMMDD>/<id>.html` (old ids `0001-12344_64595`, new ids 32-hex). Bodies are in
 * `#ivs_content` (handled by parseArticle).
 */
import { staticListAdapter } from '../../platforms/static-list/adapter.ts';

export const ARTICLE = /\/nw12344\/\d{8}\/[\w-]+\.html$/;

export default staticListAdapter({ article: ARTICLE });
