import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import {
  autoscalerOf,
  cpuCores,
  type K8sObject,
  mebibytes,
  renderKustomization,
} from '@bazaar/delivery-checks/kubernetes';
import { readTfvars } from '@bazaar/delivery-checks/terraform';
import {
  type CostLine,
  type EnvironmentSpec,
  monthlyCost,
  planRate,
  prices,
  type ServiceSpec,
} from '../capacity.js';

/**
 * `npm run capacity [-- <bench JSON>]`: docs/capacity.md from the newest `npm run bench` figures
 * (test-artifacts/bench/) or the file named, prod's and dev's manifests and tfvars.
 */
const root = new URL('../../../../', import.meta.url);
const benchDirectory = new URL('test-artifacts/bench/', root);
const benchFile =
  process.argv[2] ??
  new URL(
    readdirSync(benchDirectory)
      .filter((name) => name.endsWith('.json'))
      .sort()
      .at(-1) ?? '',
    benchDirectory,
  ).pathname;
const bench = JSON.parse(readFileSync(benchFile, 'utf8')) as {
  machine: { cores: number; node: string };
  /** The Node.js the shop ran on, when the bench started it on another than its own (`--node`). */
  shopNode?: string;
  checkout: { confirmedPerSecond: number; shopCpuMsPerJourney: Record<string, number> };
  memory: { underLoad: { byProcess: Record<string, number> } };
};

/** Each service as an overlay runs it: its first container's requests and its autoscaler. */
function servicesOf(overlay: string): ServiceSpec[] {
  const objects = renderKustomization(new URL(`deploy/k8s/overlays/${overlay}`, root).pathname);
  return objects
    .filter((object) => object.kind === 'Deployment')
    .map((deployment) => {
      const requests = deployment.spec.template.spec.containers[0].resources.requests;
      const autoscaler = autoscalerOf(objects, deployment.metadata.name);
      const cpuTarget = autoscaler?.spec.metrics?.find(
        (metric: K8sObject) => metric.resource?.name === 'cpu',
      )?.resource.target.averageUtilization;
      return {
        name: deployment.metadata.name,
        cpuRequest: cpuCores(requests.cpu),
        memoryRequestMb: mebibytes(requests.memory),
        minReplicas: autoscaler?.spec.minReplicas ?? deployment.spec.replicas ?? 1,
        maxReplicas: autoscaler?.spec.maxReplicas ?? deployment.spec.replicas ?? 1,
        targetUtilisation: (cpuTarget ?? 100) / 100,
      };
    });
}

async function environmentOf(name: string): Promise<EnvironmentSpec> {
  const tfvars = await readTfvars(
    new URL(`deploy/terraform/environments/${name}.tfvars`, root).pathname,
  );
  return {
    name,
    nodeInstanceType: tfvars.node_instance_types[0],
    nodeMin: tfvars.node_min,
    dbInstanceClass: tfvars.db_instance_class,
    dbStorageGb: tfvars.db_storage_gb,
    dbMultiAz: tfvars.db_multi_az,
    redisNodeType: tfvars.redis_node_type,
    redisReplicas: tfvars.redis_replicas,
    natPerZone: tfvars.nat_per_zone,
  };
}

const measured = { cpuMsPerJourney: bench.checkout.shopCpuMsPerJourney };
const prod = servicesOf('prod');
const plans = [100, 1000].map((rate) => planRate(rate, measured, prod));
const environments = { dev: await environmentOf('dev'), prod: await environmentOf('prod') };
const devCost = monthlyCost(
  environments.dev,
  planRate(0, measured, servicesOf('dev')).serviceNodes,
);
const prodCosts = plans.map((plan) =>
  monthlyCost(environments.prod, plan.serviceNodes, plan.databaseClass ?? 'db.r7g.16xlarge'),
);
const total = (lines: Array<{ monthly: number }>) =>
  lines.reduce((sum, line) => sum + line.monthly, 0);
const fixed = (value: number, digits = 1) => value.toFixed(digits);

