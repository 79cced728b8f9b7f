/**
 * The HTML pages of the site: each is a shell (header, a main element, the bundled script) that
 * the browser code fills for its `data-page`; agency.html and report.html take `?id=`.
 */

export interface Page {
  id: 'home' | 'coverage' | 'agencies' | 'agency' | 'report' | 'compare' | 'sql' | 'search';
  file: string;
  title: string;
}

export const PAGES: Page[] = [
  { id: 'home', file: 'index.html', title: '政府信息公开工作年度报告数据集' },
  { id: 'coverage', file: 'coverage.html', title: '覆盖情况 Coverage' },
  { id: 'agencies', file: 'agencies.html', title: '机关 Agencies' },
  { id: 'agency', file: 'agency.html', title: '机关 Agency' },
  { id: 'report', file: 'report.html', title: '报告 Report' },
  { id: 'compare', file: 'compare.html', title: '比较 Compare' },
  { id: 'sql', file: 'sql.html', title: 'SQL' },
  { id: 'search', file: 'search.html', title: '搜索 Search' },
];

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

export function pageHtml(page: Page, snapshot: string): string {
  return `<!doctype html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(page.title)} · ${escape(snapshot)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="app.css">
</head>
<body data-page="${page.id}" data-snapshot="${escape(snapshot)}">
<a class="skip" href="#main">跳到正文 Skip to content</a>
<header id="top"></header>
<main id="main" tabindex="-1"><noscript>This site needs JavaScript. 本网站需要启用 JavaScript。</noscript></main>
<script src="app.js"></script>
</body>
</html>
`;
}
