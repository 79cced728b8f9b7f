/** Warnings stay readable: long messages are cut (saying how much), floods of one code summarised. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractBytes } from '../../src/extract/index.ts';
import { MAX_WARNING_CHARS, MAX_WARNINGS_PER_CODE, summariseWarnings } from '../../src/extract/warnings.ts';
import { SEEDS } from '../support/paths.ts';

describe('warnings', () => {
  it('a damaged row quoting 20 KB of cells gives a warning of readable length, and no value', async () => {
    const text = readFileSync(join(SEEDS, '000_0befa45343beb258.txt'), 'utf8');
    const damaged = text.replace(/^(规章\t[^\n]*)$/m, (row) => row + '\t7'.repeat(5000));
    expect(damaged.length - text.length).toBe(10_000);
    const { output } = await extractBytes(Buffer.from(damaged), { file: 'damaged.txt' });
    const misaligned = output.warnings.find((w) => w.startsWith('row-misaligned: table 2 regulations'));
    expect(misaligned).toMatch(/ … \(\d+ more characters\)$/);
    for (const w of output.warnings) expect([...w].length).toBeLessThanOrEqual(MAX_WARNING_CHARS + 80);
    expect(output.table2?.['regulations']).toEqual({ issued: null, repealed: null, in_force: null });
  });

  it('keeps the first warnings of a code and counts the rest in one', () => {
    const many = Array.from({ length: MAX_WARNINGS_PER_CODE + 7 }, (_, i) => ({ code: 'row-short', message: `row ${i}` }));
    const told = summariseWarnings([...many, { code: 'table-missing', message: 'table 4' }]);
    expect(told).toHaveLength(MAX_WARNINGS_PER_CODE + 2);
    expect(told.slice(0, MAX_WARNINGS_PER_CODE).map((w) => w.message)).toEqual(many.slice(0, MAX_WARNINGS_PER_CODE).map((w) => w.message));
    expect(told.at(-1)).toEqual({ code: 'row-short', message: '7 more row-short warnings like the above' });
  });
});
