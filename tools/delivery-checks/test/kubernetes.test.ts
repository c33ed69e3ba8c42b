import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  type K8sObject,
  parseManifests,
  renderKustomization,
  schemaErrors,
} from '../src/kubernetes.js';
import {
  addressViolations,
  developersGroup,
  groupMay,
  kubernetesViolations,
} from '../src/kubernetes-policy.js';

const root = new URL('../../../', import.meta.url);

describe.each(['dev', 'staging', 'prod', 'local'])('the %s overlay', (environment) => {
  const objects = renderKustomization(new URL(`deploy/k8s/overlays/${environment}`, root).pathname);

  test('renders with kustomize and every object validates against its Kubernetes schema', async () => {
    expect(objects.length).toBeGreaterThan(60);
    expect(await schemaErrors(objects)).toEqual([]);
  });

  test('keeps every rule: hardening, probes, resources, zones, budgets, network, secrets', () => {
    expect(kubernetesViolations(objects, environment)).toEqual([]);
  });

  test('runs the images the overlay names (the ones the release workflow sets): Bazaar in every service and the migrations Job, PgBouncer beside them', () => {
    const overlay = parseManifests(
      readFileSync(new URL(`deploy/k8s/overlays/${environment}/kustomization.yaml`, root), 'utf8'),
    )[0] as K8sObject;
    // By digest once the release has promoted one (kustomize edit set image name@sha256:…).
    const reference = (name: string) => {
      const named = overlay.images.find((image: K8sObject) => image.name === name);
      return named.digest ? `${named.newName}@${named.digest}` : `${named.newName}:${named.newTag}`;
    };
    const images = objects
      .filter((object) => object.kind === 'Deployment' || object.kind === 'Job')
      .map((object) => object.spec.template.spec.containers[0].image);
    expect(images.filter((image) => image === reference('bazaar'))).toHaveLength(9);
    // PgBouncer stands in front of RDS; a laptop's cluster has its PostgreSQL to itself.
    const pooled = environment !== 'local';
    if (pooled) {
      expect(images.filter((image) => image === reference('bazaar-pgbouncer'))).toHaveLength(1);
    }
    expect(images).toHaveLength(pooled ? 10 : 9);
  });
});

test('the local overlay holds the whole shop: PostgreSQL, Redis and NATS are Services of its own, where the settings and secrets send the services', () => {
  const objects = renderKustomization(new URL('deploy/k8s/overlays/local', root).pathname);
  const stores = objects
    .filter((object) => object.kind === 'StatefulSet')
    .map((set) => `${set.metadata.namespace}/${set.metadata.name}`);
  expect(stores.sort()).toEqual(['data/postgres', 'data/redis', 'nats/nats']);
  expect(addressViolations(objects)).toEqual([]);
  // The images compose.yaml names, which `npm run images:offline` builds where none can be pulled.
  const compose = readFileSync(new URL('compose.yaml', root), 'utf8');
  for (const set of objects.filter((object) => object.kind === 'StatefulSet')) {
    expect(compose).toContain(`image: ${set.spec.template.spec.containers[0].image}\n`);
  }
  expect(objects.some((object) => object.kind === 'ServiceMonitor')).toBe(false);
});

test('an address no Service of the cluster provides is caught', () => {
  const broken = parseManifests(
    readFileSync(new URL('fixtures/k8s-broken.yaml', import.meta.url), 'utf8'),
  );
  expect(addressViolations(broken)).toEqual([
    'ConfigMap/bazaar-settings NATS_URL: nats.messaging.svc:4222 is no Service of the cluster',
  ]);
});

