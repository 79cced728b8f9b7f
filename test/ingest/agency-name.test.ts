/**
 * The agency's canonical name and its printed form through `ogi load`'s path (ingestFiles): the
 * agency is stored under its canonical name, each report keeps the name its document prints,
 * and two documents printing one body two ways are versions of one report.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sourceDocument } from '../../src/ingest/document.ts';
import { ingestFiles } from '../../src/ingest/files.ts';
import { ingestReport } from '../../src/ingest/report.ts';
import { closeDatabase, openDatabase, type OgiDatabase } from '../../src/load/index.ts';
import { generateReport } from '../../testkit/reports/generate-report.ts';
import { renderReportHtml } from '../../testkit/reports/report-html.ts';

let dir: string;
let db: OgiDatabase;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ogi-agency-'));
  db = openDatabase(join(dir, 'ogi.sqlite'));
});
afterEach(() => {
  closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
});

function page(file: string, printed: string, seed: number): string {
  const v = { ...generateReport(seed, '2021'), agency: printed, year: 2022 };
  const path = join(dir, file);
  writeFileSync(path, renderReportHtml(v));
  return path;
}

describe('ogi load: the agency', () => {
  it('stores the canonical name in agencies and the printed one on the report', async () => {
    const [outcome] = await ingestFiles(db, [page('a.html', '杭州市卫健委', 1)]);
    expect(outcome).toMatchObject({ status: 'new', agency: '杭州市卫生健康委员会', year: 2022 });
    const row = db.$client.prepare('SELECT a.name, r.agency_printed AS printed FROM reports r JOIN agencies a ON a.id = r.agency_id').get();
    expect(row).toEqual({ name: '杭州市卫生健康委员会', printed: '杭州市卫健委' });
  });

  it('a name printed in full keeps it as printed', async () => {
    await ingestFiles(db, [page('a.html', '海宁市人民政府', 1)]);
    const row = db.$client.prepare('SELECT a.name, r.agency_printed AS printed FROM reports r JOIN agencies a ON a.id = r.agency_id').get();
    expect(row).toEqual({ name: '海宁市人民政府', printed: '海宁市人民政府' });
  });

  it('the short and the full printing of one body are one agency: the second document is a new version of its report', async () => {
    const outcomes = await ingestFiles(db, [page('short.html', '海宁市政府', 1), page('full.html', '海宁市人民政府', 2)]);
    expect(outcomes.map((o) => o.status)).toEqual(['new', 'new-version']);
    expect(db.$client.prepare('SELECT name FROM agencies').all()).toEqual([{ name: '海宁市人民政府' }]);
    const printed = db.$client.prepare('SELECT agency_printed AS p FROM reports ORDER BY id').all();
    expect(printed).toEqual([{ p: '海宁市政府' }, { p: '海宁市人民政府' }]);
  });

  it('an agency the listing names (the page names none) is read the same way', async () => {
    const v = { ...generateReport(3, '2021'), agency: '', year: 2022 };
    const html = renderReportHtml(v, { title: '2022年度政府信息公开工作年度报告', contentSource: '' });
    const hints = { title: '杭州市卫健委2022年度政府信息公开工作年度报告', year: 2022, agency: '杭州市卫健委' };
    const outcome = await ingestReport(db, { documents: [sourceDocument(Buffer.from(html), { url: 'http://wsjkw.hangzhou.gov.cn/art/2023/1/1/art_1.html' })], hints });
    expect(outcome).toMatchObject({ agency: '杭州市卫生健康委员会', year: 2022 });
    const row = db.$client.prepare('SELECT a.name, r.agency_printed AS printed FROM reports r JOIN agencies a ON a.id = r.agency_id').get();
    expect(row).toEqual({ name: '杭州市卫生健康委员会', printed: '杭州市卫健委' });
  });
});
