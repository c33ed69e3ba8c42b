import { setTimeout as sleep } from 'node:timers/promises';

/** Waits until `condition` holds, checking every 25 ms; fails after `timeoutMs` (10 s). */
export async function until(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(25);
  }
}
