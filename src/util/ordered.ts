/**
 * Runs an async function over items with at most `limit` calls in flight and yields the results
 * in input order. Extraction spends most of its time in child processes (pdftohtml, soffice,
 * tesseract), so a batch goes as many times faster as the machine has cores to run them.
 */
import { availableParallelism } from 'node:os';

/** Calls in flight for work done in child processes: one per core, at most 4. */
export const CHILD_CONCURRENCY = Math.max(1, Math.min(4, availableParallelism()));

export async function* mapOrdered<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): AsyncGenerator<R> {
  const pending: Promise<R>[] = [];
  let next = 0;
  const start = (): void => {
    if (next >= items.length) return;
    const call = fn(items[next++]!);
    // a call that fails before its turn fails when its turn comes, not as an unhandled rejection
    call.catch(() => undefined);
    pending.push(call);
  };
  for (let i = 0; i < Math.max(1, limit); i++) start();
  // taken off the front: a result handed out is not held until the batch ends
  for (let call = pending.shift(); call; call = pending.shift()) {
    const result = await call;
    // a slot is free: start the next item before handing this result out
    start();
    yield result;
  }
}
