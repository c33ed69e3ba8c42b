import { readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  actionlintFindings,
  releaseViolations,
  silentSkips,
  unpinnedActions,
} from '../src/workflows.js';

const directory = new URL('../../../.github/workflows/', import.meta.url);
const workflows = readdirSync(directory).filter((name) => name.endsWith('.yml'));

test('there are the bench, ci, codeql, release and terraform workflows', () => {
  expect(workflows.sort()).toEqual([
    'bench.yml',
    'ci.yml',
    'codeql.yml',
    'release.yml',
    'terraform.yml',
  ]);
});

test('the release ships the image CI scanned, attested, to staging, smoke-tested, then to prod on approval, and checks prod', () => {
  expect(releaseViolations(new URL('release.yml', directory).pathname)).toEqual([]);
});

test('a release that rebuilds the image and sends it everywhere at once is caught', () => {
  const path = new URL('fixtures/release.broken.yml', import.meta.url).pathname;
  expect(releaseViolations(path)).toEqual([
    'builds an image again instead of shipping the one CI scanned',
    "attests no image's provenance",
    'release: changes prod without a smoke test of staging before it',
    "release: changes prod without the production environment's approval",
    'release: changes prod together with other environments',
    'release: checks nothing of prod after changing it',
  ]);
});

describe.each(workflows)('%s', (name) => {
  const path = new URL(name, directory).pathname;

  test('passes actionlint', async () => {
    expect(await actionlintFindings(path)).toEqual([]);
  });

  test('pins every action to an exact release', () => {
    expect(unpinnedActions(path)).toEqual([]);
  });

  test('runs no suite that may skip what the machine lacks', () => {
    expect(silentSkips(path)).toEqual([]);
  });
});

test('a broken workflow is caught by both checks', async () => {
  const path = new URL('fixtures/workflow.broken.yml', import.meta.url).pathname;
  const findings = await actionlintFindings(path);
  expect(findings).toEqual([
    expect.stringContaining('undefined variable "secret"'),
    expect.stringContaining(
      'input "node-versoin" is not defined in action "actions/setup-node@v4"',
    ),
  ]);
  expect(unpinnedActions(path)).toEqual(['actions/checkout@main', 'actions/setup-node@v4']);
  expect(silentSkips(path)).toEqual([
    'build: "npm test" may skip silently: BAZAAR_PROMTOOL is not required',
    'build: "npm test" may skip silently: BAZAAR_REDIS_TESTS is not required',
  ]);
});
