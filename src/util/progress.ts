/**
 * A progress bar on stderr for long batches, shown only when stderr is a terminal so that logs
 * and pipes stay clean.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  tick(label?: string): void;
  stop(): void;
}

export function progressBar(total: number, what: string): Progress {
  if (!process.stderr.isTTY || total < 2) return { tick: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { format: `${what} [{bar}] {value}/{total} {label}`, stream: process.stderr, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { label: '' });
  return {
    tick: (label = '') => bar.increment(1, { label: label.length > 40 ? '…' + label.slice(-39) : label }),
    stop: () => bar.stop(),
  };
}
