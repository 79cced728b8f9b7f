/**
 * Document reader benchmark: PDF reports per second (text layer, goal ≥ 20/s) over the three real
 * PDFs — in a batch as `ogi extract` runs one (several files at once, poppler working in child
 * processes), one at a time, and with pdfjs, the fallback — and OCR seconds per page over the
 * scanned fixture. Wall-clock rates depend on what else the machine runs: reports per CPU-second
 * (poppler's processes included) and the load average are printed beside them.
 * Run: node bin/run-ts.js scripts/bench-documents.ts [--rounds N]
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { extractBytes, extractContent } from '../src/extract/index.ts';
import { DEFAULT_PDF_LIMITS, pdfTextSource, readPdf, type PdfTextSource } from '../src/extract/readers/pdf.ts';
import { CHILD_CONCURRENCY, mapOrdered } from '../src/util/ordered.ts';
import { availableParallelism, loadavg } from 'node:os';
import { goal } from './goals.ts';

const root = path.resolve(import.meta.dirname, '..');
const roundsArg = process.argv.indexOf('--rounds');
const rounds = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 20;
const load = (rel: string) => new Uint8Array(readFileSync(path.join(root, 'test/fixtures', rel)));

const pdfs = ['real/hongze-2023.pdf', 'real/hongze-2024.pdf', 'real/huaian-2024.pdf'].map((f) => ({ f, bytes: load(f) }));

/** utime + stime + cutime + cstime of a process, in seconds (/proc/PID/stat, fields 14–17) */
function processCpu(pid: number | 'self'): { cpu: number; ppid: number } {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // after "pid (comm) ": state is field 3, ppid 4, utime 14 … cstime 17 (1-based)
  return { cpu: [11, 12, 13, 14].reduce((s, i) => s + Number(fields[i]), 0) / 100, ppid: Number(fields[1]) };
}

/**
 * CPU seconds of this process, of its children that ended, and of its living children (the
 * shells that run poppler, with the pdftohtml runs they waited for): the whole batch's CPU.
 */
function cpuSeconds(): number {
  try {
    let total = processCpu('self').cpu;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const p = processCpu(Number(entry));
        if (p.ppid === process.pid) total += p.cpu;
      } catch {
        // gone meanwhile
      }
    }
    return total;
  } catch {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  }
}

/**
 * Reports per second over `n` rounds of the three PDFs, `concurrency` at a time, with the given
 * text source, after a round to warm up (a batch's first documents pay for compiling the reader);
 * and reports per CPU-second, poppler's processes included: steadier on a busy machine.
 */
async function pdfRate(source: PdfTextSource, n: number, concurrency: number): Promise<{ rate: number; perCpuSecond: number; seconds: number }> {
  const run = async (batch: typeof pdfs) => {
    for await (const x of mapOrdered(batch, concurrency, async (p) => extractContent(await readPdf(p.bytes, DEFAULT_PDF_LIMITS, source), { file: p.f }))) {
      if (!x.output.ok) throw new Error(`a PDF did not extract with ${source}: ${x.output.error}`);
    }
  };
  await run(pdfs);
  const batch = Array.from({ length: n }, () => pdfs).flat();
  const cpu = cpuSeconds();
  const t = performance.now();
  await run(batch);
  const seconds = (performance.now() - t) / 1000;
  return { rate: batch.length / seconds, perCpuSecond: batch.length / (cpuSeconds() - cpu), seconds };
}

const source = await pdfTextSource();
const main = await pdfRate(source, rounds, CHILD_CONCURRENCY);
console.log(
  `PDF (text layer, ${source}, ${CHILD_CONCURRENCY} at a time as ogi extract runs a batch): ${main.rate.toFixed(1)} reports/s (${rounds * pdfs.length} reports in ${main.seconds.toFixed(2)} s); ` +
    `${main.perCpuSecond.toFixed(1)} reports per CPU-second, poppler included (load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores)`,
);
goal('bench-documents.ts', `PDF reports in a batch (${CHILD_CONCURRENCY} at a time), wall-clock`, main.rate, 'min', 20, 'reports/s');
const single = await pdfRate(source, Math.max(1, Math.round(rounds / 2)), 1);
console.log(`PDF (text layer, ${source}, one at a time): ${single.rate.toFixed(1)} reports/s; ${single.perCpuSecond.toFixed(1)} reports per CPU-second`);
if (source !== 'pdfjs') {
  const fallback = await pdfRate('pdfjs', Math.max(1, Math.round(rounds / 4)), 1);
  console.log(`PDF (text layer, pdfjs, used where poppler is not installed): ${fallback.rate.toFixed(1)} reports/s`);
}

const scan = load('documents/scanned-2019.pdf');
const t = performance.now();
const x = await extractBytes(scan, { file: 'scanned-2019.pdf' });
const ocrSeconds = (performance.now() - t) / 1000;
const pages = 3;
console.log(`OCR (scanned PDF, ${pages} pages, 300 dpi, ok=${x.output.ok}): ${(ocrSeconds / pages).toFixed(2)} s/page`);
