import { expect, test } from 'vitest';
import { connectionBudget } from '../src/connections.js';
import { renderKustomization } from '../src/kubernetes.js';
import { readTfvars } from '../src/terraform.js';

const root = new URL('../../../', import.meta.url).pathname;

test.for(['dev', 'staging', 'prod'])(
  "the %s environment's PostgreSQL holds every connection at the autoscalers' maxima, through PgBouncer",
  async (environment, { annotate }) => {
    const { db_instance_class } = await readTfvars(
      `${root}deploy/terraform/environments/${environment}.tfvars`,
    );
    const objects = renderKustomization(`${root}deploy/k8s/overlays/${environment}`);
    const { budget, violations } = connectionBudget(objects, db_instance_class);
    await annotate(`${db_instance_class}: ${JSON.stringify(budget)}`);
    expect(violations).toEqual([]);
    // PostgreSQL sees fewer connections than the services' own pools would open without PgBouncer.
    const opened = Object.values(budget?.uses ?? {}).reduce((sum, use) => sum + use, 0);
    expect(opened).toBeLessThan(budget?.clients ?? 0);
  },
);

test('a budget the instance cannot hold, session pooling, no prepared statements, one PgBouncer: each caught', () => {
  const objects = renderKustomization(
    new URL('fixtures/connections-broken/', import.meta.url).pathname,
  );
  expect(connectionBudget(objects, 'db.t4g.medium').violations).toEqual([
    'PgBouncer pools by session: only transaction pooling shares a connection between replicas',
    "PgBouncer keeps no prepared statements (max_prepared_statements): catalog's named ones would fail",
    expect.stringMatching(
      /^PostgreSQL on db\.t4g\.medium takes 405 connections, but at the autoscalers' maxima \d+ may open \(pgbouncer 1400, listen \d+, /,
    ),
    expect.stringMatching(
      /^PgBouncer takes 0 clients with one of its 1 replicas gone, but the services' pools may open \d+$/,
    ),
  ]);
  expect(connectionBudget(objects, 'db.m1.small').violations).toContain(
    'db.m1.small: an instance class of unknown memory',
  );
});
