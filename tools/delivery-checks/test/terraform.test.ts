import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import {
  eksViolations,
  readTerraform,
  readTfvars,
  terraformViolations,
  unformatted,
} from '../src/terraform.js';

const terraform = new URL('../../../deploy/terraform/', import.meta.url).pathname;
const broken = new URL('fixtures/terraform-broken/', import.meta.url).pathname;

test('the Terraform is formatted as `terraform fmt` wants', () => {
  expect(unformatted(terraform)).toEqual([]);
});

test('modules and root keep the rules: typed and described variables, encryption, nothing public', async () => {
  const files = await readTerraform(terraform);
  expect(files.map(({ file }) => file.split('/')[1]).filter(Boolean)).toEqual(
    expect.arrayContaining(['network', 'eks', 'rds', 'elasticache', 'ecr', 'iam', 'secrets']),
  );
  expect(terraformViolations(files)).toEqual([]);
});

test('the EKS API endpoint is private unless networks are named, and NetworkPolicies are enforced, as Terraform evaluates it', async () => {
  expect(eksViolations(await readTerraform(terraform))).toEqual([]);
});

test('an endpoint public whatever the networks given, or with none named, and a CNI that ignores policies are caught', async () => {
  expect(eksViolations(await readTerraform(broken))).toEqual([
    'modules/eks/main.tf: aws_eks_cluster.open_to_all: no VPC CNI add-on that enforces NetworkPolicies',
    'modules/eks/main.tf: aws_eks_cluster.open_to_all: the API endpoint is public and no networks are named',
    'modules/eks/main.tf: aws_eks_cluster.private_in_name_only: no VPC CNI add-on that enforces NetworkPolicies',
    'modules/eks/main.tf: aws_eks_cluster.private_in_name_only: the API endpoint is public when no networks are named',
  ]);
});

test('prod is multi-AZ with a NAT per zone and deletion protection; dev shares one NAT', async () => {
  const prod = await readTfvars(`${terraform}environments/prod.tfvars`);
  const dev = await readTfvars(`${terraform}environments/dev.tfvars`);
  expect(prod).toMatchObject({
    db_multi_az: true,
    db_deletion_protection: true,
    nat_per_zone: true,
  });
  expect(prod.redis_replicas).toBeGreaterThan(0);
  expect(dev).toMatchObject({ nat_per_zone: false });
});

test('each environment keeps its state in S3, encrypted and locked', () => {
  for (const environment of ['dev', 'prod']) {
    const backend = readFileSync(`${terraform}environments/${environment}.s3.tfbackend`, 'utf8');
    expect(backend).toMatch(/^encrypt\s*=\s*true$/m);
    expect(backend).toMatch(/^use_lockfile\s*=\s*true$/m);
  }
});

test('Terraform that breaks each rule is caught', async () => {
  expect(terraformViolations(await readTerraform(broken))).toEqual([
    'modules/db/main.tf: variable name has no type',
    'modules/db/main.tf: variable name has no description',
    'modules/db/main.tf: aws_db_instance.db: storage is not encrypted',
    'modules/db/main.tf: aws_db_instance.db: may be publicly accessible',
    'modules/db/main.tf: aws_db_instance.db: not encrypted with a key of its own',
    'modules/db/main.tf: aws_elasticache_replication_group.cache: no TLS in transit',
    'modules/db/main.tf: aws_elasticache_replication_group.cache: not encrypted at rest',
    'modules/db/main.tf: aws_elasticache_replication_group.cache: no AUTH token',
    'modules/db/main.tf: aws_ecr_repository.images: tags can be overwritten',
    'modules/db/main.tf: aws_ecr_repository.images: images are not scanned on push',
    'modules/db/main.tf: aws_secretsmanager_secret.password: not encrypted with a key of its own',
    'modules/db/main.tf: aws_iam_role_policy.reader: reads secrets it may not decrypt',
    'modules/db/main.tf: aws_security_group.db: ingress open to 0.0.0.0/0',
    'modules/db: no outputs',
  ]);
});

test('a file laid out otherwise than `terraform fmt` would is caught', () => {
  const unformattedDirectory = new URL('fixtures/terraform-unformatted/', import.meta.url).pathname;
  expect(unformatted(unformattedDirectory)).toEqual([expect.stringMatching(/main\.tf$/)]);
});
