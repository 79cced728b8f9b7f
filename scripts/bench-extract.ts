/**
 * Extraction throughput: ≥ 1,000 generated reports (HTML pages and text renderings, both
 * templates, varied numbers and layouts) extracted in one process. Prints reports/second and
 * checks that every generated value came back (a fast wrong extractor is no benchmark).
 */
import { extractBytes } from '../src/extract/index.ts';
import { generateReport } from '../testkit/reports/generate-report.ts';
import { renderReportHtml, type ReportValues } from '../testkit/reports/report-html.ts';
import { renderText } from '../testkit/reports/report-text.ts';

const N = Number(process.env.BENCH_REPORTS ?? 1200);

export async function benchExtract(): Promise<{ reportsPerSecond: number; perCpuSecond: number; correct: number; total: number }> {
  const docs: { bytes: Buffer; file: string; values: ReportValues }[] = [];
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
  return { reportsPerSecond: docs.length / seconds, perCpuSecond: docs.length / cpuSeconds, correct, total: docs.length };
}

const { reportsPerSecond, perCpuSecond, correct, total } = await benchExtract();
console.log(
  `extract: ${total} generated reports (HTML and text, both templates): ${reportsPerSecond.toFixed(0)} reports/s wall-clock in one process (goal ≥ 500); ` +
    `${perCpuSecond.toFixed(0)} reports per CPU-second (steadier on a busy machine); ${correct}/${total} extracted exactly`,
);
if (correct !== total) process.exitCode = 1;
