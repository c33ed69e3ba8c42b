import { readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { actionlintFindings, silentSkips, unpinnedActions } from '../src/workflows.js';

const directory = new URL('../../../.github/workflows/', import.meta.url);
const workflows = readdirSync(directory).filter((name) => name.endsWith('.yml'));

test('there are the bench, ci, release and terraform workflows', () => {
  expect(workflows.sort()).toEqual(['bench.yml', 'ci.yml', 'release.yml', 'terraform.yml']);
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
