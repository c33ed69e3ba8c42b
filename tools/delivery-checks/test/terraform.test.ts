import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import {
  eksViolations,
  evaluateTerraform,
  readTerraform,
  readTfvars,
  resources,
  terraformViolations,
  unformatted,
} from '../src/terraform.js';
import { hardeningViolations } from '../src/terraform-hardening.js';

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

test('each environment keeps its state in S3, encrypted and locked, in the bucket the bootstrap makes for it', async () => {
  const files = await readTerraform(terraform);
  const [bucket] = resources(files, 'aws_s3_bucket').filter(
    ({ file }) => file === 'bootstrap/main.tf',
  );
  for (const environment of ['dev', 'staging', 'prod']) {
    const backend = readFileSync(`${terraform}environments/${environment}.s3.tfbackend`, 'utf8');
    expect(backend).toMatch(/^encrypt\s*=\s*true$/m);
    expect(backend).toMatch(/^use_lockfile\s*=\s*true$/m);
    const [made] = evaluateTerraform([JSON.stringify(bucket?.block.bucket)], {
      environment: { type: 'string', value: environment },
    });
    expect(backend).toMatch(new RegExp(`^bucket\\s*=\\s*"${made}"$`, 'm'));
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

test('the AWS edge and hardening: a key per kind of store, rules as resources, IMDSv2 one hop away, a web ACL in front of the ALB, VPC endpoints, private versioned buckets', async () => {
  const files = await readTerraform(terraform);
  expect(files.map(({ file }) => file)).toContain('bootstrap/main.tf');
  expect(hardeningViolations(files)).toEqual([]);
});

test('Terraform that breaks each hardening rule is caught', async () => {
  const fixture = new URL('fixtures/terraform-hardening-broken/', import.meta.url).pathname;
  expect(hardeningViolations(await readTerraform(fixture))).toEqual([
    'modules/edge/main.tf: aws_elasticache_replication_group.cache: not encrypted with a KMS key',
    'modules/edge/main.tf: aws_ecr_repository.images: not encrypted with a KMS key',
    'modules/edge: aws_kms_key.shared: encrypts aws_db_instance and aws_s3_bucket',
    'modules/edge/main.tf: aws_security_group.db: rules inline; make each an ingress or egress rule resource',
    'modules/edge/main.tf: aws_launch_template.node: the metadata service answers without a token',
    'modules/edge/main.tf: aws_launch_template.node: the metadata service answers beyond one hop',
    'modules/edge/main.tf: aws_eks_node_group.default: nodes launched from no template of ours',
    'modules/edge/main.tf: aws_wafv2_web_acl.edge: no AWSManagedRulesKnownBadInputsRuleSet',
    'modules/edge/main.tf: aws_wafv2_web_acl.edge: no rate limit per address',
    'no VPC endpoint for logs',
    'modules/edge/main.tf: aws_s3_bucket.images: public access not blocked',
    'modules/edge/main.tf: aws_s3_bucket.images: no versions kept',
  ]);
});
