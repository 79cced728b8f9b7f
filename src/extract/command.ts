/**
 * `ogi extract FILE... [--format jsonl|json|table]`: one result per file, in input order, in the
 * shape of schema/extract-output.schema.json. A file that fails is a result with
 * ok=false, never the end of the batch.
 */
import type { Command } from 'commander';
import { formatTable } from '../query/format.ts';
import { CHILD_CONCURRENCY, mapOrdered } from '../util/ordered.ts';
import { progressBar } from '../util/progress.ts';
import { extractFile } from './index.ts';
import type { ExtractOutput } from '../domain/report.ts';

type Format = 'jsonl' | 'json' | 'table';

function summaryRow(o: ExtractOutput): (string | number | null)[] {
  const tables = (['table2', 'table3', 'table4'] as const).filter((t) => o[t] !== null).map((t) => t.slice(-1)).join(',');
  const passed = o.checks.filter((c) => c.passed === true).length;
  const failed = o.checks.filter((c) => c.passed === false).length;
  const open = o.checks.filter((c) => c.passed === null).length;
  return [
    o.file,
    o.ok ? 'ok' : 'FAILED',
    o.ok ? o.agency : o.error,
    o.year,
    o.ok ? o.template : null,
    tables || null,
    o.ok ? `${passed}✓ ${failed}✗ ${open}?` : null,
    o.warnings.length,
  ];
}

export function registerExtractCommand(program: Command): void {
  program
    .command('extract')
    .description('extract the standard tables of annual reports from files (HTML, text, PDF, Word, Excel, images)')
    .argument('<files...>', 'report documents')
    .option('-f, --format <format>', 'jsonl | json | table (default: table on a terminal, jsonl otherwise)')
    .addHelpText(
      'after',
      `
Examples:
  $ ogi extract report.html                       summary table
  $ ogi extract test/fixtures/seeds/*.txt --format jsonl > out.jsonl
  $ ogi extract a.pdf b.docx --format json | jq '.[].table3.total'

Exit status is 1 when any file could not be extracted (its result has ok=false and error "code: sentence").`,
    )
    .action(async (files: string[], opts: { format?: string }) => {
      const format = (opts.format ?? (process.stdout.isTTY ? 'table' : 'jsonl')) as Format;
      if (!['jsonl', 'json', 'table'].includes(format)) {
        program.error(`bad-option: --format must be jsonl, json or table, not "${format}"`);
      }
      // jsonl streams: results are kept only for the formats printed at the end
      const outputs: ExtractOutput[] = [];
      let anyFailed = false;
      const bar = progressBar(files.length, 'extract');
      // several files at once (their PDF, Office and OCR work runs in child processes), printed in input order
      for await (const { file, output } of mapOrdered(files, CHILD_CONCURRENCY, async (file) => ({ file, ...(await extractFile(file)) }))) {
        bar.tick(file);
        anyFailed ||= !output.ok;
        if (format === 'jsonl') process.stdout.write(JSON.stringify(output) + '\n');
        else outputs.push(output);
      }
      bar.stop();
      if (format === 'json') process.stdout.write(JSON.stringify(outputs, null, 2) + '\n');
      if (format === 'table') {
        process.stdout.write(
          formatTable(['file', 'status', 'agency / error', 'year', 'template', 'tables', 'checks', 'warnings'], outputs.map(summaryRow)) + '\n',
        );
        const failed = outputs.filter((o) => !o.ok).length;
        process.stdout.write(`\n${outputs.length} file(s): ${outputs.length - failed} extracted, ${failed} failed\n`);
      }
      if (anyFailed) process.exitCode = 1;
    });
}
