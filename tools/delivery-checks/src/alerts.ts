import { readFileSync } from 'node:fs';

export type RuleGroups = {
  groups: Array<{ rules: Array<{ alert?: string; annotations?: Record<string, string> }> }>;
};
export type UnitTests = {
  tests: Array<{ alert_rule_test?: Array<{ alertname: string; exp_alerts?: unknown[] }> }>;
};

const runbooks = 'https://github.com/bazaar-shop/bazaar/blob/main/';

/**
 * What an alert lacks for whoever is woken by it, one line each: a runbook section that exists
 * (under docs/runbooks of the checkout at `root`), a unit test that fires it, one that keeps it
 * quiet.
 */
export function alertViolations(rules: RuleGroups[], unitTests: UnitTests[], root: URL): string[] {
  const cases = unitTests.flatMap((file) =>
    file.tests.flatMap((unit) => unit.alert_rule_test ?? []),
  );
  return rules
    .flatMap((file) => file.groups.flatMap((group) => group.rules))
    .flatMap(({ alert, annotations }) => {
      if (!alert) return [];
      const problems: string[] = [];
      const url = annotations?.runbook_url ?? '';
      const [path, anchor] = url.slice(runbooks.length).split('#');
      if (!url.startsWith(runbooks) || !/^docs\/runbooks\/[a-z-]+\.md$/.test(path ?? '')) {
        problems.push(`${alert}: runbook_url is not a page of docs/runbooks: ${url || 'none'}`);
      } else if (anchor) {
        // GitHub's anchors: the heading in lower case, spaces as dashes.
        const headings = [
          ...readFileSync(new URL(path ?? '', root), 'utf8').matchAll(/^#+ (.+)$/gm),
        ].map(([, heading]) => heading?.toLowerCase().replaceAll(' ', '-'));
        if (!headings.includes(anchor))
          problems.push(`${alert}: ${path} has no section #${anchor}`);
      }
      const expected = cases.filter((each) => each.alertname === alert);
      if (!expected.some((each) => (each.exp_alerts ?? []).length > 0)) {
        problems.push(`${alert}: no unit test fires it`);
      }
      if (!expected.some((each) => (each.exp_alerts ?? []).length === 0)) {
        problems.push(`${alert}: no unit test keeps it quiet`);
      }
      return problems;
    });
}
