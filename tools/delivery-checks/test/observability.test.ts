import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';

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

describe.skipIf(!promtool)('promtool', () => {
  test('the scrape configuration and the rules are valid', () => {
    expect(run(['check', 'config', 'prometheus.yaml'])).toMatchObject({ ok: true });
    expect(run(['check', 'rules', 'alerts.yaml'])).toMatchObject({ ok: true });
  });

  test('every alert fires in its unit test when it should, and only then', () => {
    const result = run(['test', 'rules', 'alerts.test.yaml']);
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
  ]
    .map((path) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8'))
    .join('\n');
  expect(watched.size).toBeGreaterThan(0);
  for (const metric of watched) expect(sources, metric).toContain(`name: '${metric}'`);
});
