import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { type K8sObject, parseManifests, renderKustomization } from '../src/kubernetes.js';
import {
  dataStoreViolations,
  externalSecretViolations,
  streamReplicaViolations,
} from '../src/kubernetes-policy.js';
import { dataSubnetCidrs, readTerraform, readTfvars, writtenSecrets } from '../src/terraform.js';

/** What one environment's Terraform makes and what its overlay expects of it agree. */
const root = new URL('../../../', import.meta.url).pathname;
const terraform = await readTerraform(`${root}deploy/terraform`);

test.each(['dev', 'staging', 'prod'])(
  'the %s overlay lets pods reach the data subnets its Terraform makes, and nothing wider',
  async (environment) => {
    const { vpc_cidr } = await readTfvars(
      `${root}deploy/terraform/environments/${environment}.tfvars`,
    );
    const subnets = dataSubnetCidrs(terraform, vpc_cidr);
    expect(subnets).toHaveLength(3);
    const objects = renderKustomization(`${root}deploy/k8s/overlays/${environment}`);
    expect(dataStoreViolations(objects, subnets)).toEqual([]);
  },
);

const natsOf = (environment: string) =>
  parseManifests(
    readFileSync(`${root}deploy/argocd/environments/${environment}/nats.yaml`, 'utf8'),
  )[0] as K8sObject;

test.each(['dev', 'staging', 'prod'])(
  'the %s overlay keeps the event stream on every server its NATS runs',
  (environment) => {
    const objects = renderKustomization(`${root}deploy/k8s/overlays/${environment}`);
    expect(streamReplicaViolations(objects, natsOf(environment))).toEqual([]);
  },
);

test('a stream on one server of a three-server NATS is caught', () => {
  const broken = parseManifests(
    readFileSync(new URL('fixtures/k8s-broken.yaml', import.meta.url), 'utf8'),
  );
  expect(streamReplicaViolations(broken, natsOf('prod'))).toEqual([
    'ConfigMap/bazaar-settings: NATS_STREAM_REPLICAS is 1, but NATS runs 3 servers',
  ]);
});

test('a data-store rule for another network than the environment is caught', () => {
  const broken = parseManifests(
    readFileSync(new URL('fixtures/k8s-broken.yaml', import.meta.url), 'utf8'),
  );
  const prod = dataSubnetCidrs(terraform, '10.20.0.0/16');
  expect(prod).toEqual(['10.20.128.0/20', '10.20.144.0/20', '10.20.160.0/20']);
  expect(dataStoreViolations(broken, prod)).toEqual([
    'NetworkPolicy/allow-data-stores: PostgreSQL and Redis at 10.0.128.0/18, but the data subnets are 10.20.128.0/20, 10.20.144.0/20, 10.20.160.0/20',
  ]);
});

test.each(['dev', 'staging', 'prod'])(
  'every key the %s workloads read from Secrets Manager is one Terraform writes there',
  (environment) => {
    const written = writtenSecrets(terraform, environment);
    expect([...written.keys()]).toHaveLength(9);
    const objects = renderKustomization(`${root}deploy/k8s/overlays/${environment}`);
    expect(externalSecretViolations(objects, written)).toEqual([]);
  },
);

test('a secret Terraform does not write, or writes without a key a workload reads, is caught', async () => {
  const broken = await readTerraform(
    new URL('fixtures/terraform-secrets-broken/', import.meta.url).pathname,
  );
  const objects = renderKustomization(`${root}deploy/k8s/overlays/prod`);
  expect(externalSecretViolations(objects, writtenSecrets(broken, 'prod'))).toEqual([
    'ExternalSecret/bazaar-notifications: reads bazaar/prod/notifications, which Terraform does not write',
    'Deployment/notifications: reads DATABASE_URL of Secret/bazaar-notifications, which Terraform does not write',
    'Deployment/notifications: reads SMTP_URL of Secret/bazaar-notifications, which Terraform does not write',
    'Deployment/payments: reads PAYMENT_WEBHOOK_SECRET of Secret/bazaar-payments, which Terraform does not write',
    'Job/bazaar-migrate: reads ORDERS_DATABASE_URL of Secret/bazaar-migrate, which Terraform does not write',
  ]);
});
