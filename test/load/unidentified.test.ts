/**
 * issue 17, point 5: a document whose agency or year could not be read (a picture loaded on its
 * own, a report that does not name them) was loaded as a current report and exported as data.
 * It is kept, but unidentified: no version, not current, a `report-unidentified` warning, listed
 * by the `unidentified` canned query, left out of the table files until it is identified.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportSnapshot } from '../../src/export/snapshot.ts';
import { closeDatabase, loadExtraction, openDatabase } from '../../src/load/index.ts';
import type { OgiDatabase } from '../../src/load/index.ts';
import { findCannedQuery } from '../../src/query/canned.ts';
import { loadInput, makeExtraction } from './extraction-fixture.ts';

let dir: string;
let dbPath: string;
let db: OgiDatabase;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ogi-unidentified-'));
  dbPath = join(dir, 'ogi.sqlite');
  db = openDatabase(dbPath);
});
afterEach(() => {
  closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
});

interface ReportRow { id: number; year: number | null; version: number | null; is_current: number; ok: number }
const reportRow = (id: number | null) => db.$client.prepare('SELECT id, year, version, is_current, ok FROM reports WHERE id = ?').get(id) as ReportRow;
const warningCodes = (id: number | null) => (db.$client.prepare('SELECT code FROM warnings WHERE report_id = ? ORDER BY code').all(id) as { code: string }[]).map((w) => w.code);
const cellCount = (id: number | null) => (db.$client.prepare('SELECT count(*) AS n FROM table3_cells WHERE report_id = ?').get(id) as { n: number }).n;

function csvReportIds(snapshotDir: string, file: string): number[] {
  const [header, ...lines] = readFileSync(join(snapshotDir, 'csv', `${file}.csv`), 'utf8').trim().split('\r\n');
  const col = header?.split(',').indexOf(file === 'reports' ? 'id' : 'report_id') ?? -1;
  return [...new Set(lines.map((l) => Number(l.split(',')[col])))];
}

describe('a report without agency or year', () => {
  it('is kept with its values but is not current, has no version, is flagged and is not exported as data', async () => {
    const normal = loadExtraction(db, loadInput(makeExtraction({ agency: '海宁市人民政府', year: 2023 })));
    const noAgency = loadExtraction(db, loadInput(makeExtraction({ agency: null, year: 2023, offset: 1 })));
    const noYear = loadExtraction(db, loadInput(makeExtraction({ agency: '海宁市人民政府', year: null, offset: 2 })));

    expect(normal.status).toBe('new');
    expect(reportRow(normal.reportId)).toMatchObject({ version: 1, is_current: 1, ok: 1 });
    for (const r of [noAgency, noYear]) {
      // nothing lost: the reading, its cells and its warnings are stored
      expect(reportRow(r.reportId)).toMatchObject({ version: null, is_current: 0, ok: 1 });
      expect(cellCount(r.reportId)).toBeGreaterThan(0);
      expect(warningCodes(r.reportId)).toEqual(['layout-guessed', 'report-unidentified']);
    }
    // an unidentified report of the same agency never takes a version or the current flag away
    expect(reportRow(normal.reportId)).toMatchObject({ version: 1, is_current: 1 });
    const message = db.$client.prepare("SELECT message FROM warnings WHERE report_id = ? AND code = 'report-unidentified'").get(noYear.reportId) as { message: string };
    expect(message.message).toMatch(/year/);
    expect(message.message).not.toMatch(/agency/);

    const listed = db.$client.prepare(findCannedQuery('unidentified').sql).all() as { report_id: number }[];
    expect(listed.map((r) => r.report_id).sort()).toEqual([noAgency.reportId, noYear.reportId].sort());

    closeDatabase(db);
    const snapshot = await exportSnapshot(dbPath, { outDir: join(dir, 'out'), now: new Date('2026-01-15T08:00:00Z') });
    db = openDatabase(dbPath);
    expect(csvReportIds(snapshot.dir, 'reports').sort()).toEqual([normal.reportId, noAgency.reportId, noYear.reportId].sort());
    for (const table of ['table2', 'table3', 'table4', 'table2_wide', 'table3_wide', 'table4_wide']) {
      expect(csvReportIds(snapshot.dir, table), table).toEqual([normal.reportId]);
    }
    const issues = readFileSync(join(snapshot.dir, 'csv', 'issues.csv'), 'utf8');
    expect(issues).toContain(`${noAgency.reportId},warning,report-unidentified,`);
  });

  it('becomes a normal report when the same document is loaded again with agency and year known', () => {
    const unread = makeExtraction({ agency: null, year: null });
    const input = loadInput(unread);
    const first = loadExtraction(db, input);
    expect(reportRow(first.reportId)).toMatchObject({ version: null, is_current: 0 });
    // the same bytes, the same extractor version, now with the listing's agency and year
    const hinted = structuredClone(unread);
    hinted.output.agency = '海宁市人民政府';
    hinted.output.year = 2023;
    const second = loadExtraction(db, { ...input, extraction: hinted });
    expect(second.status).toBe('new');
    expect(reportRow(second.reportId)).toMatchObject({ year: 2023, version: 1, is_current: 1 });
    expect(warningCodes(second.reportId)).toEqual(['layout-guessed']);
    expect((db.$client.prepare('SELECT count(*) AS n FROM reports').get() as { n: number }).n).toBe(1);
    // loading it once more changes nothing
    expect(loadExtraction(db, { ...input, extraction: hinted }).status).toBe('unchanged');
  });
});
