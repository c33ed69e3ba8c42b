import { cpuCores, type K8sObject, peakReplicas } from './kubernetes.js';
import { type Hcl, resources } from './terraform.js';

type Files = Array<{ file: string; hcl: Hcl }>;

/** The values a NodePool's requirement on `key` allows. */
const requirementValues = (pool: K8sObject, key: string): string[] =>
  (pool.spec.template.spec.requirements ?? []).find(
    (requirement: { key: string }) => requirement.key === key,
  )?.values ?? [];

/** The EC2 events Karpenter acts on before they happen (or as they do). */
const interruptionEvents = [
  'EC2 Spot Instance Interruption Warning',
  'EC2 Instance Rebalance Recommendation',
  'AWS Health Event',
  'EC2 Instance State-change Notification',
];

/**
 * What Karpenter's nodes must be for Bazaar, one line each:
 * - the pool Bazaar's services run on takes Spot, across at least three instance families (one
 *   Spot pool's reclaim leaves the others); every pool without a taint (the rest of the cluster's
 *   pods, stateful ones among them) is on-demand only;
 * - the node class asks for IMDSv2 one hop away and encrypted volumes, as the managed nodes do;
 * - each service selects a pool and tolerates its taints, and spreads over nodes strictly, so a
 *   node's loss takes one replica;
 * - headroom: the services' pool may grow to every service at its autoscaler's maximum plus one
 *   surge pod each, beside the placeholders that keep a slot free (a rollout with
 *   maxUnavailable: 0 then never waits for a node that cannot come);
 * - Terraform feeds the interruption queue from EventBridge with every event above, and tags the
 *   subnets and security group the node class discovers.
 */
export function karpenterViolations(
  platform: readonly K8sObject[],
  bazaar: readonly K8sObject[],
  files: Files,
): string[] {
  const violations: string[] = [];
  const pools = platform.filter((object) => object.kind === 'NodePool');
  const deployments = bazaar.filter((object) => object.kind === 'Deployment');
  const tolerates = (pod: K8sObject, pool: K8sObject) =>
    (pool.spec.template.spec.taints ?? []).every((taint: K8sObject) =>
      (pod.tolerations ?? []).some(
        (toleration: K8sObject) =>
          toleration.key === taint.key &&
          toleration.value === taint.value &&
          toleration.effect === taint.effect,
      ),
    );
  const poolOf = (pod: K8sObject) =>
    pools.find(
      (pool) =>
        Object.entries(pod.nodeSelector ?? {}).every(
          ([key, value]) => pool.spec.template.metadata?.labels?.[key] === value,
        ) &&
        Object.keys(pod.nodeSelector ?? {}).length > 0 &&
        tolerates(pod, pool),
    );

  for (const pool of pools) {
    const where = `NodePool/${pool.metadata.name}`;
    const capacity = requirementValues(pool, 'karpenter.sh/capacity-type');
    const tainted = (pool.spec.template.spec.taints ?? []).length > 0;
    if (!tainted && capacity.join() !== 'on-demand') {
      violations.push(
        `${where}: takes every untolerating pod, stateful ones too, on ${capacity.join(' or ')}`,
      );
    }
  }
  for (const deployment of deployments) {
    const where = `Deployment/${deployment.metadata.name}`;
    const pod = deployment.spec.template.spec;
    const pool = poolOf(pod);
    if (!pool) {
      violations.push(`${where}: selects no NodePool whose taints it tolerates`);
    } else {
      if (!requirementValues(pool, 'karpenter.sh/capacity-type').includes('spot')) {
        violations.push(`${where}: its NodePool ${pool.metadata.name} takes no Spot`);
      }
      const families = requirementValues(pool, 'karpenter.k8s.aws/instance-family');
      if (families.length < 3) {
        violations.push(
          `${where}: its NodePool ${pool.metadata.name} has ${families.length} instance families, fewer than 3`,
        );
      }
    }
    const strict = (pod.topologySpreadConstraints ?? []).some(
      (constraint: K8sObject) =>
        constraint.topologyKey === 'kubernetes.io/hostname' &&
        constraint.whenUnsatisfiable === 'DoNotSchedule' &&
        constraint.maxSkew === 1,
    );
    if (!strict) violations.push(`${where}: not spread one replica per node`);
  }

  for (const nodeClass of platform.filter((object) => object.kind === 'EC2NodeClass')) {
    const where = `EC2NodeClass/${nodeClass.metadata.name}`;
    const metadata = nodeClass.spec.metadataOptions ?? {};
    if (metadata.httpTokens !== 'required' || metadata.httpPutResponseHopLimit !== 1) {
      violations.push(`${where}: instance metadata not IMDSv2-only one hop away`);
    }
    const mappings = nodeClass.spec.blockDeviceMappings ?? [];
    if (
      mappings.length === 0 ||
      mappings.some((mapping: K8sObject) => mapping.ebs?.encrypted !== true)
    ) {
      violations.push(`${where}: a volume not encrypted`);
    }
  }

  // Headroom: the services' pool at full stretch.
  const headroom = platform.filter(
    (object) => object.kind === 'Deployment' && object.spec.template.spec.priorityClassName,
  );
  const needed = new Map<string, number>();
  for (const deployment of [...deployments, ...headroom]) {
    const pod = deployment.spec.template.spec;
    const pool = poolOf(pod);
    if (!pool) continue;
    const replicas = peakReplicas(bazaar, deployment);
    const cpu = pod.containers.reduce(
      (sum: number, container: K8sObject) =>
        sum + cpuCores(container.resources?.requests?.cpu ?? 0),
      0,
    );
    needed.set(pool.metadata.name, (needed.get(pool.metadata.name) ?? 0) + replicas * cpu);
  }
  for (const [name, cpu] of needed) {
    const limit = cpuCores(pools.find((pool) => pool.metadata.name === name)?.spec.limits?.cpu);
    if (!(limit >= cpu)) {
      violations.push(
        `NodePool/${name}: may grow to ${limit} CPUs, but the services at their maximum with a surge pod each ask ${cpu}`,
      );
    }
  }

  const queues = resources(files, 'aws_sqs_queue').map(({ name }) => `aws_sqs_queue.${name}`);
  const fed = new Set(
    resources(files, 'aws_cloudwatch_event_target')
      .filter(({ block }) => queues.some((queue) => String(block.arn).includes(queue)))
      .map(({ file }) => file),
  );
  const patterns = files
    .filter(({ file }) => fed.has(file))
    .flatMap(({ hcl }) => (hcl.locals ?? []).flatMap((locals: Hcl) => Object.values(locals)))
    .flatMap((value) => (value && typeof value === 'object' ? Object.values(value) : []))
    .flatMap((pattern) => (pattern as Hcl)['detail-type'] ?? []);
  for (const event of interruptionEvents) {
    if (!patterns.includes(event))
      violations.push(`Terraform: no rule sends "${event}" to Karpenter's queue`);
  }
  const tagged = resources(files, 'aws_ec2_tag')
    .filter(({ block }) => block.key === 'karpenter.sh/discovery')
    .map(({ block }) => JSON.stringify(block));
  for (const [what, pattern] of [
    ['subnets', /subnet/],
    ['security group', /security_group/],
  ] as const) {
    if (!tagged.some((resource) => pattern.test(resource))) {
      violations.push(`Terraform: the ${what} carry no karpenter.sh/discovery tag`);
    }
  }
  return violations;
}
