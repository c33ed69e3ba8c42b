import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServiceApp, type ServiceApp } from '@bazaar/service-kit/app';
import { serveMetrics } from '@bazaar/service-kit/metrics';
import { freePort } from '@bazaar/testing/free-port';
import { installedBinary } from '@bazaar/testing/installed-binary';
import { waitFor } from '@bazaar/testing/until';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type K8sObject, renderKustomization, schemaErrors } from '../src/kubernetes.js';
import { rolloutViolations } from '../src/rollouts.js';

const root = new URL('../../../', import.meta.url).pathname;
/** Where the cluster's Prometheus answers: what the Prometheus Adapter asks too. */
const prometheusOf = (environment: string) => {
  const adapter = renderKustomization(`${root}deploy/argocd/platform/${environment}`).find(
    (app) => app.metadata.name === 'prometheus-adapter',
  ) as K8sObject;
  const { url, port } = adapter.spec.source.helm.valuesObject.prometheus;
  return `${url}:${port}`;
};

describe.each(['dev', 'staging', 'prod'])('the %s overlay', (environment) => {
  const objects = renderKustomization(`${root}deploy/k8s/overlays/${environment}`);

  test('rolls the gateway out blue-green and every other service as a canary, each judged by its new pods and rolled back on failure', () => {
    expect(rolloutViolations(objects, prometheusOf(environment))).toEqual([]);
    expect(objects.filter((object) => object.kind === 'Rollout')).toHaveLength(8);
  });

  test('its Rollouts and analysis validate against the Argo Rollouts schema', async () => {
    const rollouts = objects.filter((object) =>
      ['Rollout', 'AnalysisTemplate'].includes(object.kind),
    );
    expect(await schemaErrors(rollouts)).toEqual([]);
  });
});

test('a gateway without blue-green, a canary without analysis, pauses or its replicas, a Deployment no Rollout runs, an autoscaler on it, the analysis asking another Prometheus about every pod: each caught', async () => {
  const objects = renderKustomization(
    new URL('fixtures/rollouts-broken/', import.meta.url).pathname,
  );
  expect(rolloutViolations(objects, prometheusOf('prod'))).toEqual([
    'Deployment/payments: no Rollout runs its pods',
    'HorizontalPodAutoscaler/cart: scales Deployment/cart, whose pods Rollout/cart runs',
    'Rollout/catalog: the canary may take a replica away (maxUnavailable 1)',
    'Rollout/catalog: no partial weight held by a pause before all',
    "Rollout/gateway: not blue-green behind the ALB's Service",
    'Rollout/inventory: AnalysisTemplate/bazaar-error-budget does not exist',
    'Rollout/orders: no analysis of the new version',
    `AnalysisTemplate/bazaar-new-version metric error-ratio: asks http://prometheus:9090, not the cluster's Prometheus (${prometheusOf('prod')})`,
    "AnalysisTemplate/bazaar-new-version metric latency-p99: does not single out the new version's pods",
  ]);
  // A field Argo Rollouts does not know is refused too.
  const rollout = objects.find((object) => object.kind === 'Rollout') as K8sObject;
  expect(
    await schemaErrors([{ ...rollout, spec: { ...rollout.spec, stratgy: rollout.spec.strategy } }]),
  ).toEqual([`Rollout/${rollout.metadata.name}: unknown field spec.stratgy`]);
});

/**
 * The analysis as Argo Rollouts runs it: each metric's query, with its arguments filled in, asked
 * of a real Prometheus that scrapes real service apps (service-kit's metrics, as every service
 * exports them), and its success condition judged on the answer. Versions of one service side by
 * side, each a pod of its own: a healthy one, one failing 5 % of requests, one answering 3 % in
 * 600 ms, one with no traffic yet, and a stable one that fails a lot, which no new version's
 * analysis may count.
 */