const lines = [
  '# Capacity and cost',
  '',
  'Written by `npm run capacity` from the figures of `npm run bench` (CPU per confirmed journey:',
  "one to three adds to the cart and a checkout), prod's and dev's manifests (requests,",
  'autoscalers) and tfvars, with the rules and prices of `tools/bench/src/capacity.ts`. Run the',
  'bench, then this, and the plan follows the code.',
  '',
  `Bench: ${benchFile.split('/').at(-1)}, ${bench.machine.cores} cores, Node.js ${bench.shopNode ?? bench.machine.node}, ${bench.checkout.confirmedPerSecond} confirmed checkouts/s.`,
  '',
  '## Per journey, as measured',
  '',
  '| process | CPU ms per journey | memory under load (MB) |',
  '| --- | ---: | ---: |',
  ...Object.entries(bench.checkout.shopCpuMsPerJourney)
    // The launcher is `npm start`'s supervisor: nothing of it runs in a cluster.
    .filter(([name]) => name !== 'all' && name !== 'launcher')
    .sort(([, a], [, b]) => b - a)
    .map(
      ([name, ms]) =>
        `| ${name} | ${fixed(ms)} | ${bench.memory.underLoad.byProcess[name] ?? '-'} |`,
    ),
  `| all | ${fixed(bench.checkout.shopCpuMsPerJourney.all ?? 0)} | |`,
  '',
  '## Replicas, nodes and database for a rate of orders (prod)',
  '',
  "A service gets the replicas its CPU at that rate needs at its autoscaler's target utilisation",
  "of its request (never fewer than its minimum); the services' nodes are m7i.xlarge-sized Spot",
  "nodes of Karpenter's pool (3.8 vCPU and 14 GiB for pods each); PostgreSQL is held at 60 % of",
  'its vCPUs. A bench core is taken as one vCPU. Not measured by the bench, so not planned here:',
  'Redis (cart and rate limits: one node of the class below serves far more than these rates) and',
  'NATS (three on-demand system nodes, the stream on each; a checkout publishes a few events);',
  'a Deployment the bench does not run (PgBouncer, which `npm start` does without) keeps its',
  'replicas.',
  '',
  `| service | request (CPU) | autoscaler | ${plans.map((plan) => `${plan.ordersPerSecond}/s: cores → replicas`).join(' | ')} |`,
  `| --- | ---: | ---: | ${plans.map(() => '---:').join(' | ')} |`,
  ...prod.map(
    (service) =>
      `| ${service.name} | ${service.cpuRequest} | ${service.minReplicas}–${service.maxReplicas} at ${Math.round(service.targetUtilisation * 100)} % | ${plans
        .map((plan) => {
          const planned = plan.services.find((each) => each.name === service.name);
          const cores =
            measured.cpuMsPerJourney[service.name] === undefined
              ? 'not measured'
              : fixed(planned?.cores ?? 0);
          return `${cores} → ${planned?.replicas}${planned?.capped ? ' (above its maximum)' : ''}`;
        })
        .join(' | ')} |`,
  ),
  `| services' nodes | | | ${plans.map((plan) => plan.serviceNodes).join(' | ')} |`,
  `| PostgreSQL | | | ${plans.map((plan) => `${fixed(plan.databaseCores)} cores → ${plan.databaseClass ?? 'more than one instance holds'}`).join(' | ')} |`,
  '',
  ...plans.flatMap((plan) => {
    const capped = plan.services.filter((service) => service.capped).map((service) => service.name);
    return capped.length > 0
      ? [
          `At ${plan.ordersPerSecond}/s the autoscalers of ${capped.join(', ')} stop below what the rate needs: raise their maximum (and Karpenter's pool limit) before such a day.`,
          '',
        ]
      : [];
  }),
  '## A month (USD, eu-west-1)',
  '',
  `Prices recorded in \`tools/bench/src/capacity.ts\` (approximate on-demand list prices; Spot at ${Math.round(prices.spotShare * 100)} % of on-demand). Data transfer, logs, traces and load balancer capacity units grow with traffic and are not included.`,
  '',
  `| item | dev (idle) | ${plans.map((plan) => `prod at ${plan.ordersPerSecond}/s`).join(' | ')} |`,
  `| --- | --- | ${plans.map(() => '---').join(' | ')} |`,
  ...devCost.map((line, index) => {
    const cell = (cost: CostLine | undefined) =>
      cost?.detail ? `${cost.detail}: ${cost.monthly}` : `${cost?.monthly}`;
    return `| ${line.item} | ${cell(line)} | ${prodCosts.map((cost) => cell(cost[index])).join(' | ')} |`;
  }),
  `| **total** | **${total(devCost)}** | ${prodCosts.map((cost) => `**${total(cost)}**`).join(' | ')} |`,
  '',
];
writeFileSync(new URL('docs/capacity.md', root), `${lines.join('\n')}\n`);
process.stdout.write(`capacity: docs/capacity.md from ${benchFile}\n`);
