import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractFile } from '../../src/extract/index.ts';
import { expectMatches, type Expected } from '../support/expected.ts';
import { SEEDS } from '../support/paths.ts';

const seeds = readdirSync(SEEDS).filter((f) => f.endsWith('.txt')).sort();

describe('seed reports (text renderings) extract to their hand-read values', () => {
  it('has seeds to test', () => expect(seeds.length).toBeGreaterThanOrEqual(5));

  for (const seed of seeds) {
    it(seed, async () => {
      const expected = JSON.parse(readFileSync(join(SEEDS, seed.replace(/\.txt$/, '.expected.json')), 'utf8')) as Expected;
      const { output } = await extractFile(join(SEEDS, seed));
      expectMatches(output, expected);
      // every consistency rule that can be decided holds on hand-verified data
      expect(output.checks.filter((c) => c.passed === false)).toEqual([]);
    });
  }

  it('reports the tables a document lacks as null with a warning (seed 000 has tables 3/4 as images)', async () => {
    const { output } = await extractFile(join(SEEDS, seeds.find((s) => s.startsWith('000'))!));
    expect(output.table3).toBeNull();
    expect(output.table4).toBeNull();
    expect(output.warnings.filter((w) => w.startsWith('table-missing:'))).toHaveLength(2);
  });

  it('repairs the misaligned rows of seed 004 and says so', async () => {
    const { output, cells } = await extractFile(join(SEEDS, seeds.find((s) => s.startsWith('004'))!));
    const repaired = output.warnings.filter((w) => w.startsWith('row-repaired:'));
    expect(repaired).toHaveLength(2);
    expect(repaired.join('\n')).toMatch(/table 3 other/);
    expect(repaired.join('\n')).toMatch(/table 3 total/);
    // the raw text of every value is kept for the database
    const total = cells.find((c) => c.table === 'table3' && c.row === 'total' && c.col === 'total');
    expect(total).toMatchObject({ value: 179, raw: '179' });
  });
});
