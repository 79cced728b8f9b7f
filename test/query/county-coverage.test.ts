/**
 * The gazetteer (schema/gazetteer/zhejiang.csv → the regions table, migration 0007) and county
 * coverage: the canned query county_coverage, `ogi status`, and the snapshot's regions and
 * county_coverage tables.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportSnapshot } from '../../src/export/snapshot.ts';
import { closeDatabase, loadExtraction, openDatabase, openDatabaseReadonly } from '../../src/load/index.ts';
import { cannedParams, findCannedQuery } from '../../src/query/canned.ts';
import { openReadonly, runQuery } from '../../src/query/readonly.ts';
import { readStatus, statusText } from '../../src/nightly/status.ts';
import { failedExtraction, loadInput, makeExtraction } from '../load/extraction-fixture.ts';

const CSV = new URL('../../schema/gazetteer/zhejiang.csv', import.meta.url);

/** the gazetteer CSV, read here on its own (quoted fields may hold commas) */
function readGazetteer(): Record<string, string>[] {
  const split = (line: string) => [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)].slice(0, -1).map((m) => (m[1] ?? '').replace(/^"|"$/g, '').replaceAll('""', '"'));
  const [header, ...lines] = readFileSync(CSV, 'utf8').trim().split('\n');
  const names = split(header ?? '');
  return lines.map((l) => Object.fromEntries(split(l).map((v, i) => [names[i], v])));
}

let dir: string;
let dbPath: string;
let ro: Database.Database;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ogi-county-'));
  dbPath = join(dir, 'ogi.sqlite');
  const db = openDatabase(dbPath);
  const load = (agency: string, year: number, regionCode: string, level: string, offset = 0) =>
    loadExtraction(db, loadInput(makeExtraction({ agency, year, offset }), '', { regionCode, level }));
  load('海宁市人民政府', 2023, '330481', 'county');
  load('海宁市斜桥镇人民政府', 2023, '330481', 'township'); // a township on the county portal
  load('海盐县人民政府', 2022, '330424', 'county'); // 2022 only
  load('嘉善县发展和改革局', 2023, '330421', 'department'); // a department on the county portal
  load('上城区人民政府', 2023, '330102', 'county');
  load('上城区人民政府', 2023, '330102', 'county', 5); // a revised version: still one report
  load('下城区人民政府', 2020, '330103', 'county'); // abolished in 2021
  load('杭州市人民政府', 2023, '330100', 'city'); // a city: not a county-level unit
  loadExtraction(db, loadInput(failedExtraction()));
  closeDatabase(db);
  ro = openReadonly(dbPath);
});
afterAll(() => {
  ro.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the gazetteer', () => {
  it('has exactly 90 current county-level units of Zhejiang, as the CSV lists them, plus the two abolished districts', () => {
    const csv = readGazetteer();
    const currentCounties = csv.filter((r) => r.level === 'county' && r.valid_to === '').map((r) => r.code);
    expect(currentCounties).toHaveLength(90);
    expect(csv.filter((r) => r.level === 'city')).toHaveLength(11);
    expect(csv.filter((r) => r.level === 'county' && r.valid_to !== '').map((r) => [r.code, r.valid_to])).toEqual([['330103', '2020'], ['330104', '2020']]);
    // every county-level unit belongs to one of the 11 cities, every city to the province
    const cities = new Set(csv.filter((r) => r.level === 'city').map((r) => r.code));
    expect(csv.filter((r) => r.level === 'county').every((r) => cities.has(r.parent_code ?? ''))).toBe(true);
    expect(csv.filter((r) => r.level === 'city').every((r) => r.parent_code === '330000')).toBe(true);

    const db = ro.prepare(`SELECT code FROM regions WHERE level = 'county' AND valid_to IS NULL ORDER BY code`).pluck().all();
    expect(db).toEqual([...currentCounties].sort());
    expect(ro.prepare('SELECT count(*) FROM regions').pluck().get()).toBe(csv.length);
    expect(ro.prepare(`SELECT name, kind, parent_code FROM regions WHERE code = '331127'`).get()).toEqual({ name: '景宁畲族自治县', kind: '自治县', parent_code: '331100' });
  });
});

