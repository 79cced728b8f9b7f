/**
 * Website benchmark: a snapshot of 10,000 generated current reports (2,500 agencies on Zhejiang's
 * county portals × 4 years, each with table-3 and table-4 figures and a text), its site built with
 * `ogi site`'s builder, served with `ogi serve`'s server, and the home page opened in Chromium
 * (Debian's /usr/bin/chromium). Prints the build time and how long the home page takes until its
 * counts are shown (goal ≤ 1 s: pages load their data lazily), and the same for the heavier pages.
 *
 *   node bin/run-ts.js scripts/bench-site.ts [REPORTS]
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { closeDatabase, openDatabase } from '../src/load/database.ts';
import { buildSite } from '../src/site/build.ts';
import { serveSnapshot } from '../src/site/serve.ts';
import { goal } from './goals.ts';

const target = Number(process.argv[2] ?? 10_000);
const YEARS = [2020, 2021, 2022, 2023];
const GOAL_MS = 1000;
const dir = mkdtempSync(join(tmpdir(), 'ogi-bench-site-'));
const snapshot = join(dir, '2026-01-15');
mkdirSync(snapshot);

function generate(path: string): number {
  const db = openDatabase(path);
  const sqlite = db.$client;
  const counties = (sqlite.prepare("SELECT code, name FROM regions WHERE level = 'county' AND code LIKE '33%'").all() as { code: string; name: string }[]);
  const insertAgency = sqlite.prepare("INSERT INTO agencies (name, region_code, level) VALUES (?, ?, 'township')");
  const insertDocument = sqlite.prepare("INSERT INTO documents (sha256, size, media_type, first_seen, last_seen) VALUES (?, 1000, 'text/html', '2024-01-01', '2024-01-01')");
  const insertReport = sqlite.prepare(
    "INSERT INTO reports (agency_id, year, template, document_id, version, is_current, extractor_version, ok, loaded_at) VALUES (?, ?, '2021', ?, 1, 1, 'bench', 1, '2024-01-01')",
  );
  const insertT3 = sqlite.prepare("INSERT INTO table3_cells (report_id, row_code, applicant_code, value, raw_text, document_id) VALUES (?, ?, 'total', ?, ?, ?)");
  const insertT4 = sqlite.prepare("INSERT INTO table4_cells (report_id, group_code, outcome_code, value, raw_text, document_id) VALUES (?, 'review', 'total', ?, ?, ?)");
  const insertCheck = sqlite.prepare('INSERT INTO checks (report_id, rule, passed, detail) VALUES (?, ?, ?, ?)');
  const insertText = sqlite.prepare("INSERT INTO report_texts (report_id, section_code, text) VALUES (?, 'full', ?)");
  let reports = 0;
  sqlite.transaction(() => {
    for (let a = 0; reports < target; a++) {
      const county = counties[a % counties.length]!;
      const agency = Number(insertAgency.run(`${county.name}基准测试镇${a}人民政府`, county.code).lastInsertRowid);
      for (const year of YEARS) {
        if (reports >= target) break;
        const doc = Number(insertDocument.run(`${a}-${year}`.padStart(64, '0')).lastInsertRowid);
        const report = Number(insertReport.run(agency, year, doc).lastInsertRowid);
        const received = (a * 7 + year) % 400;
        const granted = Math.floor(received / 2);
        for (const [row, v] of [['new_received', received], ['carried_over', 0], ['granted', granted], ['withheld.state_secret', received % 3], ['total', received], ['carried_forward', 0]] as const) {
          insertT3.run(report, row, v, String(v), doc);
        }
        insertT4.run(report, received % 5, String(received % 5), doc);
        insertCheck.run(report, 'table3.balance.total', a % 50 === 0 ? 0 : 1, 'bench');
        insertText.run(report, `${county.name}基准测试镇${a}人民政府${year}年政府信息公开工作年度报告。`.repeat(20) + (a % 10 === 0 ? '本年度未收取信息处理费。' : ''));
        reports++;
      }
    }
  })();
  closeDatabase(db);
  return reports;
}

try {
  const t0 = Date.now();
  const reports = generate(join(snapshot, 'ogi.sqlite'));
  console.log(`generated ${reports} reports in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const t1 = Date.now();
  const site = await buildSite(snapshot);
  console.log(`site built in ${((Date.now() - t1) / 1000).toFixed(1)} s: ${site.reports} report pages, ${site.agencies} agency pages`);

  const { server, url } = await serveSnapshot(snapshot, { port: 0, host: '127.0.0.1' });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
  let ok = true;
  try {
    // the time until a page shows what it is for, in a fresh browser context (nothing cached)
    const timed = async (path: string, ready: string): Promise<number> => {
      const context = await browser.newContext({ locale: 'en-US' });
      const page = await context.newPage();
      const start = Date.now();
      await page.goto(`${url}site/${path}`);
      await page.locator(ready).first().waitFor();
      const ms = Date.now() - start;
      await context.close();
      return ms;
    };
    await timed('index.html', '[data-count="reports"]'); // warm the server and Chromium once
    const home = await timed('index.html', '[data-count="reports"]');
    ok = goal('bench-site.ts', `home page usable from a local server, ${reports} reports`, home, 'max', GOAL_MS, 'ms');
    for (const [path, ready] of [
      ['coverage.html', 'table.coverage'],
      ['compare.html', 'figure[data-chart="compare"] svg'],
      ['agency.html?id=1', 'figure[data-chart="outcomes"] svg'],
      ['report.html?id=1', 'table.cells'],
      ['search.html?q=信息处理费', '#search-results ol li'],
    ] as const) {
      console.log(`${path}: ${await timed(path, ready)} ms`);
    }
  } finally {
    await browser.close();
    server.close();
  }
  process.exitCode = ok ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
