import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Reads `probe` every 25 ms until `done` holds of what it returned, and returns that; fails after
 * `timeoutMs` (10 s) showing the last value and, when given, `context()` (a shop's output, say).
 */
export async function waitFor<T>(
  probe: () => T | Promise<T>,
  done: (value: T) => boolean,
  options: { timeoutMs?: number; context?: () => string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) {
      const context = options.context ? `\n${options.context()}` : '';
      throw new Error(`condition not met in time; last: ${JSON.stringify(value)}${context}`);
    }
    await sleep(25);
  }
}

/** Waits until `condition` holds; fails after `timeoutMs` (10 s). */
export async function until(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  await waitFor(condition, Boolean, { timeoutMs });
}
