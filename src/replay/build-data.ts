/**
 * Regenerates the replica attachments checked in under src/replay/data/: the 湖州 2023 report as a
 * PDF and the 绍兴 2020 report as a legacy Word .doc, both from the same values the replica serves,
 * laid out by renderReportHtml and converted by LibreOffice (HTML → docx → pdf, because Writer/Web's
 * direct PDF export leaves a blank first page). Run: node bin/run-ts.js src/replay/build-data.ts
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderReportHtml } from './report-html.ts';
import { JCMS_HOSTS, reportTitleOf, reportValues, type ReplicaReport } from './sites.ts';

const DATA = fileURLToPath(new URL('./data/', import.meta.url));

function report(host: string, format: 'pdf' | 'doc'): ReplicaReport {
  const r = JCMS_HOSTS.find((h) => h.host === host)?.columns.flatMap((c) => c.reports).find((x) => x.format === format);
  if (!r) throw new Error(`no ${format} report on ${host}`);
  return r;
}

function soffice(work: string, args: string[]): void {
  execFileSync('soffice', [`-env:UserInstallation=file://${join(work, 'profile')}`, '--headless', ...args], {
    cwd: work,
    env: { ...process.env, HOME: work },
    stdio: 'pipe',
    timeout: 120_000,
  });
}

const work = mkdtempSync(join(tmpdir(), 'ogi-replay-data-'));
try {
  const jobs: Array<[ReplicaReport, string, string]> = [
    [report('www.huzhou.gov.cn', 'pdf'), 'huzhou-2023', 'pdf'],
    [report('www.sx.gov.cn', 'doc'), 'shaoxing-2020', 'doc'],
  ];
  for (const [r, name, ext] of jobs) {
    const html = join(work, `${name}.html`);
    // tables at page width: without it Writer keeps their natural width and clips the 总计 column
    const page = renderReportHtml(reportValues(r), { title: reportTitleOf(r), publishedAt: r.pub, contentSource: r.agency }).replace(/<table /g, '<table width="100%" ');
    writeFileSync(html, page);
    soffice(work, ['--convert-to', 'docx:MS Word 2007 XML', '--outdir', work, html]);
    const docx = join(work, `${name}.docx`);
    if (ext === 'pdf') soffice(work, ['--convert-to', 'pdf', '--outdir', work, docx]);
    else soffice(work, ['--convert-to', 'doc:MS Word 97', '--outdir', work, docx]);
    const out = join(DATA, `${name}.${ext}`);
    copyFileSync(join(work, `${name}.${ext}`), out);
    console.log(`${out}: ${statSync(out).size} bytes`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
