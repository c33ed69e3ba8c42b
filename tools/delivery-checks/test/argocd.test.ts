import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { argoViolations, projectViolations } from '../src/argocd.js';
import { type K8sObject, parseManifests, schemaErrors } from '../src/kubernetes.js';

const root = new URL('../../../', import.meta.url);
const read = (directory: URL): K8sObject[] =>
  readdirSync(directory)
    .filter((name) => name.endsWith('.yaml'))
    .flatMap((name) => parseManifests(readFileSync(new URL(name, directory), 'utf8')));

const projects = parseManifests(readFileSync(new URL('deploy/argocd/project.yaml', root), 'utf8'));
const platform = read(new URL('deploy/argocd/platform/', root));

test('the projects validate against the Argo CD schema', async () => {
  expect(projects.map((project) => `${project.kind}/${project.metadata.name}`)).toEqual([
    'AppProject/bazaar',
    'AppProject/platform',
  ]);
  expect(await schemaErrors(projects)).toEqual([]);
});

test('the platform layer: External Secrets, metrics-server and the EBS CSI driver with a default StorageClass, from pinned charts, before Bazaar', async () => {
  expect(platform.map((app) => app.metadata.name).sort()).toEqual([
    'aws-ebs-csi-driver',
    'external-secrets',
    'metrics-server',
  ]);
  expect(await schemaErrors(platform)).toEqual([]);
  expect(argoViolations(platform, root)).toEqual([]);
  expect(projectViolations(projects, platform, root)).toEqual([]);
  const wave = (app: K8sObject) =>
    Number(app.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0);
  for (const app of platform) expect(wave(app)).toBeLessThan(0);
});

describe.each(['dev', 'staging', 'prod'])('Argo CD for %s', (environment) => {
  const roots = read(new URL('deploy/argocd/roots/', root)).filter((app) =>
    app.metadata.name.endsWith(environment),
  );
  const applications = read(new URL(`deploy/argocd/environments/${environment}/`, root));

  test('a root application (app of apps) points at the environment, which holds Bazaar and NATS', () => {
    expect(roots.map((app) => app.spec.source.path)).toEqual([
      `deploy/argocd/environments/${environment}`,
    ]);
    expect(applications.map((app) => app.metadata.name)).toEqual(
      expect.arrayContaining(['bazaar', 'nats']),
    );
  });

  test('every application validates against the Argo CD schema and keeps the rules', async () => {
    expect(await schemaErrors([...roots, ...applications])).toEqual([]);
    expect(argoViolations([...roots, ...applications], root)).toEqual([]);
  });

  test('every application is in a project of ours, which allows its source, its namespace and the cluster-wide kinds it makes; the platform comes first', () => {
    expect(projectViolations(projects, [...roots, ...applications], root)).toEqual([]);
    const wave = (name: string) =>
      Number(
        applications.find((app) => app.metadata.name === name)?.metadata.annotations?.[
          'argocd.argoproj.io/sync-wave'
        ] ?? 0,
      );
    expect(wave('platform')).toBeLessThan(wave('bazaar'));
  });
});

test('applications that break the rules are caught', async () => {
  const broken = parseManifests(
    readFileSync(new URL('fixtures/argocd-broken.yaml', import.meta.url), 'utf8'),
  );
  expect(await schemaErrors(broken)).toEqual([
    expect.stringMatching(/^Application\/bazaar: .*selfHeal must be boolean/),
  ]);
  expect(argoViolations(broken, root)).toEqual([
    'Application/redis: does not prune',
    'Application/redis: does not heal drift',
    'Application/redis: chart redis is not pinned to a version',
    'Application/bazaar: does not heal drift',
    'Application/bazaar: path deploy/k8s/overlays/qa does not exist',
  ]);
});

test('a project too narrow for its applications, or an application outside it, is caught', () => {
  const [narrow] = parseManifests(
    readFileSync(new URL('fixtures/argocd-project-broken.yaml', import.meta.url), 'utf8'),
  ) as [K8sObject];
  const prod = read(new URL('deploy/argocd/environments/prod/', root)).filter(
    (app) => app.spec.project === 'bazaar',
  );
  expect(projectViolations([narrow], prod, root)).toEqual([
    'Application/bazaar: makes ClusterSecretStore/aws-secrets-manager, a cluster-wide kind its project does not allow',
    'Application/nats: comes from https://nats-io.github.io/k8s/helm/charts/, which its project does not allow',
    'Application/nats: goes to namespace nats, which its project does not allow',
  ]);
  const broken = parseManifests(
    readFileSync(new URL('fixtures/argocd-broken.yaml', import.meta.url), 'utf8'),
  );
  expect(projectViolations(projects, broken, root)).toEqual(
    expect.arrayContaining(["Application/redis: in project default, which is not one of Bazaar's"]),
  );
});
