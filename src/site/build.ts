/**
 * `ogi site`: the dataset's static website, written into a snapshot as `<snapshot>/site/`.
 *
 *   site/index.html coverage.html agencies.html agency.html report.html compare.html sql.html search.html
 *   site/app.js app.css        the browser code (src/site/browser, bundled with esbuild) and its style
 *   site/data/*.js              the data, as scripts that hand an object to the page (OGI_PUT):
 *                               file:// pages may load scripts but not fetch() files, so nothing is fetched
 *   site/data/agency/<id>.js  report/<id>.js  text/<id>.js  search/<shard>.js   one per page, loaded when asked for
 *   site/vendor/sql-wasm-inline.js   sql.js with its WebAssembly inlined (from node_modules)
 *   site/sources/<sha256>.<ext>      the archived source documents the site can find, as archived
 *   site/sources/<sha256>.view.html  an HTML page as shown beside its tables, loading nothing (source-view.ts)
 *   site/CITATION.cff
 *
 * Nothing is fetched from the internet, at build or in the browser. The site is rebuilt whole
 * (written under a temporary name and renamed), never patched; the snapshot's own files are not touched.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { getBlob, hasBlob, sha256Hex } from '../archive/index.ts';
import { OgiError } from '../domain/errors.ts';
import { APPLICANTS, TABLE2, TABLE3_ROWS, TABLE4_GROUPS, TABLE4_OUTCOMES } from '../domain/template.ts';
import { DATASET_DESCRIPTION, DATASET_TITLE, LICENSE } from '../export/datapackage.ts';
import { SNAPSHOT_DB } from '../export/snapshot.ts';
import { listCannedQueries } from '../query/canned.ts';
import { bundleBrowserCode } from './bundle.ts';
import { INDICATORS, OUTCOME_GROUPS, agencyList, agencyPages, compareRows, coverageData, homeData, reportPages, reportTexts, sourceFileName } from './data.ts';
import { PAGES, pageHtml } from './pages.ts';
import { offlineHtml } from './source-view.ts';
import { bigrams, encodeGaps, SEARCH_SHARDS, shardOf } from './browser/terms.ts';

export const SITE_DIR = 'site';

export interface SiteOptions {
  /** data directories whose archive (blobs/sha256/…) holds the source documents */
  archiveDirs?: string[];
}

export interface SiteResult {
  dir: string;
  reports: number;
  agencies: number;
  /** source documents copied into the site, and those it could not find */
  sources: number;
  sourcesMissing: number;
}

/** a data script: hands its object to the page under `key` */
function dataScript(key: string, data: unknown): string {
  return `OGI_PUT(${JSON.stringify(key)},${JSON.stringify(data)});\n`;
}

function citationCff(name: string, created: string): string {
  return [
    'cff-version: 1.2.0',
    'message: "If you use this dataset, please cite it as below."',
    'type: dataset',
    `title: "${DATASET_TITLE} (snapshot ${name})"`,
    'authors:',
    '  - name: "ogi contributors"',
    `version: "${name}"`,
    `date-released: "${created.slice(0, 10)}"`,
    `license: ${LICENSE.name}`,
    `abstract: "${DATASET_DESCRIPTION.replaceAll('"', '\\"').replace(/\s+/g, ' ')}"`,
    '',
  ].join('\n');
}

/** the snapshot's published files with their sizes and hashes (from its SHA256SUMS) */
function downloads(snapshotDir: string): { path: string; bytes: number; sha256: string }[] {
  const sums = join(snapshotDir, 'SHA256SUMS');
  if (!existsSync(sums)) return [];
  return readFileSync(sums, 'utf8')
    .split('\n')
    .map((line) => /^([0-9a-f]{64}) {2}(.+)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ path: m[2]!, sha256: m[1]!, bytes: statSync(join(snapshotDir, m[2]!)).size }));
}

/** The labels of the template, for the tables and charts (codes are the data's; labels the page's). */
function templateLabels() {
  return {
    table2: { 2019: TABLE2['2019'], 2021: TABLE2['2021'] },
    table3Rows: TABLE3_ROWS.map((r) => ({ code: r.code, label: r.label, en: r.en, group: r.group ?? null, only: r.only ?? null })),
    applicants: APPLICANTS.map((a) => ({ code: a.code, label: a.label, en: a.en })),
    table4Groups: TABLE4_GROUPS.map((g) => ({ code: g.code, label: g.label, en: g.en })),
    table4Outcomes: TABLE4_OUTCOMES.map((o) => ({ code: o.code, label: o.label, en: o.en })),
    outcomeGroups: OUTCOME_GROUPS.map((g) => g.code),
    indicators: [...INDICATORS],
  };
}

