/**
 * Writes crawlers/zj/<slug>/site.yml for every row of crawlers/zj/registry.csv (the evidence
 * registry, see crawlers/zj/PROVENANCE.md) that has no site folder yet — a site is matched by the
 * host of its start URLs and sister hosts, so the hand-written sites stay as they are. Run once
 * (issue 13.1); the generated site.yml files are the source of truth afterwards and this script is
 * kept for reference:
 *
 *   node bin/run-ts.js scripts/generate-sites.ts [--dry-run]
 *
 * Nothing is guessed: a start is a report column only when an evidence URL on the row's own host
 * names a column id that the row's report_columns lists (`{ url, evidence }`); otherwise the start is
 * the home page, from which the jcms adapter discovers the annual-report column. Sister hosts are the
 * row's gov.cn sister hosts (those it marks as a candidate or unverified are left out).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CRAWLERS_DIR, columnIdOf, loadSites, REPO_ROOT } from '../src/crawl/registry.ts';

export interface RegistryRow {
  name: string;
  code: string;
  level: string;
  parent_code: string;
  host: string;
  platform: string;
  report_columns: string;
  sister_hosts: string;
  evidence_urls: string;
  evidence_source: string;
  status: string;
}

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and newlines. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field), rows.push(row), (row = []), (field = '');
    } else field += c;
  }
  if (field !== '' || row.length > 0) row.push(field), rows.push(row);
  return rows.filter((r) => r.some((f) => f !== ''));
}

export function readRegistry(file = join(CRAWLERS_DIR, 'zj', 'registry.csv')): RegistryRow[] {
  const [head, ...rows] = parseCsv(readFileSync(file, 'utf8'));
  if (!head) return [];
  return rows.map((r) => Object.fromEntries(head.map((h, i) => [h, (r[i] ?? '').trim()])) as unknown as RegistryRow);
}

/** fzggw.zj.gov.cn → fzggw-zj, www.hzsc.gov.cn → hzsc, zj.cma.gov.cn → zj-cma */
export function slugOf(host: string): string {
  return host
    .toLowerCase()
    .replace(/^www\./, '')
    .replace(/\.gov\.cn$/, '')
    .replace(/[^a-z0-9]+/g, '-');
}

/** The column ids report_columns names on the row's own host (entries such as "wenzhou.gov.cn:1229781586" are another host's). */
function reportColumnIds(row: RegistryRow): Set<string> {
  const ids = new Set<string>();
  for (const entry of row.report_columns.split(';')) {
    const m = /^\s*(?:col)?(\d{5,})\b/.exec(entry);
    if (m?.[1]) ids.add(m[1]);
  }
  return ids;
}

/** Evidenced column starts: an evidence URL on the row's host naming a column report_columns lists. */
export function evidencedStarts(row: RegistryRow): { url: string; evidence: string }[] {
  const ids = reportColumnIds(row);
  const out: { url: string; evidence: string }[] = [];
  const seen = new Set<string>();
  let scheme: string | null = null;
  for (const raw of row.evidence_urls.split(';')) {
    const u = raw.trim().split(/\s/)[0] ?? '';
    if (!/^https?:\/\//.test(u) || !URL.canParse(u)) continue;
    const url = new URL(u);
    if (url.hostname !== row.host) continue;
    const col = columnIdOf(url.pathname);
    if (col === null || !ids.has(col) || seen.has(col)) continue;
    seen.add(col);
    // one scheme per site (the first evidence URL's): the replica of a site answers on one scheme
    scheme ??= url.protocol;
    out.push({ url: `${scheme}//${row.host}/col/col${col}/index.html`, evidence: u });
  }
  return out;
}

/** The row's gov.cn sister hosts, without those it marks as a candidate or unverified. */
export function sisterHostsOf(row: RegistryRow): string[] {
  return row.sister_hosts
    .split(';')
    .filter((e) => !/candidate|unverified/i.test(e))
    .map((e) => e.trim().split(/[\s(]/)[0]?.toLowerCase() ?? '')
    .filter((h) => /^[a-z0-9-]+(\.[a-z0-9-]+)*\.gov\.cn$/.test(h) && h !== row.host);
}

const q = (s: string): string => JSON.stringify(s);

export function siteYaml(row: RegistryRow, slug: string): string {
  const region = row.code || row.parent_code;
  const starts = evidencedStarts(row);
  // the scheme of the home page: that of the row's own evidence URLs (https when none says)
  const own = row.evidence_urls.split(';').map((s) => s.trim().split(/\s/)[0] ?? '').find((u) => URL.canParse(u) && new URL(u).hostname === row.host);
  const scheme = own ? new URL(own).protocol.replace(':', '') : 'https';
  const sisters = sisterHostsOf(row);
  // "下城区 (已撤销2021, 并入拱墅区)": the name, and the registry's remark on it (kept in notes)
  const [, name = row.name, remark] = /^(.*?)\s*\((.*)\)$/.exec(row.name) ?? [];
  const notes = [remark ? `registry remark: ${remark}` : '', row.evidence_source ? `registry evidence: ${row.evidence_source.replace(/\s+/g, ' ')}` : ''].filter(Boolean).join('; ');
  const lines = [
    `# generated by scripts/generate-sites.ts from crawlers/zj/registry.csv (row ${row.host}); reviewed by hand from here on`,
    `id: zj-${slug}`,
    `name: ${name}`,
    `region: "${region}"`,
    `level: ${row.level}`,
    `# registry platform: ${row.platform ? row.platform.replace(/\s+/g, ' ') : 'not recorded'}${/jpaas/.test(row.platform) ? ' (jpaas shells are read by the jcms adapter)' : ''}`,
    `platform: jcms`,
  ];
  if (row.status === 'unverified') lines.push('# the registry has no evidence for this host yet: listed, flagged in ogi sites', 'status: unverified');
  lines.push('start:');
  if (starts.length > 0) {
    lines.push(`  # evidence: crawlers/zj/registry.csv (report_columns, evidence_urls)`);
    for (const s of starts) lines.push(`  - url: ${s.url}`, `    evidence: ${s.evidence}`);
  } else {
    lines.push(`  # no evidenced annual-report column on this host: discovery from the home page`, `  - ${scheme}://${row.host}/`);
  }
  if (sisters.length > 0) lines.push(`# sister_hosts of the registry row`, `sisterHosts: [${sisters.join(', ')}]`);
  if (notes) lines.push(`notes: ${q(notes)}`);
  return lines.join('\n') + '\n';
}

function main(): void {
  const dry = process.argv.includes('--dry-run');
  const sites = loadSites();
  const known = new Set(sites.flatMap((s) => s.start.map((u) => new URL(u).hostname)));
  const rows = readRegistry();
  let written = 0;
  for (const row of rows) {
    if (known.has(row.host)) continue;
    const slug = slugOf(row.host);
    if (!/^[a-z][a-z0-9-]*$/.test(slug)) throw new Error(`slug ${slug} of ${row.host} is not a valid folder name`);
    const dir = join(CRAWLERS_DIR, 'zj', slug);
    if (existsSync(join(dir, 'site.yml'))) throw new Error(`${dir} exists but does not start on ${row.host}`);
    if (!dry) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'site.yml'), siteYaml(row, slug));
    }
    written++;
    console.log(`${dry ? 'would write' : 'wrote'} ${join(dir, 'site.yml').replace(REPO_ROOT + '/', '')}`);
  }
  console.log(`${rows.length} registry rows, ${written} site.yml ${dry ? 'to write' : 'written'}`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
