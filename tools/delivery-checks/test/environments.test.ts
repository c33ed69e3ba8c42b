import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { type K8sObject, parseManifests, renderKustomization } from '../src/kubernetes.js';
import {
  externalSecretViolations,
  streamReplicaViolations,
  subnetViolations,
} from '../src/kubernetes-policy.js';
import { readTerraform, readTfvars, subnetCidrs, writtenSecrets } from '../src/terraform.js';

/** What one environment's Terraform makes and what its overlay expects of it agree. */
const root = new URL('../../../', import.meta.url).pathname;
const terraform = await readTerraform(`${root}deploy/terraform`);

test.each(['dev', 'staging', 'prod'])(
  'the %s overlay lets pods reach the data subnets its Terraform makes, and the ALB in its public subnets reach the gateway, and nothing wider',
  async (environment) => {
    const { vpc_cidr } = await readTfvars(
      `${root}deploy/terraform/environments/${environment}.tfvars`,
    );
    const subnets = {
      data: subnetCidrs(terraform, 'data', vpc_cidr),
      public: subnetCidrs(terraform, 'public', vpc_cidr),
    };
    expect(subnets.data).toHaveLength(3);
    expect(subnets.public).toHaveLength(3);
    const objects = renderKustomization(`${root}deploy/k8s/overlays/${environment}`);
    expect(subnetViolations(objects, subnets)).toEqual([]);
  },
);

test.each(['dev', 'staging', 'prod'])(
  "the %s overlay's Ingress serves the domain its Terraform makes a zone and a certificate for",
  async (environment) => {
    const { domain } = await readTfvars(
      `${root}deploy/terraform/environments/${environment}.tfvars`,
    );
    const objects = renderKustomization(`${root}deploy/k8s/overlays/${environment}`);
    const ingress = objects.find((object) => object.kind === 'Ingress') as K8sObject;
    expect(ingress.spec.rules.map((rule: K8sObject) => rule.host)).toEqual([domain]);
    expect(ingress.spec.tls[0].hosts).toEqual([domain]);
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

test('a data-store rule for another network than the environment, or a gateway open to an ingress controller that is not there, is caught', () => {
  const broken = parseManifests(
    readFileSync(new URL('fixtures/k8s-broken.yaml', import.meta.url), 'utf8'),
  );
  const prod = {
    data: subnetCidrs(terraform, 'data', '10.20.0.0/16'),
    public: subnetCidrs(terraform, 'public', '10.20.0.0/16'),
  };
  expect(prod).toEqual({
    data: ['10.20.128.0/20', '10.20.144.0/20', '10.20.160.0/20'],
    public: ['10.20.0.0/20', '10.20.16.0/20', '10.20.32.0/20'],
  });
  expect(subnetViolations(broken, prod)).toEqual([
    'NetworkPolicy/allow-data-stores: PostgreSQL and Redis at 10.0.128.0/18, but the data subnets are 10.20.128.0/20, 10.20.144.0/20, 10.20.160.0/20',
    'NetworkPolicy/gateway-from-ingress: the load balancer at (nowhere), but the public subnets are 10.20.0.0/20, 10.20.16.0/20, 10.20.32.0/20',
  ]);
});

test.each(['dev', 'staging', 'prod'])(
  'every key the %s workloads read from Secrets Manager is one Terraform writes there',
  (environment) => {
    const written = writtenSecrets(terraform, environment);
    expect([...written.keys()]).toHaveLength(11);
    const objects = renderKustomization(`${root}deploy/k8s/overlays/${environment}`);
    expect(externalSecretViolations(objects, written)).toEqual([]);
    // The PostgreSQL exporter's chart reads its URL from the Secret of its ExternalSecret.
    const exporter = parseManifests(
      readFileSync(
        `${root}deploy/argocd/environments/${environment}/postgres-exporter.yaml`,
        'utf8',
      ),
    )[0] as K8sObject;
    const { name, key } = exporter.spec.source.helm.valuesObject.config.datasourceSecret;
    const external = objects.find(
      (object) => object.kind === 'ExternalSecret' && object.spec.target.name === name,
    ) as K8sObject;
    expect(external.metadata.namespace).toBe(exporter.spec.destination.namespace);
    expect([...(written.get(external.spec.dataFrom[0].extract.key) ?? [])]).toContain(key);
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
