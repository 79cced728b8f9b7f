import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Extraction } from '../../src/domain/report.ts';
import { ingestFiles, ingestReport, sourceDocument, type Reader } from '../../src/ingest/index.ts';
import { closeDatabase, openDatabase, type OgiDatabase } from '../../src/load/index.ts';
import { CHILD_CONCURRENCY } from '../../src/util/ordered.ts';
import { failedExtraction, makeExtraction } from '../load/extraction-fixture.ts';
import type { FixtureOptions } from '../load/extraction-fixture.ts';

type Extractor = (bytes: Uint8Array, opts: { file: string }) => Promise<Extraction>;
const reader = (extract: Extractor): Reader => ({ version: 'test', extract, extractPage: (bytes, _images, opts) => extract(bytes, opts) });

let dir: string;
let db: OgiDatabase;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ogi-ingest-files-'));
  db = openDatabase(join(dir, 'ogi.sqlite'));
});
afterEach(() => {
  closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
});

// Stands in for the document extractor: each test file holds the fixture options as JSON,
// "garbage" files fail like unreadable documents do, and "crash" files make extraction throw.
let extractCalls = 0;
const extract: Extractor = async (bytes, { file }) => {
  extractCalls++;
  const text = Buffer.from(bytes).toString('utf8');
  if (text === 'crash') throw new Error('extractor crashed');
  if (text === 'garbage') return failedExtraction(file);
  return makeExtraction(JSON.parse(text) as FixtureOptions);
};

function write(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

it('loads a batch in order; bad files are reported and do not stop it', async () => {
  const files = [
    write('a.json', JSON.stringify({ year: 2022 })),
    join(dir, 'missing.pdf'),
    write('b.bin', 'garbage'),
    write('c.bin', 'crash'),
    write('d.json', JSON.stringify({ year: 2023, agency: '海盐县人民政府' })),
  ];
  extractCalls = 0;
  const results = await ingestFiles(db, files, { reader: reader(extract) });
  expect(results.map((r) => [r.status, r.agency, r.year])).toEqual([
    ['new', '海宁市人民政府', 2022],
    ['error', null, null],
    ['failed', null, null],
    ['error', null, null],
    ['new', '海盐县人民政府', 2023],
  ]);
  expect(results[1]?.error).toMatch(/^read-error: /);
  expect(results[2]?.error).toMatch(/^not-a-report: /);
  expect(results[3]?.error).toBe('load-error: extractor crashed');
  expect(db.$client.prepare('SELECT count(*) AS n FROM reports').get()).toEqual({ n: 3 });

  // a second run finds every known document by its hash and extracts only the one that crashed
  extractCalls = 0;
  const again = await ingestFiles(db, files, { reader: reader(extract) });
  expect(again.map((r) => r.status)).toEqual(['unchanged', 'error', 'unchanged', 'error', 'unchanged']);
  expect(again[0]).toMatchObject({ agency: '海宁市人民政府', year: 2022, reportId: results[0]?.reportId });
  expect(extractCalls).toBe(1);
  expect(db.$client.prepare('SELECT count(*) AS n FROM reports').get()).toEqual({ n: 3 });
});

it('extracts several files at once and loads them in input order; the same bytes twice load once', async () => {
  let inFlight = 0;
  let most = 0;
  const slow: Extractor = async (bytes, opts) => {
    inFlight++;
    most = Math.max(most, inFlight);
    const { year } = JSON.parse(Buffer.from(bytes).toString('utf8')) as { year: number };
    // the earlier files take longer: finishing order is the reverse of input order
    await new Promise((resolve) => setTimeout(resolve, (2025 - year) * 15));
    inFlight--;
    return extract(bytes, opts);
  };
  const files = [2021, 2022, 2023, 2024].map((year) => write(`${year}.json`, JSON.stringify({ year })));
  files.push(write('copy.json', JSON.stringify({ year: 2024 })));
  const loaded: string[] = [];
  const results = await ingestFiles(db, files, { reader: reader(slow), onResult: (r) => loaded.push(r.source) });
  expect(loaded).toEqual(files);
  expect(most).toBe(Math.min(CHILD_CONCURRENCY, files.length));
  expect(results.map((r) => r.year)).toEqual([2021, 2022, 2023, 2024, 2024]);
  expect(results.slice(0, 4).map((r) => r.status)).toEqual(['new', 'new', 'new', 'new']);
  expect(results[4]).toMatchObject({ status: 'unchanged', reportId: results[3]?.reportId });
  expect(db.$client.prepare('SELECT count(*) AS n FROM reports').get()).toEqual({ n: 4 });
});

it('a report loaded without its year is read again when a listing names the year, and becomes the current report', async () => {
  const path = write('no-year.json', JSON.stringify({ year: null, agency: '海宁市人民政府' }));
  const [first] = await ingestFiles(db, [path], { reader: reader(extract) });
  expect(first).toMatchObject({ status: 'new', year: null });
  const row = () => db.$client.prepare('SELECT year, is_current, version FROM reports WHERE id = ?').get(first?.reportId);
  expect(row()).toEqual({ year: null, is_current: 0, version: null });

  // the same bytes, fetched from a listing whose title names the year
  const bytes = readFileSync(path);
  const hints = { title: '海宁市人民政府2023年度政府信息公开工作年度报告', year: 2023, agency: '海宁市人民政府' };
  extractCalls = 0;
  const again = await ingestReport(db, { documents: [sourceDocument(bytes, { url: 'http://www.haining.gov.cn/art/2024/2/8/art_1.html' })], hints }, reader(extract));
  expect(extractCalls).toBe(1);
  expect(again).toMatchObject({ year: 2023, agency: '海宁市人民政府', known: false });
  expect(db.$client.prepare('SELECT year, is_current, version FROM reports WHERE id = ?').get(again.reportId)).toEqual({ year: 2023, is_current: 1, version: 1 });

  // known now, and identified: the same bytes again are not read a third time
  extractCalls = 0;
  expect(await ingestReport(db, { documents: [sourceDocument(bytes, { url: 'http://www.haining.gov.cn/art/2024/2/8/art_1.html' })], hints }, reader(extract))).toMatchObject({ status: 'unchanged', known: true });
  expect(extractCalls).toBe(0);
});
