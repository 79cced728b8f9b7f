/**
 * Extraction throughput, in one process:
 * - compact: ≥ 1,000 generated reports (HTML pages and text renderings, both templates, varied
 *   numbers and layouts), goal ≥ 500 reports/s;
 * - real-sized: Word-exported report pages of about 100 KB as real portals serve them
 *   (MsoNormalTable, labels split across runs, <o:p> in every cell: testkit/reports/report-word-html.ts),
 *   goal ≥ 200 reports per CPU-second (per core).
 * Checks that every generated value came back (a fast wrong extractor is no benchmark).
 */
import { extractBytes } from '../src/extract/index.ts';
import { generateReport } from '../testkit/reports/generate-report.ts';
import { renderReportHtml, type ReportValues } from '../testkit/reports/report-html.ts';
import { renderText } from '../testkit/reports/report-text.ts';
import { generateWordReport } from '../testkit/reports/report-word-html.ts';
import { goal } from './goals.ts';

const BENCH = 'bench-extract.ts';
const N = Number(process.env.BENCH_REPORTS ?? 1200);
const N_WORD = Number(process.env.BENCH_WORD_REPORTS ?? 600);

interface Doc {
  bytes: Buffer;
  file: string;
  values: ReportValues;
}

interface Rate {
  reportsPerSecond: number;
  perCpuSecond: number;
  correct: number;
  total: number;
  kb: number;
}

async function measure(docs: Doc[]): Promise<Rate> {
  // warm-up: module loading and JIT are not throughput
  for (const d of docs.slice(0, 20)) await extractBytes(d.bytes, { file: d.file });
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  let correct = 0;
  const results = [];
  for (const d of docs) results.push(await extractBytes(d.bytes, { file: d.file }));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  results.forEach((e, i) => {
    const v = docs[i]!.values;
    const o = e.output;
    if (o.ok && o.template === v.template && JSON.stringify([o.table2, o.table3, o.table4]) === JSON.stringify([v.table2, v.table3, v.table4])) correct++;
  });
  const kb = docs.reduce((s, d) => s + d.bytes.length, 0) / docs.length / 1024;
  return { reportsPerSecond: docs.length / seconds, perCpuSecond: docs.length / cpuSeconds, correct, total: docs.length, kb };
}

export async function benchExtract(): Promise<Rate> {
  const docs: Doc[] = [];
  for (let i = 0; i < N; i++) {
    const values = generateReport(i + 1);
    const kind = i % 4;
    const bytes =
      kind === 0 ? renderReportHtml(values) :
      kind === 1 ? renderReportHtml(values, { splitNumbers: true, container: 'TRS_Editor' }) :
      // text renderings like the converters in the seed corpus: tab-separated rows, or one cell per line
      renderText(values, { join: (cells) => cells.join(kind === 3 ? '\n\n' : '\t') });
    docs.push({ bytes: Buffer.from(bytes), file: `bench-${i}.${kind < 2 ? 'html' : 'txt'}`, values });
  }
  return measure(docs);
}

export async function benchExtractWord(): Promise<Rate> {
  const docs: Doc[] = [];
  for (let i = 0; i < N_WORD; i++) {
    const { values, html } = generateWordReport(i + 1);
    docs.push({ bytes: Buffer.from(html), file: `word-${i}.html`, values });
  }
  return measure(docs);
}

const compact = await benchExtract();
console.log(
  `extract: ${compact.total} generated compact reports (HTML and text, both templates, ${compact.kb.toFixed(0)} KB on average): ` +
    `${compact.reportsPerSecond.toFixed(0)} reports/s wall-clock in one process; ` +
    `${compact.perCpuSecond.toFixed(0)} reports per CPU-second (steadier on a busy machine); ${compact.correct}/${compact.total} extracted exactly`,
);
goal(BENCH, 'compact generated reports, per core', compact.perCpuSecond, 'min', 500, 'reports per CPU-second');
goal(BENCH, 'compact generated reports extracted exactly', compact.correct, 'min', compact.total, 'reports');

const word = await benchExtractWord();
console.log(
  `extract: ${word.total} real-sized Word-exported report pages (${word.kb.toFixed(0)} KB on average): ` +
    `${word.reportsPerSecond.toFixed(0)} reports/s wall-clock; ${word.perCpuSecond.toFixed(0)} reports per CPU-second; ${word.correct}/${word.total} extracted exactly`,
);
goal(BENCH, 'real-sized Word-exported pages, per core', word.perCpuSecond, 'min', 200, 'reports per CPU-second');
goal(BENCH, 'real-sized Word-exported pages extracted exactly', word.correct, 'min', word.total, 'reports');
