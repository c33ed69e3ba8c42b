import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, test } from 'vitest';
import {
  type K8sObject,
  parseManifests,
  renderKustomization,
  schemaErrors,
} from '../src/kubernetes.js';

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
 * The alert rules are a PrometheusRule; its spec's groups, as a rules file beside their unit tests
 * in a directory of their own, are what promtool checks.
 */
const [alertRules] = parseManifests(readFileSync(`${observability}alerts.yaml`, 'utf8')) as [
  K8sObject,
];
const rulesDirectory = mkdtempSync(`${tmpdir()}/bazaar-rules-`);
writeFileSync(`${rulesDirectory}/alerts.yaml`, JSON.stringify({ groups: alertRules.spec.groups }));
copyFileSync(`${observability}alerts.test.yaml`, `${rulesDirectory}/alerts.test.yaml`);

test('the alert rules are a PrometheusRule that validates against its schema', async () => {
  expect(alertRules.kind).toBe('PrometheusRule');
  expect(await schemaErrors([alertRules])).toEqual([]);
});

describe.skipIf(!promtool)('promtool', () => {
  test('the scrape configuration and the rules are valid', () => {
    expect(run(['check', 'config', 'prometheus.yaml'])).toMatchObject({ ok: true });
    expect(run(['check', 'rules', 'alerts.yaml'], rulesDirectory)).toMatchObject({ ok: true });
  });

  test('every alert fires in its unit test when it should, and only then', () => {
    const result = run(['test', 'rules', 'alerts.test.yaml'], rulesDirectory);
    expect(result.output).toContain('SUCCESS');
    expect(result.ok).toBe(true);
  });

  test('an alert on a metric the shop does not export fails its unit test', () => {
    const broken = new URL('fixtures/alerts-broken/', import.meta.url).pathname;
    const result = run(['test', 'rules', 'alerts.test.yaml'], broken);
    expect(result.ok).toBe(false);
    expect(result.output).toContain('FAILED');
  });
});

test('every bazaar_* metric an alert watches is one the services export', () => {
  const rules = readFileSync(`${observability}alerts.yaml`, 'utf8');
  const watched = new Set(
    [...rules.matchAll(/\b(bazaar_[a-z_]+?)(_bucket|_count|_sum)?\b/g)].map((match) => match[1]),
  );
  const sources = [
    'packages/events/src/pipeline-metrics.ts',
    'services/orders/src/domain/checkout-metrics.ts',
    'services/identity/src/routes/auth-routes.ts',
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
    ]);
    const dashboardsMap = objects.find((object) => object.metadata.name === 'bazaar-dashboards');
    expect(dashboardsMap?.metadata.labels).toEqual({ grafana_dashboard: '1' });
    expect(Object.keys(dashboardsMap?.data ?? {}).sort()).toEqual(
      names.map((name) => `${name}.json`).sort(),
    );
  });
});
