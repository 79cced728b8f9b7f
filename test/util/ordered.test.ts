import { describe, expect, it } from 'vitest';
import { mapOrdered } from '../../src/util/ordered.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('mapOrdered', () => {
  it('yields results in input order whatever order they finish in, with at most `limit` calls in flight', async () => {
    let running = 0;
    let most = 0;
    const delays = [30, 5, 20, 1, 10, 2];
    const out: number[] = [];
    for await (const r of mapOrdered(delays, 3, async (ms) => {
      running++;
      most = Math.max(most, running);
      await sleep(ms);
      running--;
      return ms;
    })) out.push(r);
    expect(out).toEqual(delays);
    expect(most).toBe(3);
  });

  it('a call that fails early throws when its turn comes, after the results before it', async () => {
    const out: number[] = [];
    const run = async () => {
      for await (const r of mapOrdered([1, 2, 3], 3, async (n) => {
        if (n === 3) throw new Error('third failed');
        await sleep(20);
        return n;
      })) out.push(r);
    };
    await expect(run()).rejects.toThrow('third failed');
    expect(out).toEqual([1, 2]);
  });
});
