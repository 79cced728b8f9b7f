/**
 * Regenerates the replica attachments checked in under each site's replica-files/: every replica
 * report's `file` (today the 湖州 2023 report as a PDF and the 绍兴 2020 report as a legacy Word
 * .doc) and every `pictures` report's tables as PNG pictures (the 丽水 2022 report), all from the
 * same values the replica serves, laid out by renderReportHtml and converted by LibreOffice (HTML → docx → pdf, because Writer/Web's direct PDF export leaves a blank first page),
 * pictures rasterised by pdftoppm. Run: node bin/run-ts.js testkit/replay/build-data.ts [file or picture name...]
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderReportHtml, renderTableHtml } from '../reports/report-html.ts';
import { defaultReplicas, reportTitleOf, reportValues, type ReplicaReport } from './replicas.ts';

function soffice(work: string, args: string[]): void {
  execFileSync('soffice', [`-env:UserInstallation=file://${join(work, 'profile')}`, '--headless', ...args], {
    cwd: work,
    env: { ...process.env, HOME: work },
    stdio: 'pipe',
    timeout: 120_000,
  });
}

/** A replica report's tables as pictures: each table alone, printed by LibreOffice, rasterised at 150 dpi, trimmed. */
function pictures(work: string, r: ReplicaReport, name: string, dir: string): void {
  for (const table of ['table2', 'table3', 'table4'] as const) {
    const base = `${name}-t${table.slice(-1)}`;
    writeFileSync(join(work, `${base}.html`), renderTableHtml(reportValues(r), table));
    soffice(work, ['--convert-to', 'docx:MS Word 2007 XML', '--outdir', work, join(work, `${base}.html`)]);
    soffice(work, ['--convert-to', 'pdf', '--outdir', work, join(work, `${base}.docx`)]);
    execFileSync('pdftoppm', ['-r', '150', '-gray', '-png', join(work, `${base}.pdf`), join(work, `${base}-page`)]);
    const pages = readdirSync(work).filter((f) => f.startsWith(`${base}-page`) && f.endsWith('.png')).sort().map((f) => join(work, f));
    // a long table runs over pages: its pieces stacked into one tall picture, as screenshots are
    const out = join(dir, `${base}.png`);
    execFileSync('convert', [...pages.flatMap((p) => ['(', p, '-trim', '+repage', ')']), '-append', '-bordercolor', 'white', '-border', '24', '-depth', '8', out]);
    console.log(`${out}: ${statSync(out).size} bytes`);
  }
}

// names to build (all when none given): a report's file (huzhou-2023.pdf) or picture name (lishui-2022)
const only = process.argv.slice(2);
const replicas = defaultReplicas();
// each platform's replica names its reports published as files or pictures (ServedReplica.files)
const reports = replicas.flatMap((o) => (o.files ?? []).map((f) => ({ r: f.report, dir: f.dir })));
const work = mkdtempSync(join(tmpdir(), 'ogi-replay-data-'));
try {
  for (const { r, dir } of reports) {
    if (!r.file || (only.length > 0 && !only.includes(r.file))) continue;
    const [name, ext] = r.file.split('.') as [string, 'pdf' | 'doc'];
    const html = join(work, `${name}.html`);
    // tables at page width: without it Writer keeps their natural width and clips the 总计 column
    const page = renderReportHtml(reportValues(r), { title: reportTitleOf(r), publishedAt: r.pub, contentSource: r.agency }).replace(/<table /g, '<table width="100%" ');
    writeFileSync(html, page);
    soffice(work, ['--convert-to', 'docx:MS Word 2007 XML', '--outdir', work, html]);
    const docx = join(work, `${name}.docx`);
    if (ext === 'pdf') soffice(work, ['--convert-to', 'pdf', '--outdir', work, docx]);
    else soffice(work, ['--convert-to', 'doc:MS Word 97', '--outdir', work, docx]);
    mkdirSync(dir, { recursive: true });
    const out = join(dir, r.file);
    copyFileSync(join(work, r.file), out);
    console.log(`${out}: ${statSync(out).size} bytes`);
  }
  for (const { r, dir } of reports) {
    const name = r.pictures?.split('/').pop();
    if (name && (only.length === 0 || only.includes(name))) {
      mkdirSync(dir, { recursive: true });
      pictures(work, r, name, dir);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