export async function buildSite(snapshotDir: string, opts: SiteOptions = {}): Promise<SiteResult> {
  const dbPath = join(snapshotDir, SNAPSHOT_DB);
  if (!existsSync(dbPath)) throw new OgiError('not-a-snapshot', `${snapshotDir}: no ${SNAPSHOT_DB} in it (give the directory ogi export wrote)`);
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  const work = join(snapshotDir, `.${SITE_DIR}.partial-${process.pid}`);
  try {
    rmSync(work, { recursive: true, force: true });
    for (const d of ['data/agency', 'data/report', 'data/text', 'data/search', 'vendor', 'sources']) mkdirSync(join(work, d), { recursive: true });
  } catch (e) {
    db.close();
    throw new OgiError('not-writable', `${snapshotDir}: cannot write the site there (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    const write = (path: string, text: string) => writeFileSync(join(work, path), text);
    let pkg: Record<string, unknown> = {};
    try {
      pkg = JSON.parse(readFileSync(join(snapshotDir, 'datapackage.json'), 'utf8')) as Record<string, unknown>;
    } catch {
      // a snapshot without datapackage.json: the site says less about it
    }
    const name = String(pkg.version ?? snapshotDir.split(/[\\/]/).filter(Boolean).pop());
    const created = String(pkg.created ?? new Date().toISOString());

    // source documents: the archive first, else the file a local load read (when its bytes still match)
    const sources = new Map<string, { file: string; view: string }>();
    /** archived pictures by the URL they were fetched from, for the pages that show them */
    const pictures = new Map<string, { mediaType: string; file: string }>();
    const pages: { sha256: string; url: string | null; bytes: Buffer }[] = [];
    let missing = 0;
    for (const d of db.prepare('SELECT sha256, media_type, source_path, url FROM documents').all() as { sha256: string; media_type: string | null; source_path: string | null; url: string | null }[]) {
      const name = sourceFileName(d.sha256, d.media_type);
      const archive = (opts.archiveDirs ?? []).find((dir) => hasBlob(dir, d.sha256));
      let bytes: Buffer | null = null;
      if (archive) bytes = getBlob(archive, d.sha256);
      else if (d.source_path && existsSync(d.source_path)) {
        const read = readFileSync(d.source_path);
        if (sha256Hex(read) === d.sha256) bytes = read;
      }
      if (!bytes) {
        missing++;
        continue;
      }
      writeFileSync(join(work, 'sources', name), bytes);
      sources.set(d.sha256, { file: `sources/${name}`, view: `sources/${name}` });
      if (d.url && d.media_type?.startsWith('image/')) pictures.set(d.url, { mediaType: d.media_type, file: join(work, 'sources', name) });
      if (name.endsWith('.html')) pages.push({ sha256: d.sha256, url: d.url, bytes });
    }
    // The HTML pages as shown beside the tables: a copy that loads nothing, with the pictures archived
    // with it inlined (a sandboxed frame opened from file:// may not load another local file)
    const inline = (url: string) => {
      const picture = pictures.get(url);
      return picture ? `data:${picture.mediaType};base64,${readFileSync(picture.file).toString('base64')}` : null;
    };
    for (const p of pages) {
      const view = `sources/${p.sha256}.view.html`;
      writeFileSync(join(work, view), offlineHtml(p.bytes, p.url, inline));
      sources.get(p.sha256)!.view = view;
    }

    const home = homeData(db);
    write(
      'data/home.js',
      dataScript('home', {
        ...home,
        name,
        created,
        license: LICENSE,
        downloads: downloads(snapshotDir),
        changes: existsSync(join(snapshotDir, 'CHANGES.md')) ? readFileSync(join(snapshotDir, 'CHANGES.md'), 'utf8') : null,
        citation: `ogi contributors (${created.slice(0, 4)}). ${DATASET_TITLE}, snapshot ${name} [Data set]. ${LICENSE.name}.`,
      }),
    );
    write('data/labels.js', dataScript('labels', templateLabels()));
    write('data/coverage.js', dataScript('coverage', coverageData(db)));
    const agencies = agencyList(db);
    write('data/agencies.js', dataScript('agencies', agencies));
    for (const a of agencyPages(db)) write(`data/agency/${a.id}.js`, dataScript(`agency/${a.id}`, a));
    let reports = 0;
    for (const r of reportPages(db, (sha) => sources.get(sha) ?? null)) {
      write(`data/report/${r.id}.js`, dataScript(`report/${r.id}`, r));
      reports++;
    }
    write('data/compare.js', dataScript('compare', compareRows(db)));
    write(
      'data/queries.js',
      dataScript(
        'queries',
        listCannedQueries().map((q) => ({ name: q.name, title: q.title, description: q.description, params: q.params, sql: q.sql })),
      ),
    );

    // the search index: bigram → ascending report ids, in shards the browser loads for the bigrams it needs
    const shards: Map<string, number[]>[] = Array.from({ length: SEARCH_SHARDS }, () => new Map());
    const docs: [number, string | null, number | null][] = [];
    for (const t of reportTexts(db)) {
      docs.push([t.id, t.agency, t.year]);
      write(`data/text/${t.id}.js`, dataScript(`text/${t.id}`, t.text));
      for (const term of bigrams(t.text)) {
        const shard = shards[shardOf(term)]!;
        const ids = shard.get(term);
        if (ids) ids.push(t.id);
        else shard.set(term, [t.id]);
      }
    }
    shards.forEach((shard, i) => {
      const out: Record<string, number[]> = {};
      for (const [term, ids] of shard) out[term] = encodeGaps(ids.sort((a, b) => a - b));
      write(`data/search/${i}.js`, dataScript(`search/${i}`, out));
    });
    write('data/search-docs.js', dataScript('search-docs', docs));

    const require = createRequire(import.meta.url);
    copyFileSync(require.resolve('sql.js/dist/sql-wasm-inline.js'), join(work, 'vendor/sql-wasm-inline.js'));
    write('app.js', await bundleBrowserCode());
    write('app.css', readFileSync(new URL('./browser/app.css', import.meta.url), 'utf8'));
    write('CITATION.cff', citationCff(name, created));
    for (const page of PAGES) write(page.file, pageHtml(page, name));

    const dir = join(snapshotDir, SITE_DIR);
    rmSync(dir, { recursive: true, force: true });
    renameSync(work, dir);
    return { dir, reports, agencies: agencies.length, sources: sources.size, sourcesMissing: missing };
  } catch (e) {
    rmSync(work, { recursive: true, force: true });
    throw e;
  } finally {
    db.close();
  }
}