describe('canned query county_coverage', () => {
  const run = (year?: string) => {
    const q = findCannedQuery('county_coverage');
    const { columns, rows } = runQuery(ro, q.sql, cannedParams(q, year ? { year } : {}));
    return rows.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i]])));
  };

  it('lists every county-level unit of 2023 once, published or not', () => {
    const rows = run();
    expect(rows).toHaveLength(90);
    expect(rows.filter((r) => r.has_report === 'yes').map((r) => [r.code, r.name, r.city, r.reports, r.county_government, r.agencies])).toEqual([
      ['330102', '上城区', '杭州市', 1, 'yes', '上城区人民政府'],
      ['330421', '嘉善县', '嘉兴市', 1, 'no', '嘉善县发展和改革局'],
      ['330481', '海宁市', '嘉兴市', 2, 'yes', expect.stringMatching(/^(海宁市人民政府、海宁市斜桥镇人民政府|海宁市斜桥镇人民政府、海宁市人民政府)$/)],
    ]);
    expect(rows.find((r) => r.code === '330424')).toMatchObject({ name: '海盐县', has_report: 'no', reports: 0, agencies: null });
    expect(rows.some((r) => r.code === '330103' || r.code === '330100')).toBe(false);
  });

  it('takes the year: 2020 has the abolished districts and not the districts set up in 2021', () => {
    const rows = run('2020');
    expect(rows).toHaveLength(90);
    expect(rows.filter((r) => r.has_report === 'yes').map((r) => r.code)).toEqual(['330103']);
    expect(rows.some((r) => r.code === '330113' || r.code === '330114')).toBe(false);
    expect(rows.some((r) => r.code === '330104')).toBe(true);
    expect(run('2022').filter((r) => r.has_report === 'yes').map((r) => r.code)).toEqual(['330424']);
  });
});

describe('ogi status', () => {
  it('shows county coverage per region × year', () => {
    const db = openDatabaseReadonly(dbPath);
    try {
      const s = readStatus(db.$client);
      const cell = (region: string, year: number) => s.regionCoverage.find((c) => c.region === region && c.year === year);
      expect(cell('330000', 2023)).toEqual({ region: '330000', name: '浙江省', year: 2023, withReport: 3, units: 90 });
      expect(cell('330400', 2023)).toMatchObject({ name: '嘉兴市', withReport: 2, units: 7 });
      expect(cell('330100', 2020)).toMatchObject({ withReport: 1, units: 13 });
      expect(cell('330400', 2022)).toMatchObject({ withReport: 1, units: 7 });
      const text = statusText(s);
      expect(text).toContain('county coverage per region × year');
      expect(text).toMatch(/330000\s+│?\s*浙江省.*1\/90.*1\/90.*3\/90/);
    } finally {
      closeDatabase(db);
    }
  });

  it('says nothing about regions for a database written before the gazetteer', () => {
    const old = join(dir, 'old.sqlite');
    const db = openDatabase(old);
    loadExtraction(db, loadInput(makeExtraction({ agency: '海宁市人民政府', year: 2023 }), '', { regionCode: '330481', level: 'county' }));
    db.$client.exec('DROP VIEW county_coverage; DROP TABLE regions');
    try {
      const s = readStatus(db.$client);
      expect(s.regionCoverage).toEqual([]);
      expect(statusText(s)).not.toContain('county coverage');
    } finally {
      closeDatabase(db);
    }
  });
});

describe('the snapshot', () => {
  it('exports the regions and county_coverage tables, described in the codebook', async () => {
    const snap = await exportSnapshot(dbPath, { outDir: join(dir, 'snapshots'), now: new Date('2026-01-15T08:00:00Z') });
    const csv = (name: string) => readFileSync(join(snap.dir, 'csv', `${name}.csv`), 'utf8').trim().split(/\r?\n/);
    const regions = csv('regions');
    expect(regions[0]).toBe('code,name,level,kind,parent_code,valid_from,valid_to,note');
    expect(regions).toHaveLength(1 + readGazetteer().length);
    const coverage = csv('county_coverage');
    expect(coverage[0]).toBe('year,code,name,city_code,city,has_report,reports,county_government');
    // 90 county-level units for each of 2020, 2022 and 2023
    expect(coverage).toHaveLength(1 + 3 * 90);
    expect(coverage).toContain('2023,330481,海宁市,330400,嘉兴市,true,2,true');
    expect(coverage).toContain('2023,330421,嘉善县,330400,嘉兴市,true,1,false');
    expect(coverage).toContain('2023,330424,海盐县,330400,嘉兴市,false,0,false');
    const codebook = readFileSync(join(snap.dir, 'CODEBOOK.md'), 'utf8');
    expect(codebook).toContain('county_coverage');
    expect(codebook).toContain('行政区划（GB/T 2260）');
    const pkg = JSON.parse(readFileSync(join(snap.dir, 'datapackage.json'), 'utf8')) as { resources: { name: string }[] };
    expect(pkg.resources.map((r) => r.name)).toEqual(expect.arrayContaining(['regions', 'county_coverage']));
  });
});
