import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from '@cdktf/hcl2json';

// biome-ignore lint/suspicious/noExplicitAny: parsed HCL is plain data, checked field by field
export type Hcl = Record<string, any>;

/** Every .tf file under `directory`, parsed to JSON with HashiCorp's own HCL parser (WebAssembly). */
export async function readTerraform(directory: string): Promise<Array<{ file: string; hcl: Hcl }>> {
  const files = readdirSync(directory, { recursive: true, encoding: 'utf8' }).filter(
    (file) => file.endsWith('.tf') && !file.includes('.terraform/'),
  );
  return Promise.all(
    files.map(async (file) => ({
      file,
      hcl: (await parse(file, readFileSync(join(directory, file), 'utf8'))) as Hcl,
    })),
  );
}

/** tfvars files are HCL too: name → value. */
export async function readTfvars(path: string): Promise<Hcl> {
  return (await parse(path, readFileSync(path, 'utf8'))) as Hcl;
}

/** Files `terraform fmt` would change (it exits non-zero and lists them). */
export function unformatted(directory: string): string[] {
  try {
    execFileSync('terraform', ['fmt', '-check', '-recursive', '-list=true', directory], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return [];
  } catch (error) {
    return String((error as { stdout?: string }).stdout ?? '')
      .split('\n')
      .filter(Boolean);
  }
}

/** Every resource of `type`, each block with where it is (`modules/rds/main.tf: aws_db_instance.this`). */
export const resources = (files: Array<{ file: string; hcl: Hcl }>, type: string) =>
  files.flatMap(({ file, hcl }) =>
    Object.entries(hcl.resource?.[type] ?? {}).flatMap(([name, blocks]) =>
      (blocks as Hcl[]).map((block) => ({ where: `${file}: ${type}.${name}`, file, name, block })),
    ),
  );

/** One file's locals, from all its `locals` blocks. */
const localsIn = (files: Array<{ file: string; hcl: Hcl }>, file: string): Hcl =>
  Object.assign({}, ...(files.find((candidate) => candidate.file === file)?.hcl.locals ?? []));

/**
 * The rules of the issue over parsed HCL: every variable typed and described; RDS encrypted and
 * private; Redis encrypted in transit and at rest with AUTH; ECR immutable and scanned; no
 * security group open to 0.0.0.0/0 except one for a load balancer; each module has outputs.
 */
export function terraformViolations(files: Array<{ file: string; hcl: Hcl }>): string[] {
  const violations: string[] = [];
  for (const { file, hcl } of files) {
    for (const [name, blocks] of Object.entries(hcl.variable ?? {})) {
      const variable = (blocks as Hcl[])[0] ?? {};
      if (!variable.type) violations.push(`${file}: variable ${name} has no type`);
      if (!variable.description) violations.push(`${file}: variable ${name} has no description`);
    }
    for (const [name, blocks] of Object.entries(hcl.output ?? {})) {
      if (!(blocks as Hcl[])[0]?.description)
        violations.push(`${file}: output ${name} has no description`);
    }
  }
  for (const { where, block } of resources(files, 'aws_db_instance')) {
    if (block.storage_encrypted !== true) violations.push(`${where}: storage is not encrypted`);
    if (block.publicly_accessible !== false)
      violations.push(`${where}: may be publicly accessible`);
    if (!block.kms_key_id) violations.push(`${where}: not encrypted with a key of its own`);
  }
  for (const { where, block } of resources(files, 'aws_elasticache_replication_group')) {
    if (block.transit_encryption_enabled !== true) violations.push(`${where}: no TLS in transit`);
    if (block.at_rest_encryption_enabled !== true)
      violations.push(`${where}: not encrypted at rest`);
    if (!block.auth_token) violations.push(`${where}: no AUTH token`);
  }
  for (const { where, block } of resources(files, 'aws_ecr_repository')) {
    if (block.image_tag_mutability !== 'IMMUTABLE')
      violations.push(`${where}: tags can be overwritten`);
    if (block.image_scanning_configuration?.[0]?.scan_on_push !== true)
      violations.push(`${where}: images are not scanned on push`);
  }
  for (const { where, block } of resources(files, 'aws_secretsmanager_secret')) {
    if (!block.kms_key_id) violations.push(`${where}: not encrypted with a key of its own`);
  }
  // A secret under a key of its own is read only by whom that key lets decrypt it.
  for (const { where, file, block } of resources(files, 'aws_iam_role_policy')) {
    const locals = localsIn(files, file);
    const policy = String(block.policy ?? '');
    const decrypts =
      policy.includes('kms:Decrypt') ||
      Object.keys(locals).some(
        (name) =>
          policy.includes(`local.${name}`) && JSON.stringify(locals[name]).includes('kms:Decrypt'),
      );
    if (policy.includes('secretsmanager:GetSecretValue') && !decrypts) {
      violations.push(`${where}: reads secrets it may not decrypt`);
    }
  }
  const openRules = [
    ...resources(files, 'aws_security_group').flatMap(({ where, name, block }) =>
      (block.ingress ?? []).map((rule: Hcl) => ({ where, name, cidrs: rule.cidr_blocks })),
    ),
    ...resources(files, 'aws_vpc_security_group_ingress_rule').map(({ where, name, block }) => ({
      where,
      name,
      cidrs: [block.cidr_ipv4],
    })),
  ];
  for (const { where, name, cidrs } of openRules) {
    if ((cidrs ?? []).includes('0.0.0.0/0') && !/load_balancer|\blb\b|alb|nlb/.test(name)) {
      violations.push(`${where}: ingress open to 0.0.0.0/0`);
    }
  }
  const directories = new Set(files.map(({ file }) => file.split('/').slice(0, -1).join('/')));
  for (const directory of directories) {
    const outputs = files.filter(
      ({ file, hcl }) =>
        file.startsWith(`${directory}/`) && Object.keys(hcl.output ?? {}).length > 0,
    );
    if (directory.startsWith('modules/') && outputs.length === 0)
      violations.push(`${directory}: no outputs`);
  }
  return violations;
}

/**
 * The values of HCL expressions (as hcl2json gives them, `${…}`), worked out by `terraform
 * console` itself in a scratch directory holding just the variables they read: Terraform's own
 * type conversions and functions, no provider needed.
 */
export function evaluateTerraform(
  expressions: readonly string[],
  variables: Readonly<Record<string, { type: string; value: unknown }>>,
): unknown[] {
  const scratch = mkdtempSync(join(tmpdir(), 'bazaar-tf-'));
  try {
    writeFileSync(
      join(scratch, 'main.tf'),
      Object.entries(variables)
        .map(([name, { type }]) => `variable "${name}" {\n  type = ${type}\n}\n`)
        .join(''),
    );
    // One tuple: the console prints one line for it.
    const output = execFileSync(
      'terraform',
      [
        'console',
        ...Object.entries(variables).flatMap(([name, { value }]) => [
          '-var',
          // A string is taken as it is; anything else is read as HCL (JSON is HCL).
          `${name}=${typeof value === 'string' ? value : JSON.stringify(value)}`,
        ]),
      ],
      {
        cwd: scratch,
        input: `jsonencode([${expressions.map(bare).join(', ')}])\n`,
        encoding: 'utf8',
        stdio: ['pipe', 'pipe', 'ignore'],
      },
    );
    return JSON.parse(JSON.parse(output.trim()));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The type a module's variable is declared with, as HCL (`list(string)`). */
function declaredType(files: Array<{ file: string; hcl: Hcl }>, directory: string, name: string) {
  const declared = files.find(
    ({ file, hcl }) => file.startsWith(`${directory}/`) && hcl.variable?.[name],
  )?.hcl.variable[name][0]?.type;
  return bare(String(declared ?? 'any'));
}

/** An expression as Terraform writes it, from hcl2json's `${…}`. */
const bare = (expression: string) => expression.replace(/^\$\{([\s\S]*)\}$/, '$1');

/**
 * The CIDRs of one tier of subnets (`data`: PostgreSQL and Redis; `public`: the load balancers)
 * the network module makes from `vpcCidr`, by Terraform's own evaluation of their `cidr_block`
 * for each `count.index`.
 */
export function subnetCidrs(
  files: Array<{ file: string; hcl: Hcl }>,
  tier: 'data' | 'public',
  vpcCidr: string,
): string[] {
  const subnet = resources(files, 'aws_subnet').find(({ where }) =>
    where.endsWith(`aws_subnet.${tier}`),
  );
  if (!subnet) throw new Error(`no aws_subnet.${tier} in the Terraform`);
  const input = /var\.(\w+)/.exec(String(subnet.block.cidr_block))?.[1] ?? 'cidr';
  const expressions = Array.from({ length: Number(subnet.block.count) }, (_, index) =>
    bare(String(subnet.block.cidr_block)).replaceAll('count.index', String(index)),
  );
  return evaluateTerraform(expressions, {
    [input]: { type: 'string', value: vpcCidr },
  }) as string[];
}

/** The module directory of a file or of a resource's `where` (`modules/rds`). */
export const directoryOf = (where: string) =>
  (where.split(':')[0] ?? '').split('/').slice(0, -1).join('/');

/**
 * Each EKS cluster as Terraform evaluates it: its API endpoint reachable from the internet only
 * when the networks allowed are named, and then from those alone (`vpc_config` worked out with
 * none and with one network given); and the VPC CNI add-on told to enforce NetworkPolicies.
 */
export function eksViolations(files: Array<{ file: string; hcl: Hcl }>): string[] {
  const violations: string[] = [];
  for (const { where, block } of resources(files, 'aws_eks_cluster')) {
    const config = block.vpc_config?.[0] ?? {};
    const directory = directoryOf(where);
    const cni = resources(files, 'aws_eks_addon').find(
      (addon) => directoryOf(addon.where) === directory && addon.block.addon_name === 'vpc-cni',
    );
    const enforced =
      cni?.block.configuration_values &&
      evaluateTerraform([`jsondecode(${bare(cni.block.configuration_values)})`], {})[0];
    if ((enforced as Hcl | undefined)?.enableNetworkPolicy !== 'true')
      violations.push(`${where}: no VPC CNI add-on that enforces NetworkPolicies`);
    const input = /var\.(\w+)/.exec(String(config.public_access_cidrs ?? ''))?.[1];
    if (!input) {
      if (config.endpoint_public_access !== false)
        violations.push(`${where}: the API endpoint is public and no networks are named`);
      continue;
    }
    const type = declaredType(files, directory, input);
    const expressions = [
      String(config.endpoint_public_access ?? 'true'),
      String(config.public_access_cidrs),
    ];
    const [publicWithNone] = evaluateTerraform(expressions, { [input]: { type, value: [] } });
    const office = ['203.0.113.0/24'];
    const [publicWithOne, allowed] = evaluateTerraform(expressions, {
      [input]: { type, value: office },
    });
    if (publicWithNone !== false)
      violations.push(`${where}: the API endpoint is public when no networks are named`);
    if (publicWithOne !== true || JSON.stringify(allowed) !== JSON.stringify(office))
      violations.push(`${where}: the API endpoint is not limited to the networks named`);
  }
  return violations;
}

/**
 * What Terraform writes into Secrets Manager for `environment`: secret name → the variables it
 * holds. Read from the `secrets` local of the module whose secrets are named
 * `${var.secret_prefix}/${each.key}`, under the root's `secret_prefix`.
 */
export function writtenSecrets(
  files: Array<{ file: string; hcl: Hcl }>,
  environment: string,
): Map<string, Set<string>> {
  const prefix = String(localsIn(files, 'live/main.tf').secret_prefix ?? '').replace(
    /\$\{var\.environment\}/,
    environment,
  );
  const written = new Map<string, Set<string>>();
  for (const { file, block } of resources(files, 'aws_secretsmanager_secret')) {
    if (!/^\$\{var\.secret_prefix\}\/\$\{each\.key\}$/.test(block.name)) continue;
    const secrets: Hcl = localsIn(files, file).secrets ?? {};
    for (const [name, variables] of Object.entries(secrets)) {
      written.set(`${prefix}/${name}`, new Set(Object.keys(variables as Hcl)));
    }
  }
  return written;
}

/** What an environment's Terraform makes, by the names the platform layer refers to it. */
export type EnvironmentNames = {
  cluster: string;
  domain: string;
  region: string;
  logGroup: string;
  alertTopic: string;
  interruptionQueue: string;
  nodeRole: string;
};

/**
 * The names an environment's Terraform gives what the cluster's platform layer refers to, worked
 * out by `terraform console` from the root's `name` local and the platform and EKS modules'
 * expressions, with the environment's tfvars.
 */
export function environmentNames(
  files: Array<{ file: string; hcl: Hcl }>,
  tfvars: Hcl,
): EnvironmentNames {
  // hcl2json gives a template such as "bazaar-${var.environment}" as its text: quoted, it is one.
  const template = (value: unknown) =>
    /^\$\{[\s\S]*\}$/.test(String(value)) ? bare(String(value)) : JSON.stringify(value);
  const [cluster] = evaluateTerraform([template(localsIn(files, 'live/main.tf').name)], {
    environment: { type: 'string', value: tfvars.environment },
  }) as [string];
  const platform = 'modules/platform/main.tf';
  const topic = resources(files, 'aws_sns_topic').find(({ file }) => file === platform);
  const [logGroup, alertTopic] = evaluateTerraform(
    [template(localsIn(files, platform).log_group), template(topic?.block.name)],
    { name: { type: 'string', value: cluster } },
  ) as [string, string];
  const inEks = (type: string, name: string) =>
    resources(files, type).find(
      (each) => each.file.startsWith('modules/eks/') && each.name === name,
    )?.block;
  const [interruptionQueue, nodeRole] = evaluateTerraform(
    [
      template(inEks('aws_sqs_queue', 'interruptions')?.name),
      template(inEks('aws_iam_role', 'node')?.name),
    ],
    { name: { type: 'string', value: cluster } },
  ) as [string, string];
  return {
    cluster,
    domain: tfvars.domain,
    region: tfvars.region,
    logGroup,
    alertTopic,
    interruptionQueue,
    nodeRole,
  };
}
