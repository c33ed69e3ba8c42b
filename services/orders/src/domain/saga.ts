/**
 * One step of a saga: what it does, and what undoes it. A step that cannot go on returns why; a
 * step that throws leaves the saga where it stands, for the recovery sweeper to resume.
 */
export type Step<Context, Failure> = {
  name: string;
  run: (context: Context) => Promise<Failure | undefined>;
  /** Safe to repeat, and a no-op where the step never took effect. */
  undo?: (context: Context) => Promise<void>;
};

export type SagaOutcome<Failure> = { completed: true } | { completed: false; failure: Failure };

/**
 * Runs the steps in order, from the one named `resumeAt` (those before it are taken as done) or
 * the first. At the first step that fails, the steps before it are undone, newest first.
 */
export async function runSaga<Context, Failure>(
  steps: ReadonlyArray<Step<Context, Failure>>,
  context: Context,
  resumeAt?: string,
): Promise<SagaOutcome<Failure>> {
  for (let index = resumeAt ? indexOf(steps, resumeAt) : 0; index < steps.length; index++) {
    const failure = await (steps[index] as Step<Context, Failure>).run(context);
    if (failure !== undefined) {
      await undoSteps(steps.slice(0, index), context);
      return { completed: false, failure };
    }
  }
  return { completed: true };
}

/** Undoes the steps from `first` to `last`, newest first: a completed saga taken back in part. */
export async function undoBetween<Context, Failure>(
  steps: ReadonlyArray<Step<Context, Failure>>,
  context: Context,
  range: { first: string; last: string },
): Promise<void> {
  await undoSteps(
    steps.slice(indexOf(steps, range.first), indexOf(steps, range.last) + 1),
    context,
  );
}

async function undoSteps<Context, Failure>(
  steps: ReadonlyArray<Step<Context, Failure>>,
  context: Context,
): Promise<void> {
  for (const step of [...steps].reverse()) await step.undo?.(context);
}

function indexOf(steps: ReadonlyArray<{ name: string }>, name: string): number {
  const index = steps.findIndex((step) => step.name === name);
  if (index < 0) throw new Error(`the saga has no step ${name}`);
  return index;
}