test('manifests that break the rules are caught, each for its reason', async () => {
  const broken = parseManifests(
    readFileSync(new URL('fixtures/k8s-broken.yaml', import.meta.url), 'utf8'),
  );
  expect(await schemaErrors(broken)).toEqual([
    expect.stringMatching(/^Deployment\/gateway: .*containerPort must be integer/),
    'HorizontalPodAutoscaler/gateway: unknown field spec.behaviour',
  ]);
  expect(kubernetesViolations(broken, 'prod')).toEqual(
    expect.arrayContaining([
      'Deployment/gateway: runAsNonRoot is not true',
      'Deployment/gateway container app: root filesystem is writable',
      'Deployment/gateway container app: capabilities not all dropped',
      'Deployment/gateway container app: no memory limit',
      'Deployment/gateway container app: no OTEL_SERVICE_NAME for its spans',
      'Deployment/gateway: readiness probe is not /readyz',
      'Deployment/gateway: not spread across zones',
      'Deployment/gateway: no PodDisruptionBudget',
      'no default-deny NetworkPolicy for ingress and egress',
      'NetworkPolicy allows cart→payments, a call the architecture does not make',
      'NetworkPolicy blocks orders→payments, a call the architecture makes',
      'Ingress/everything: exposes a service other than the gateway',
      'Ingress/everything: no TLS',
      "Ingress/everything: not an ALB that sends to the pods' addresses",
      'Ingress/gateway: serves plain HTTP',
      "Ingress/gateway: not an ALB that sends to the pods' addresses",
      'NetworkPolicy/gateway-from-ingress: lets namespace ingress-nginx reach port 8080',
      "Ingress/metrics: routes a port other than the gateway's http",
      'NetworkPolicy/allow-metrics-scrape: lets namespace observability reach port http',
      'Deployment/gateway: no metrics port apart from its service port',
      'Service/catalog: exposed as LoadBalancer',
      'Service/orders: its metrics port is scraped by no ServiceMonitor',
      'Secret/bazaar-gateway: a plain Secret in prod; use an ExternalSecret',
      'Deployment/gateway: secret bazaar-gateway has no TOKEN',
      'Role/too-much: lets bazaar:developers * pods, secrets in prod',
      'Role/too-much: lets bazaar:developers read Secrets',
      'prod: gateway may scale below 3 replicas',
      "Deployment/gateway: replicas kept in git while HorizontalPodAutoscaler/gateway scales it (Argo CD's self-heal would undo every scale)",
      'no migrations Job runs before each release',
    ]),
  );
});

test('a migrations Job that reads what Argo CD applies after it, or runs after a Deployment, and orders rolled out before the neighbours it asks to take at once, are caught', () => {
  const broken = parseManifests(
    readFileSync(new URL('fixtures/k8s-sync-order.yaml', import.meta.url), 'utf8'),
  );
  expect(kubernetesViolations(broken, 'prod')).toEqual(
    expect.arrayContaining([
      'Job/bazaar-migrate (PreSync, wave 0): does not run before Deployment/orders',
      'Job/bazaar-migrate (PreSync, wave 0): reads Secret/bazaar-migrate, which Argo CD makes only later (ExternalSecret in Sync, wave 0)',
      'Job/bazaar-migrate (PreSync, wave 0): reads ConfigMap/bazaar-settings, which Argo CD makes only later (ConfigMap in Sync, wave 0)',
      'Deployment/orders (PreSync, wave -5): is not rolled out after Deployment/inventory (Sync, wave 0), whose previous release refuses what orders asks of it',
      'Deployment/orders (PreSync, wave -5): is not rolled out after Rollout/catalog (PreSync, wave -5), whose previous release refuses what orders asks of it',
    ]),
  );
});

/** What a developer could touch in the namespace: every kind the overlays render, and Secrets. */
const resources: Array<[string, string]> = [
  ['', 'pods'],
  ['', 'secrets'],
  ['', 'configmaps'],
  ['', 'services'],
  ['apps', 'deployments'],
  ['batch', 'jobs'],
  ['autoscaling', 'horizontalpodautoscalers'],
  ['networking.k8s.io', 'networkpolicies'],
  ['external-secrets.io', 'externalsecrets'],
  ['rbac.authorization.k8s.io', 'roles'],
];

test('in prod a developer reads what runs, and can delete, change or create nothing, nor read a Secret', () => {
  const prod = renderKustomization(new URL('deploy/k8s/overlays/prod', root).pathname);
  const may = (verb: string, apiGroup: string, resource: string) =>
    groupMay(prod, developersGroup, verb, apiGroup, resource);
  for (const [apiGroup, resource] of resources) {
    for (const verb of ['delete', 'deletecollection', 'create', 'update', 'patch']) {
      expect(may(verb, apiGroup, resource), `${verb} ${resource}`).toBe(false);
    }
  }
  expect(may('get', '', 'secrets')).toBe(false);
  expect(may('list', '', 'secrets')).toBe(false);
  expect(may('create', '', 'pods/portforward')).toBe(false);
  expect(may('get', '', 'pods/log')).toBe(true);
  expect(may('list', 'apps', 'deployments')).toBe(true);
});

test('in staging a developer may also port-forward, and still delete nothing', () => {
  const staging = renderKustomization(new URL('deploy/k8s/overlays/staging', root).pathname);
  expect(groupMay(staging, developersGroup, 'create', '', 'pods/portforward')).toBe(true);
  expect(groupMay(staging, developersGroup, 'delete', '', 'pods')).toBe(false);
});

test('a Role that lets developers delete pods is seen to', () => {
  const broken = parseManifests(
    readFileSync(new URL('fixtures/k8s-broken.yaml', import.meta.url), 'utf8'),
  );
  expect(groupMay(broken, developersGroup, 'delete', '', 'pods')).toBe(true);
});
