/**
 * Runs `task` every `intervalMs`, never two runs at once (a slow run delays the next). A failure
 * goes to `onError` and the next run comes as usual. The returned function stops it and waits for
 * a run in progress, so a pool can close after it.
 */
export function runEvery(
  intervalMs: number,
  task: () => Promise<void>,
  onError: (error: unknown) => void,
): () => Promise<void> {
  let running: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(() => task().catch(onError));
  }, intervalMs);
  return async () => {
    clearInterval(timer);
    await running;
  };
}
