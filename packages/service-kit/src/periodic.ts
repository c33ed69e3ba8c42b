/** A task run on a timer: called, it stops; `wake` runs it now, for work that just arrived. */
export type Periodic = (() => Promise<void>) & { wake: () => void };

/**
 * Runs `task` every `intervalMs`, and when woken; never two runs at once, and never more than one
 * waiting behind a run (a slow run delays the next). A failure goes to `onError` and the next run
 * comes as usual. Calling what it returns stops it and waits for a run in progress, so a pool can
 * close after it.
 */
export function runEvery(
  intervalMs: number,
  task: () => Promise<void>,
  onError: (error: unknown) => void,
): Periodic {
  let running: Promise<void> = Promise.resolve();
  let waiting = false;
  let stopped = false;
  const run = () => {
    if (waiting || stopped) return;
    waiting = true;
    running = running.then(() => {
      waiting = false;
      return task().catch(onError);
    });
  };
  const timer = setInterval(run, intervalMs);
  const stop = async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
  return Object.assign(stop, { wake: run });
}
