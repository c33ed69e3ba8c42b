/**
 * The capacity and cost plan (`npm run capacity`, docs/capacity.md): from what the bench measured
 * per checkout journey and what prod's manifests and each environment's tfvars say, the replicas,
 * nodes and database class for a rate of orders, and what a month of it costs. Every rule is
 * here, so that the plan moves when the code gets faster or the manifests change.
 */

/** A service as prod runs it (the rendered overlay): its CPU and memory request, its autoscaler. */
export type ServiceSpec = {
  name: string;
  cpuRequest: number;
  memoryRequestMb: number;
  minReplicas: number;
  maxReplicas: number;
  /** The CPU utilisation its autoscaler holds, 0–1. */
  targetUtilisation: number;
};

/** What the bench measured: CPU per confirmed journey (1–3 adds and a checkout), by process. */
export type Measured = { cpuMsPerJourney: Record<string, number> };

/** An environment's sizes from its tfvars. */
export type EnvironmentSpec = {
  name: string;
  nodeInstanceType: string;
  nodeMin: number;
  dbInstanceClass: string;
  dbStorageGb: number;
  dbMultiAz: boolean;
  redisNodeType: string;
  redisReplicas: number;
  natPerZone: boolean;
};

/**
 * Approximate on-demand list prices in eu-west-1, USD an hour (storage: a GB-month), as recorded
 * for this plan in December 2026; not fetched. Check the AWS Pricing Calculator before a budget
 * depends on them. Spot is taken at 35 % of on-demand, a typical price for these families.
 */
export const prices = {
  hourly: {
    eks: 0.1,
    'nat-gateway': 0.048,
    alb: 0.0252,
    't3.large': 0.0912,
    'm7i.large': 0.1123,
    'm6i.large': 0.107,
    'm7i.xlarge': 0.2246,
    'db.t4g.medium': 0.072,
    'db.r7g.large': 0.258,
    'db.r7g.xlarge': 0.516,
    'db.r7g.2xlarge': 1.032,
    'db.r7g.4xlarge': 2.064,
    'db.r7g.8xlarge': 4.128,
    'db.r7g.16xlarge': 8.256,
    'cache.t4g.small': 0.036,
    'cache.r7g.large': 0.242,
  } as Record<string, number>,
  rdsStorageGbMonth: 0.127,
  spotShare: 0.35,
  hoursPerMonth: 730,
};

/** The database classes, smallest first, by vCPUs. */
const databaseClasses: Array<[string, number]> = [
  ['db.r7g.large', 2],
  ['db.r7g.xlarge', 4],
  ['db.r7g.2xlarge', 8],
  ['db.r7g.4xlarge', 16],
  ['db.r7g.8xlarge', 32],
  ['db.r7g.16xlarge', 64],
];

/**
 * The services' nodes (Karpenter's `services` pool) counted as m7i.xlarge: 4 vCPUs and 16 GiB,
 * of which pods get 3.8 and 14 GiB after the kubelet's reserve and the DaemonSets.
 */
const serviceNode = { type: 'm7i.xlarge', cpu: 3.8, memoryMb: 14 * 1024 };
/** PostgreSQL held at 60 % of its vCPUs, room for a burst and for a failover's catch-up. */
const databaseUtilisation = 0.6;

export type ServicePlan = {
  name: string;
  cores: number;
  replicas: number;
  /** The autoscaler's maximum is below what the rate needs. */
  capped: boolean;
};

export type RatePlan = {
  ordersPerSecond: number;
  services: ServicePlan[];
  serviceNodes: number;
  databaseCores: number;
  /** The smallest class that holds it, or none when one instance cannot. */
  databaseClass: string | undefined;
};

/** Replicas, nodes and the database class for `ordersPerSecond` confirmed journeys a second. */
export function planRate(
  ordersPerSecond: number,
  measured: Measured,
  services: ServiceSpec[],
): RatePlan {
  const planned = services.map((service) => {
    const cores = (ordersPerSecond * (measured.cpuMsPerJourney[service.name] ?? 0)) / 1000;
    const needed = Math.ceil(cores / (service.cpuRequest * service.targetUtilisation) - 1e-9);
    return {
      name: service.name,
      cores,
      replicas: Math.max(service.minReplicas, needed),
      capped: needed > service.maxReplicas,
    };
  });
  const requested = (field: 'cpuRequest' | 'memoryRequestMb') =>
    planned.reduce(
      (sum, plan) =>
        sum + plan.replicas * (services.find((s) => s.name === plan.name)?.[field] ?? 0),
      0,
    );
  const serviceNodes = Math.ceil(
    Math.max(
      requested('cpuRequest') / serviceNode.cpu,
      requested('memoryRequestMb') / serviceNode.memoryMb,
    ) - 1e-9,
  );
  const databaseCores = (ordersPerSecond * (measured.cpuMsPerJourney.postgres ?? 0)) / 1000;
  const databaseClass = databaseClasses.find(
    ([, vcpus]) => vcpus * databaseUtilisation >= databaseCores,
  )?.[0];
  return { ordersPerSecond, services: planned, serviceNodes, databaseCores, databaseClass };
}

export type CostLine = { item: string; detail: string; monthly: number };

/**
 * A month of an environment: the control plane, the managed nodes at their minimum, the services'
 * nodes (Spot), the database (twice for Multi-AZ, and its storage), Redis with its replicas, the
 * NAT gateways (one, or one per zone of three) and the load balancer. Data transfer, logs,
 * traces and load balancer capacity units scale with traffic and are left out.
 */
export function monthlyCost(
  environment: EnvironmentSpec,
  serviceNodes: number,
  databaseClass = environment.dbInstanceClass,
): CostLine[] {
  const hourly = (name: string) => {
    const price = prices.hourly[name];
    if (price === undefined) throw new Error(`no price for ${name} in tools/bench/src/capacity.ts`);
    return price;
  };
  const month = (perHour: number) => Math.round(perHour * prices.hoursPerMonth);
  const databaseCopies = environment.dbMultiAz ? 2 : 1;
  const nats = environment.natPerZone ? 3 : 1;
  return [
    { item: 'EKS control plane', detail: '', monthly: month(hourly('eks')) },
    {
      item: 'managed nodes (on-demand)',
      detail: `${environment.nodeMin} × ${environment.nodeInstanceType}`,
      monthly: month(environment.nodeMin * hourly(environment.nodeInstanceType)),
    },
    {
      item: "services' nodes (Spot)",
      detail: `${serviceNodes} × ${serviceNode.type}`,
      monthly: month(serviceNodes * hourly(serviceNode.type) * prices.spotShare),
    },
    {
      item: 'RDS PostgreSQL',
      detail: `${databaseClass}${environment.dbMultiAz ? ' Multi-AZ' : ''}, ${environment.dbStorageGb} GB`,
      monthly:
        month(hourly(databaseClass) * databaseCopies) +
        Math.round(environment.dbStorageGb * prices.rdsStorageGbMonth * databaseCopies),
    },
    {
      item: 'ElastiCache Redis',
      detail: `${1 + environment.redisReplicas} × ${environment.redisNodeType}`,
      monthly: month((1 + environment.redisReplicas) * hourly(environment.redisNodeType)),
    },
    { item: 'NAT gateways', detail: String(nats), monthly: month(nats * hourly('nat-gateway')) },
    { item: 'Application Load Balancer', detail: '', monthly: month(hourly('alb')) },
  ];
}
