import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '@cdktf/hcl2json';

// biome-ignore lint/suspicious/noExplicitAny: parsed HCL is plain data, checked field by field
type Hcl = Record<string, any>;

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

const resources = (files: Array<{ file: string; hcl: Hcl }>, type: string) =>
  files.flatMap(({ file, hcl }) =>
    Object.entries(hcl.resource?.[type] ?? {}).flatMap(([name, blocks]) =>
      (blocks as Hcl[]).map((block) => ({ where: `${file}: ${type}.${name}`, name, block })),
    ),
  );

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