const prometheusBinary = installedBinary('prometheus', 'BAZAAR_PROMTOOL');
describe.skipIf(!prometheusBinary)('the analysis against a real Prometheus', () => {
  const versions = {
    healthy: { ok: 200, failed: 0, slow: 0 },
    failing: { ok: 190, failed: 10, slow: 0 },
    slow: { ok: 194, failed: 0, slow: 6 },
    idle: { ok: 0, failed: 0, slow: 0 },
    stable: { ok: 100, failed: 100, slow: 10 },
  };
  const apps: Array<{ app: ServiceApp; close: () => Promise<void> }> = [];
  let prometheus: ChildProcess | undefined;
  let prometheusUrl = '';
  const scratch = mkdtempSync(join(tmpdir(), 'bazaar-analysis-'));

  /** Sends half a version's requests; sent twice, scrapes apart, so each counter is seen to grow. */
  const traffic = async (app: ServiceApp, share: { ok: number; failed: number; slow: number }) => {
    const send = (path: string, count: number) =>
      Promise.all(Array.from({ length: count }, () => app.inject({ method: 'GET', url: path })));
    await send('/api/work', Math.ceil(share.ok / 2));
    await send('/api/work?fail=1', Math.ceil(share.failed / 2));
    await send('/api/work?slow=1', Math.ceil(share.slow / 2));
  };

  beforeAll(async () => {
    const targets: string[] = [];
    for (const [hash] of Object.entries(versions)) {
      const app = await createServiceApp({
        name: 'orders',
        logLevel: 'silent',
        bodyLimitBytes: 1024,
      });
      app.get('/api/work', async (request, reply) => {
        const query = request.query as { fail?: string; slow?: string };
        if (query.slow) await new Promise((resolve) => setTimeout(resolve, 600));
        return reply.code(query.fail ? 500 : 200).send({ hash });
      });
      await app.ready();
      const metrics = await serveMetrics(app.metrics, { host: '127.0.0.1', port: 0 });
      apps.push({ app, close: metrics.close });
      const address = new URL(metrics.url).host;
      // The labels the ServiceMonitor's scrape gives: the Service's name, and the pod's, which
      // begins with the Rollout's name and its ReplicaSet's hash.
      targets.push(
        `{ targets: ["${address}"], labels: { service: orders, pod: "orders-${hash}-x7k2p" } }`,
      );
    }
    writeFileSync(
      join(scratch, 'prometheus.yml'),
      `global: { scrape_interval: 1s }\nscrape_configs:\n  - job_name: bazaar\n    static_configs: [${targets.join(', ')}]\n`,
    );
    const port = await freePort();
    prometheusUrl = `http://127.0.0.1:${port}`;
    prometheus = spawn(
      prometheusBinary as string,
      [
        `--config.file=${join(scratch, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(scratch, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: 'ignore' },
    );
    await waitFor(
      () =>
        fetch(`${prometheusUrl}/-/ready`).then(
          (response) => response.ok,
          () => false,
        ),
      (ready) => ready,
      { timeoutMs: 30_000 },
    );
    // Prometheus finds its targets a few seconds after it is ready: every one scraped before any
    // request, so that each counter is seen to grow rather than appear.
    await waitFor(
      async () => {
        const answer = (await (
          await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent('count(up == 1)')}`)
        ).json()) as { data: { result: Array<{ value: [number, string] }> } };
        return Number(answer.data.result[0]?.value[1] ?? 0);
      },
      (up) => up === apps.length,
      { timeoutMs: 30_000 },
    );
    const versionApps = Object.values(versions).map(
      (share, index) => [apps[index]?.app, share] as const,
    );
    for (const [app, share] of versionApps) if (app) await traffic(app, share);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    for (const [app, share] of versionApps) if (app) await traffic(app, share);
    await new Promise((resolve) => setTimeout(resolve, 2500));
  }, 60_000);

  afterAll(async () => {
    prometheus?.kill();
    for (const { app, close } of apps) {
      await close();
      await app.close();
    }
    rmSync(scratch, { recursive: true, force: true });
  });

  const template = renderKustomization(`${root}deploy/k8s/overlays/prod`).find(
    (object) => object.kind === 'AnalysisTemplate',
  ) as K8sObject;

  /** Each metric's verdict on a version, as Argo Rollouts would give it. */
  const verdicts = async (hash: string) => {
    const verdict: Record<string, boolean> = {};
    for (const metric of template.spec.metrics) {
      const query = String(metric.provider.prometheus.query)
        .replaceAll('{{args.service}}', 'orders')
        .replaceAll('{{args.hash}}', hash);
      const answer = (await (
        await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(query)}`)
      ).json()) as { status: string; data: { result: Array<{ value: [number, string] }> } };
      expect(answer.status).toBe('success');
      const result = answer.data.result.map(({ value }) => Number.parseFloat(value[1]));
      verdict[metric.name] = succeeds(String(metric.successCondition), result);
    }
    return verdict;
  };

  test.for([
    ['healthy', { 'error-ratio': true, 'latency-p99': true }],
    ['failing', { 'error-ratio': false, 'latency-p99': true }],
    ['slow', { 'error-ratio': true, 'latency-p99': false }],
    ['idle', { 'error-ratio': true, 'latency-p99': true }],
  ] as const)('a %s new version: %o', async ([hash, expected]) => {
    expect(await verdicts(hash)).toEqual(expected);
  });
});

/**
 * A success condition of the few forms the templates use (`result[0] < 0.01`, `isNaN(result[0])
 * || …`), judged as Argo Rollouts' expression language would.
 */
function succeeds(condition: string, result: number[]): boolean {
  return condition.split('||').some((part) => {
    const clause = part.trim();
    const value = result[0] ?? Number.NaN;
    if (clause === 'isNaN(result[0])') return Number.isNaN(value);
    const [, operator, bound] = /^result\[0\] (<|<=|>|>=) ([\d.]+)$/.exec(clause) ?? [];
    if (!operator) throw new Error(`a success condition of an unknown form: ${clause}`);
    const limit = Number(bound);
    return { '<': value < limit, '<=': value <= limit, '>': value > limit, '>=': value >= limit }[
      operator
    ] as boolean;
  });
}
