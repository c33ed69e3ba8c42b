import { directoryOf, type Hcl, resources } from './terraform.js';

type Files = Array<{ file: string; hcl: Hcl }>;

/** The `aws_kms_key` an expression names (`${aws_kms_key.this.arn}` → `this`), if any. */
const keyNamed = (expression: unknown) => /aws_kms_key\.(\w+)\./.exec(String(expression))?.[1];

/**
 * Every data store is encrypted with a KMS key (RDS, ElastiCache, ECR, S3, log groups, EKS
 * secrets, Secrets Manager), and no key of a module serves two kinds of store: revoking or
 * auditing one store's key never touches another's. A key handed in by a variable counts as one.
 */
function keyViolations(files: Files): string[] {
  const violations: string[] = [];
  const encrypted = new Set(
    resources(files, 'aws_s3_bucket_server_side_encryption_configuration').map(({ block }) => [
      /aws_s3_bucket\.(\w+)\./.exec(String(block.bucket))?.[1],
      block.rule?.[0]?.apply_server_side_encryption_by_default?.[0]?.kms_master_key_id,
    ]),
  );
  const stores: Array<[string, (block: Hcl, name: string) => unknown]> = [
    ['aws_db_instance', (block) => block.kms_key_id],
    ['aws_elasticache_replication_group', (block) => block.kms_key_id],
    ['aws_ecr_repository', (block) => block.encryption_configuration?.[0]?.kms_key],
    ['aws_cloudwatch_log_group', (block) => block.kms_key_id],
    ['aws_eks_cluster', (block) => block.encryption_config?.[0]?.provider?.[0]?.key_arn],
    ['aws_secretsmanager_secret', (block) => block.kms_key_id],
    ['aws_s3_bucket', (_, name) => [...encrypted].find(([bucket]) => bucket === name)?.[1]],
  ];
  const kindsOfKey = new Map<string, Set<string>>();
  for (const [type, keyOf] of stores) {
    for (const { where, file, name, block } of resources(files, type)) {
      const key = keyOf(block, name);
      if (!key || !/aws_kms_key\.|var\.\w*kms/.test(String(key))) {
        violations.push(`${where}: not encrypted with a KMS key`);
        continue;
      }
      const named = keyNamed(key);
      if (!named) continue;
      const id = `${directoryOf(file)}: aws_kms_key.${named}`;
      kindsOfKey.set(id, new Set([...(kindsOfKey.get(id) ?? []), type]));
    }
  }
  for (const [key, kinds] of kindsOfKey) {
    if (kinds.size > 1) violations.push(`${key}: encrypts ${[...kinds].join(' and ')}`);
  }
  return violations;
}

/**
 * Security-group rules are resources of their own (`aws_vpc_security_group_ingress_rule`): inline
 * blocks replace the group's whole set on any change and fight rules added beside them.
 */
function inlineRuleViolations(files: Files): string[] {
  return resources(files, 'aws_security_group')
    .filter(({ block }) => block.ingress || block.egress)
    .map(({ where }) => `${where}: rules inline; make each an ingress or egress rule resource`);
}

/**
 * Instances answer the metadata service only with a token (IMDSv2) and one hop away, so a pod
 * cannot take its node's role; every node group launches from such a template.
 */
function metadataViolations(files: Files): string[] {
  const violations: string[] = [];
  for (const type of ['aws_launch_template', 'aws_instance']) {
    for (const { where, block } of resources(files, type)) {
      const options = block.metadata_options?.[0] ?? {};
      if (options.http_tokens !== 'required')
        violations.push(`${where}: the metadata service answers without a token`);
      if (options.http_put_response_hop_limit !== 1)
        violations.push(`${where}: the metadata service answers beyond one hop`);
    }
  }
  for (const { where, block } of resources(files, 'aws_eks_node_group')) {
    if (!block.launch_template)
      violations.push(`${where}: nodes launched from no template of ours`);
  }
  return violations;
}

const managedRuleGroups = [
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesAmazonIpReputationList',
];

/** A regional web ACL (the ALB's) with AWS's managed rule groups and a rate limit per address. */
function webAclViolations(files: Files): string[] {
  const acls = resources(files, 'aws_wafv2_web_acl').filter(
    ({ block }) => block.scope === 'REGIONAL',
  );
  if (acls.length === 0) return ['no regional web ACL for the load balancer'];
  return acls.flatMap(({ where, block }) => {
    const text = JSON.stringify(block);
    return [
      ...managedRuleGroups
        .filter((group) => !text.includes(`"${group}"`))
        .map((group) => `${where}: no ${group}`),
      ...(text.includes('"rate_based_statement"') ? [] : [`${where}: no rate limit per address`]),
    ];
  });
}

const endpointServices = ['s3', 'ecr.api', 'ecr.dkr', 'sts', 'secretsmanager', 'logs'];

/** The VPC reaches the AWS APIs the nodes and pods call through endpoints of its own. */
function endpointViolations(files: Files): string[] {
  const served = resources(files, 'aws_vpc_endpoint').flatMap(({ block }) => {
    const service = String(block.service_name ?? '');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Terraform's interpolation, as hcl2json gives it
    if (!service.includes('${each.key}')) return [service];
    const listed = /toset\(\[([^\]]*)\]\)/.exec(String(block.for_each))?.[1] ?? '';
    return [...listed.matchAll(/"([^"]+)"/g)].map((match) => match[1]);
  });
  // `com.amazonaws.<region>.ecr.api` serves ecr.api; a for_each's key is the service itself.
  const names = (service: string) =>
    served.some((name) => name === service || name?.endsWith(`.${service}`));
  return endpointServices
    .filter((service) => !names(service))
    .map((service) => `no VPC endpoint for ${service}`);
}

/** Every bucket blocks public access whatever its policy or ACLs say, and keeps versions. */
function bucketViolations(files: Files): string[] {
  const bucketsWith = (type: string, holds: (block: Hcl) => boolean) =>
    new Set(
      resources(files, type)
        .filter(({ block }) => holds(block))
        .map(({ block }) => /aws_s3_bucket\.(\w+)\./.exec(String(block.bucket))?.[1]),
    );
  const blocked = bucketsWith(
    'aws_s3_bucket_public_access_block',
    (block) =>
      block.block_public_acls === true &&
      block.block_public_policy === true &&
      block.ignore_public_acls === true &&
      block.restrict_public_buckets === true,
  );
  const versioned = bucketsWith(
    'aws_s3_bucket_versioning',
    (block) => block.versioning_configuration?.[0]?.status === 'Enabled',
  );
  return resources(files, 'aws_s3_bucket').flatMap(({ where, name }) => [
    ...(blocked.has(name) ? [] : [`${where}: public access not blocked`]),
    ...(versioned.has(name) ? [] : [`${where}: no versions kept`]),
  ]);
}

/**
 * The AWS edge and hardening rules over parsed HCL: a key per kind of data store, rules as
 * resources, IMDSv2 one hop away, a web ACL in front of the ALB, VPC endpoints for the APIs in
 * use, private versioned buckets.
 */
export function hardeningViolations(files: Files): string[] {
  return [
    ...keyViolations(files),
    ...inlineRuleViolations(files),
    ...metadataViolations(files),
    ...webAclViolations(files),
    ...endpointViolations(files),
    ...bucketViolations(files),
  ];
}
