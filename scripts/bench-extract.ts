/**
 * Extraction throughput: ≥ 1,000 generated reports (HTML pages and text renderings, both
 * templates, varied numbers and layouts) extracted in one process. Prints reports/second and
 * checks that every generated value came back (a fast wrong extractor is no benchmark).
 */
import { extractBytes } from '../src/extract/index.ts';
import { APPLICANT_CODES, TABLE2, TABLE4_GROUPS, TABLE4_OUTCOMES, table3Rows } from '../src/extract/template.ts';
import { generateReport } from '../src/replay/generate-report.ts';
import { renderReportHtml, reportTitle, type ReportValues } from '../src/replay/report-html.ts';

const N = Number(process.env.BENCH_REPORTS ?? 1200);

/** A text rendering like the converters in the seed corpus: tab-separated rows or one cell per line. */
function renderText(v: ReportValues, oneCellPerLine: boolean): string {
  const lines: string[] = [reportTitle(v), '', '一、总体情况', '本年度工作情况良好。', '二、主动公开政府信息情况'];
  const row = (cells: (string | number | null | undefined)[]) => lines.push(oneCellPerLine ? cells.map((c) => String(c ?? '')).join('\n\n') : cells.map((c) => String(c ?? '')).join('\t'));
  let item = '';
  for (const r of TABLE2[v.template]) {
    if (r.item !== item) {
      item = r.item;
      row([`第二十条第${item}项`]);
      row(['信息内容', ...r.columns.map((c) => c.label)]);
    }
    row([r.label, ...r.columns.map((c) => v.table2![r.code]![c.code])]);
  }
  lines.push('三、收到和处理政府信息公开申请情况');
  row(['（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', '申请人情况']);
  row(['', '自然人', '法人或其他组织', '总计']);
  row(['', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他']);
  for (const r of table3Rows(v.template)) row([r.group && r.label.startsWith('1.') ? r.group : '', r.label, ...APPLICANT_CODES.map((a) => v.table3![r.code]![a])]);
  lines.push('四、政府信息公开行政复议、行政诉讼情况');
  row(['行政复议', '行政诉讼']);
  row(['结果维持', '结果纠正', '其他结果', '尚未审结', '总计', '未经复议直接起诉', '复议后起诉']);
  row([...TABLE4_OUTCOMES, ...TABLE4_OUTCOMES].map((o) => o.label));
  row(TABLE4_GROUPS.flatMap((g) => TABLE4_OUTCOMES.map((o) => v.table4![g.code]![o.code])));
  lines.push('五、存在的主要问题及改进情况', '无。', '六、其他需要报告的事项', '无。');
  return lines.join('\n');
}

export async function benchExtract(): Promise<{ reportsPerSecond: number; perCpuSecond: number; correct: number; total: number }> {
  const docs: { bytes: Buffer; file: string; values: ReportValues }[] = [];
  for (let i = 0; i < N; i++) {
    const values = generateReport(i + 1);
    const kind = i % 4;
    const bytes =
      kind === 0 ? renderReportHtml(values) :
      kind === 1 ? renderReportHtml(values, { splitNumbers: true, container: 'TRS_Editor' }) :
      renderText(values, kind === 3);
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
