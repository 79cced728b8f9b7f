/**
 * Renders the attachment bytes that TRS replica.yml files name (`file:` of a pdf or doc report) into
 * the site's replica-files/, from the same values the replica serves, as testkit/replay/build-data.ts
 * does for the jcms replicas (renderReportHtml → LibreOffice → docx → pdf/doc).
 * Run: node bin/run-ts.js crawlers/platforms/trs/replica/build-files.ts [file name...]
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { loadSites, REPO_ROOT } from '../../../../src/crawl/registry.ts';
import { reportTitleOf, reportValues } from '../../../../testkit/replay/replica-reports.ts';
import { renderReportHtml } from '../../../../testkit/reports/report-html.ts';
import { TrsReplicaSchema } from '../replica.ts';

function soffice(work: string, args: string[]): void {
  execFileSync('soffice', [`-env:UserInstallation=file://${join(work, 'profile')}`, '--headless', ...args], { cwd: work, env: { ...process.env, HOME: work }, stdio: 'pipe', timeout: 120_000 });
}

const only = process.argv.slice(2);
const work = mkdtempSync(join(tmpdir(), 'ogi-trs-files-'));
try {
  for (const site of loadSites().filter((s) => s.platform === 'trs')) {
    const yml = join(REPO_ROOT, site.dir, 'replica.yml');
    if (!existsSync(yml)) continue;
    const replica = TrsReplicaSchema.parse(parseYaml(readFileSync(yml, 'utf8')));
    for (const r of replica.columns.flatMap((c) => c.reports)) {
      if (!r.file || (only.length > 0 && !only.includes(r.file))) continue;
      const [name, ext] = r.file.split('.') as [string, 'pdf' | 'doc'];
      const html = join(work, `${name}.html`);
      // tables at page width: without it Writer keeps their natural width and clips the 总计 column
      writeFileSync(html, renderReportHtml(reportValues(r), { title: reportTitleOf(r), publishedAt: r.pub, contentSource: r.agency }).replace(/<table /g, '<table width="100%" '));
      soffice(work, ['--convert-to', 'docx:MS Word 2007 XML', '--outdir', work, html]);
      soffice(work, ext === 'pdf' ? ['--convert-to', 'pdf', '--outdir', work, join(work, `${name}.docx`)] : ['--convert-to', 'doc:MS Word 97', '--outdir', work, join(work, `${name}.docx`)]);
      const dir = join(REPO_ROOT, site.dir, 'replica-files');
      mkdirSync(dir, { recursive: true });
      copyFileSync(join(work, r.file), join(dir, r.file));
      console.log(`${join(dir, r.file)}: ${statSync(join(dir, r.file)).size} bytes`);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
