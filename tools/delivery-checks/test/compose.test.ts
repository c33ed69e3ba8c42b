import { expect, test } from 'vitest';
import { composeSchemaErrors, composeViolations, readCompose } from '../src/compose.js';

const root = new URL('../../../', import.meta.url);

test('compose.yaml follows the Compose Specification and names only what exists', () => {
  const compose = readCompose(new URL('compose.yaml', root).pathname);
  expect(composeSchemaErrors(compose)).toEqual([]);
  expect(composeViolations(compose, root)).toEqual([]);
  expect(Object.keys(compose.services)).toEqual(
    expect.arrayContaining([
      'postgres',
      'redis',
      'nats',
      'migrate',
      'gateway',
      'orders',
      'otel-collector',
      'jaeger',
      'prometheus',
      'grafana',
    ]),
  );
});

test('a compose file that breaks the schema and each rule is caught', () => {
  const broken = readCompose(new URL('fixtures/compose.broken.yaml', import.meta.url).pathname);
  expect(composeSchemaErrors(broken)).toEqual([expect.stringContaining('/services/cache/ports')]);
  expect(composeViolations(broken, root)).toEqual([
    'shop depends on database, which is not a service',
    'shop uses image bazaar:latest, not pinned to an exact version',
    'shop mounts ./deploy/observability/missing.yaml, which does not exist',
    'shop runs services/shop/dist/main.js, which no source builds',
    'shop exports traces without OTEL_SERVICE_NAME',
    'shop publishes its metrics port 9464',
    'cache uses image redis, not pinned to an exact version',
  ]);
});
