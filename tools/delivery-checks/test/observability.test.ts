import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { alertViolations, type RuleGroups, type UnitTests } from '../src/alerts.js';
import {
  type K8sObject,
  parseManifests,
  renderKustomization,
  schemaErrors,
} from '../src/kubernetes.js';
import { sloRules } from '../src/slo.js';

/**
 * The Prometheus configuration and alert rules, checked and unit-tested with promtool (Debian's
 * `prometheus` package; `.ci/run` installs it and sets BAZAAR_PROMTOOL=required).
 */
const promtool = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((path) => existsSync(path));
if (!promtool && process.env.BAZAAR_PROMTOOL === 'required') {
  throw new Error('BAZAAR_PROMTOOL=required but promtool is not installed');
}
const observability = new URL('../../../deploy/observability/', import.meta.url).pathname;
const run = (args: string[], cwd = observability) => {
  try {
    return {
      ok: true,
      output: execFileSync(promtool ?? 'promtool', args, { cwd, encoding: 'utf8', stdio: 'pipe' }),
    };
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${failure.stdout ?? ''}${failure.stderr ?? ''}` };
  }
};

/**
 * The alert rules are two PrometheusRules, the hand-written ones and those generated from the SLOs;
 * their spec's groups, as rules files beside their unit tests in a directory of their own, are
 * what promtool checks.
 */
const ruleFiles = ['alerts', 'slo-alerts'];
const prometheusRules = ruleFiles.map(
  (name) => parseManifests(readFileSync(`${observability}${name}.yaml`, 'utf8'))[0] as K8sObject,
);
const rulesDirectory = mkdtempSync(`${tmpdir()}/bazaar-rules-`);
for (const [index, name] of ruleFiles.entries()) {
  writeFileSync(
    `${rulesDirectory}/${name}.yaml`,
    JSON.stringify({ groups: prometheusRules[index]?.spec.groups }),
  );
  copyFileSync(`${observability}${name}.test.yaml`, `${rulesDirectory}/${name}.test.yaml`);
}
const repository = new URL('../../../', import.meta.url);
const groupsOf = prometheusRules.map((rule) => ({ groups: rule.spec.groups }) as RuleGroups);
const alerts = groupsOf.flatMap((file) =>
  file.groups.flatMap((group) => group.rules.filter((each) => each.alert)),
);

test('the alert rules are PrometheusRules that validate against their schema', async () => {
  expect(prometheusRules.map((rule) => rule.kind)).toEqual(['PrometheusRule', 'PrometheusRule']);
  expect(await schemaErrors(prometheusRules)).toEqual([]);
});

describe('the SLOs', () => {
  const runbook = 'https://github.com/bazaar-shop/bazaar/blob/main/docs/runbooks/slos.md';

  test('slo-alerts.yaml is what slos.yaml generates (`-u` writes it anew)', async () => {
    const generated = sloRules(readFileSync(`${observability}slos.yaml`, 'utf8'), runbook);
    await expect(generated).toMatchFileSnapshot(`${observability}slo-alerts.yaml`);
  });

  test('checkout availability and latency and the product list each page on a fast burn and open a ticket on a slow one', () => {
    const names = alerts.map((rule) => rule.alert);
    for (const slo of ['CheckoutAvailability', 'CheckoutLatency', 'ProductListAvailability']) {
      expect(names).toContain(`${slo}BudgetBurnFast`);
      expect(names).toContain(`${slo}BudgetBurnSlow`);
    }
  });

  test('an SLO file that cannot give rules is refused, each mistake named', () => {
    const broken = readFileSync(new URL('fixtures/slos-broken.yaml', import.meta.url), 'utf8');
    expect(() => sloRules(broken, runbook)).toThrow(
      'slos.yaml: window: expected whole days such as 30d, got 4w; slos[0].objective: a percentage between 0 and 100, got 100; slos[0].total: a range written [$window] is missing; slos[1].name: checkout-availability is named twice',
    );
  });
});

test('there are at least twelve alerts, each with a runbook section and unit tests that fire it and keep it quiet', () => {
  expect(alerts.length).toBeGreaterThanOrEqual(12);
  const unitTests = ruleFiles.map(
    (name) => parse(readFileSync(`${observability}${name}.test.yaml`, 'utf8')) as UnitTests,
  );
  expect(alertViolations(groupsOf, unitTests, repository)).toEqual([]);
});

test('an alert without a runbook, a section its link names, or a quiet unit test is caught', () => {
  const broken = new URL('fixtures/alerts-broken/', import.meta.url);
  const read = (name: string) => parse(readFileSync(new URL(name, broken), 'utf8'));
  expect(alertViolations([read('alerts.yaml')], [read('alerts.test.yaml')], repository)).toEqual([
    'OutboxStale: runbook_url is not a page of docs/runbooks: none',
    'OutboxStale: no unit test keeps it quiet',
    'DeadLettersPresent: docs/runbooks/alerts.md has no section #deadletters',
    'DeadLettersPresent: no unit test fires it',
    'DeadLettersPresent: no unit test keeps it quiet',
  ]);
});

describe.skipIf(!promtool)('promtool', () => {
  test('the scrape configuration and the rules are valid', () => {
    expect(run(['check', 'config', 'prometheus.yaml'])).toMatchObject({ ok: true });
    for (const name of ruleFiles) {
      expect(run(['check', 'rules', `${name}.yaml`], rulesDirectory)).toMatchObject({ ok: true });
    }
  });

  test.for(ruleFiles)(
    'every alert of %s fires in its unit test when it should, and only then',
    (name) => {
      const result = run(['test', 'rules', `${name}.test.yaml`], rulesDirectory);
      expect(result.output).toContain('SUCCESS');
      expect(result.ok).toBe(true);
    },
  );

  test('an alert on a metric the shop does not export fails its unit test', () => {
    const broken = new URL('fixtures/alerts-broken/', import.meta.url).pathname;
    const result = run(['test', 'rules', 'alerts.test.yaml'], broken);
    expect(result.ok).toBe(false);
    expect(result.output).toContain('FAILED');
  });
});

test('every bazaar_* metric an alert watches is one the services export', () => {
  const rules = ruleFiles
    .map((name) => readFileSync(`${observability}${name}.yaml`, 'utf8'))
    .join('\n');
  const watched = new Set(
    [...rules.matchAll(/\b(bazaar_[a-z_]+?)(_bucket|_count|_sum)?\b/g)].map((match) => match[1]),
  );
  const sources = [
    'packages/events/src/pipeline-metrics.ts',
    'services/orders/src/domain/checkout-metrics.ts',
    'services/identity/src/routes/auth-routes.ts',
    'services/notifications/src/domain/webhook-sender.ts',
  ]
    .map((path) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8'))
    .join('\n');
  expect(watched.size).toBeGreaterThan(0);
  for (const metric of watched) expect(sources, metric).toContain(`name: '${metric}'`);
});

describe('the Grafana dashboards', () => {
  const names = ['service-overview', 'checkout-funnel', 'event-pipeline'];
  type Dashboard = {
    uid: string;
    title: string;
    panels: Array<{ title: string; description: string; targets: Array<{ expr: string }> }>;
  };
  const dashboards = names.map(
    (name) =>
      JSON.parse(
        readFileSync(`${observability}grafana/dashboards/${name}.json`, 'utf8'),
      ) as Dashboard,
  );

  test('each has a uid, a title and panels that say what they show', () => {
    for (const dashboard of dashboards) {
      expect(dashboard.uid).toMatch(/^bazaar-/);
      expect(dashboard.panels.length).toBeGreaterThan(4);
      for (const panel of dashboard.panels) expect(panel.description, panel.title).not.toBe('');
    }
  });

  test.skipIf(!promtool)('every panel query is valid PromQL (promtool parses it as a rule)', () => {
    const rules = dashboards.flatMap((dashboard, d) =>
      dashboard.panels.flatMap((panel, p) =>
        panel.targets.map((target, t) => ({
          record: `check:d${d}p${p}t${t}`,
          expr: target.expr.replaceAll('$service', '.+'),
        })),
      ),
    );
    const file = `${tmpdir()}/bazaar-dashboard-queries.json`;
    writeFileSync(file, JSON.stringify({ groups: [{ name: 'dashboards', rules }] }));
    expect(run(['check', 'rules', file], tmpdir())).toMatchObject({ ok: true });
  });

  test('kustomize packs them into a ConfigMap Grafana loads, beside the alert rules', () => {
    const objects = renderKustomization(observability);
    expect(objects.map((object) => `${object.kind}/${object.metadata.name}`).sort()).toEqual([
      'ConfigMap/bazaar-dashboards',
      'PrometheusRule/bazaar-alerts',
      'PrometheusRule/bazaar-slos',
    ]);
    const dashboardsMap = objects.find((object) => object.metadata.name === 'bazaar-dashboards');
    expect(dashboardsMap?.metadata.labels).toEqual({ grafana_dashboard: '1' });
    expect(Object.keys(dashboardsMap?.data ?? {}).sort()).toEqual(
      names.map((name) => `${name}.json`).sort(),
    );
  });
});
