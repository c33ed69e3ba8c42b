import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { argoViolations } from '../src/argocd.js';
import { type K8sObject, parseManifests, schemaErrors } from '../src/kubernetes.js';

const root = new URL('../../../', import.meta.url);
const read = (directory: URL): K8sObject[] =>
  readdirSync(directory)
    .filter((name) => name.endsWith('.yaml'))
    .flatMap((name) => parseManifests(readFileSync(new URL(name, directory), 'utf8')));

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
