import { nodeOptions, processEnvironment } from '@bazaar/launcher/service-process';
import { expect, test } from 'vitest';
import { dockerfileViolations, readDockerfile } from '../src/dockerfile.js';

const root = new URL('../../../', import.meta.url);
const image = readDockerfile(new URL('deploy/docker/Dockerfile', root).pathname);

test('the image keeps every rule: non-root user, pinned bases, a healthcheck, no secrets', () => {
  expect(dockerfileViolations(image)).toEqual([]);
});

test('it builds with the commands a laptop uses and runs a service bundle with node after the tracing preload', () => {
  expect(image.runs.join(' ')).toMatch(/npm ci .*&& node tools\/build\.mjs/);
  expect(image.entrypoint).toEqual(['node', '--import=./packages/service-kit/dist/tracing.js']);
  expect(image.cmd).toEqual(['services/gateway/dist/main.js']);
});

test('its Node.js runs with the options and environment npm start gives every service', () => {
  const variable = (name: string) => image.variables.find((entry) => entry.name === name)?.value;
  expect(variable('NODE_OPTIONS')).toEqual(nodeOptions.join(' '));
  for (const [name, value] of Object.entries(processEnvironment)) {
    expect(variable(name), name).toEqual(value);
  }
});

test('a Dockerfile that breaks each rule is caught, rule by rule', () => {
  const broken = readDockerfile(new URL('fixtures/Dockerfile.broken', import.meta.url).pathname);
  expect(dockerfileViolations(broken)).toEqual([
    'base image node:latest is not pinned to an exact version',
    'the final stage does not switch to a non-root USER',
    'the final stage has no HEALTHCHECK',
    'ARG NPM_TOKEN would put a secret into the image',
    'ENV DATABASE_PASSWORD would put a secret into the image',
  ]);
});
