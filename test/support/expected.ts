import { expect } from 'vitest';
import type { ExtractOutput } from '../../src/domain/report.ts';

export interface Expected {
  agency: string | null;
  year: number | null;
  template: string;
  table2: unknown;
  table3: unknown;
  table4: unknown;
}

/** Agency, year, template and every cell of every table equal the hand-read values. */
export function expectMatches(output: ExtractOutput, expected: Expected): void {
  expect(output.ok, output.error ?? '').toBe(true);
  expect({ agency: output.agency, year: output.year, template: output.template }).toEqual({
    agency: expected.agency,
    year: expected.year,
    template: expected.template,
  });
  expect(output.table2).toEqual(expected.table2);
  expect(output.table3).toEqual(expected.table3);
  expect(output.table4).toEqual(expected.table4);
}
