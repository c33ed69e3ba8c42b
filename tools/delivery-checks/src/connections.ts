import { defaultPoolSize } from '@bazaar/db/pool';
import { type K8sObject, peakReplicas } from './kubernetes.js';

/** The memory of the RDS classes the environments and the capacity plan use, in GiB. */
const instanceMemoryGiB: Readonly<Record<string, number>> = {
  'db.t4g.medium': 4,
  'db.t4g.large': 8,
  'db.r7g.large': 16,
  'db.r7g.xlarge': 32,
  'db.r7g.2xlarge': 64,
  'db.r7g.4xlarge': 128,
  'db.r7g.8xlarge': 256,
  'db.r7g.16xlarge': 512,
};

/**
 * RDS for PostgreSQL's default max_connections, LEAST(DBInstanceClassMemory / 9531392, 5000), with
 * DBInstanceClassMemory taken as 90 % of the class's memory (RDS keeps the rest for the system).
 */
export function rdsMaxConnections(instanceClass: string): number | undefined {
  const gib = instanceMemoryGiB[instanceClass];
  return gib === undefined
    ? undefined
    : Math.min(Math.floor((gib * 0.9 * 2 ** 30) / 9531392), 5000);
}

/** Connections nothing of Bazaar's may take: superusers' 3 and RDS's own 2. */
const reservedConnections = 3 + 2;
/** The migrations Job: the server's administration client and a pool of 2 (tools/launcher). */
const migrationConnections = 3;
/** The PostgreSQL exporter's one connection. */
const exporterConnections = 1;

/** `key = value` settings of PgBouncer's [pgbouncer] section. */
function iniSettings(ini: string): Record<string, string> {
  return Object.fromEntries(
    ini
      .split('\n')
      .map((line) => /^\s*(\w+)\s*=\s*(.*?)\s*$/.exec(line))
      .filter((match) => match !== null)
      .map((match) => [match[1], match[2]]),
  );
}

export type ConnectionBudget = {
  /** What PostgreSQL accepts on the environment's instance class. */
  limit: number;
  /** What may be open at once with every autoscaler at its maximum and a rollout's surge. */
  uses: Record<string, number>;
  /** The services' own connections, to PgBouncer. */
  clients: number;
  /** What PgBouncer takes with one replica gone. */
  clientLimit: number;
};

/**
 * One environment's PostgreSQL connections at the autoscalers' maxima (each with a rollout's surge
 * pod): PgBouncer's server connections (replicas × databases × max_db_connections), one LISTEN a
 * replica of each service that publishes, the migrations Job, the exporter and the reserved; and
 * the services' pools (DATABASE_URL, `defaultPoolSize` each) against what PgBouncer takes when one
 * of its replicas is gone.
 */
export function connectionBudget(
  objects: readonly K8sObject[],
  instanceClass: string,
): { budget?: ConnectionBudget; violations: string[] } {
  const violations: string[] = [];
  const limit = rdsMaxConnections(instanceClass);
  if (limit === undefined) violations.push(`${instanceClass}: an instance class of unknown memory`);
  const pgbouncer = objects.find(
    (object) => object.kind === 'Deployment' && object.metadata.name === 'pgbouncer',
  );
  const config = objects.find(
    (object) => object.kind === 'ConfigMap' && object.metadata.name === 'pgbouncer',
  );
  if (!pgbouncer || !config) {
    violations.push('no PgBouncer (Deployment and ConfigMap pgbouncer) in front of PostgreSQL');
    return { violations };
  }
  const settings = iniSettings(String(config.data?.['pgbouncer.ini'] ?? ''));
  if (settings.pool_mode !== 'transaction') {
    violations.push(
      `PgBouncer pools by ${settings.pool_mode ?? 'session'}: only transaction pooling shares a connection between replicas`,
    );
  }
  if (!(Number(settings.max_prepared_statements) > 0)) {
    violations.push(
      "PgBouncer keeps no prepared statements (max_prepared_statements): catalog's named ones would fail",
    );
  }
  const peak = (deployment: K8sObject) => peakReplicas(objects, deployment);
  const reads = (deployment: K8sObject, variable: string) =>
    (deployment.spec.template.spec.containers ?? []).some((container: K8sObject) =>
      (container.env ?? []).some((entry: K8sObject) => entry.name === variable),
    );
  const deployments = objects.filter(
    (object) => object.kind === 'Deployment' && object !== pgbouncer,
  );
  const databases = deployments.filter((deployment) => reads(deployment, 'DATABASE_URL'));
  const replicas = Number(pgbouncer.spec.replicas ?? 1);
  const uses = {
    pgbouncer: replicas * databases.length * Number(settings.max_db_connections ?? Infinity),
    listen: databases
      .filter((deployment) => reads(deployment, 'DATABASE_LISTEN_URL'))
      .reduce((sum, deployment) => sum + peak(deployment), 0),
    migrations: migrationConnections,
    exporter: exporterConnections,
    reserved: reservedConnections,
  };
  const total = Object.values(uses).reduce((sum, use) => sum + use, 0);
  if (limit !== undefined && total > limit) {
    violations.push(
      `PostgreSQL on ${instanceClass} takes ${limit} connections, but at the autoscalers' maxima ${total} may open (${Object.entries(
        uses,
      )
        .map(([use, count]) => `${use} ${count}`)
        .join(', ')})`,
    );
  }
  const clients = databases.reduce(
    (sum, deployment) => sum + peak(deployment) * defaultPoolSize,
    0,
  );
  const clientLimit = (replicas - 1) * Number(settings.max_client_conn ?? 100);
  if (clients > clientLimit) {
    violations.push(
      `PgBouncer takes ${clientLimit} clients with one of its ${replicas} replicas gone, but the services' pools may open ${clients}`,
    );
  }
  return { budget: { limit: limit ?? 0, uses, clients, clientLimit }, violations };
}
