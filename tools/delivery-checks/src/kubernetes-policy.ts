import { autoscalerOf, type K8sObject } from './kubernetes.js';

/** The calls the architecture makes between services (caller → callees); nothing else may talk. */
export const serviceCalls: Readonly<Record<string, readonly string[]>> = {
  gateway: ['identity', 'catalog', 'inventory', 'cart', 'orders', 'payments', 'notifications'],
  cart: ['identity', 'catalog'],
  orders: ['identity', 'cart', 'catalog', 'inventory', 'payments'],
  catalog: ['identity'],
  inventory: ['identity'],
  payments: ['identity'],
  notifications: ['identity'],
  identity: [],
};

/** The longest a service takes to stop: SHUTDOWN_DRAIN_MS plus SHUTDOWN_TIMEOUT_MS, in seconds. */
const drainSeconds = 10 + 5;

const byKind = (objects: readonly K8sObject[], kind: string) =>
  objects.filter((object) => object.kind === kind);
const named = (objects: readonly K8sObject[], kind: string, name: string) =>
  objects.find((object) => object.kind === kind && object.metadata.name === name);

/**
 * A pod spec's hardening: non-root, seccomp, no privilege, read-only root, no capabilities; and a
 * name for its spans, since the shared settings turn tracing on (the preload refuses to start
 * without one).
 */
function podViolations(where: string, spec: K8sObject, traced = true): string[] {
  const violations: string[] = [];
  if (spec.securityContext?.runAsNonRoot !== true)
    violations.push(`${where}: runAsNonRoot is not true`);
  if (spec.securityContext?.seccompProfile?.type !== 'RuntimeDefault') {
    violations.push(`${where}: seccomp profile is not RuntimeDefault`);
  }
  for (const container of spec.containers ?? []) {
    const context = container.securityContext ?? {};
    const at = `${where} container ${container.name}`;
    if (context.readOnlyRootFilesystem !== true)
      violations.push(`${at}: root filesystem is writable`);
    if (context.allowPrivilegeEscalation !== false)
      violations.push(`${at}: privilege escalation allowed`);
    if (!(context.capabilities?.drop ?? []).includes('ALL'))
      violations.push(`${at}: capabilities not all dropped`);
    if (!container.resources?.requests?.cpu || !container.resources?.requests?.memory) {
      violations.push(`${at}: no CPU and memory requests`);
    }
    if (!container.resources?.limits?.memory) violations.push(`${at}: no memory limit`);
    if (
      traced &&
      !(container.env ?? []).some((variable: K8sObject) => variable.name === 'OTEL_SERVICE_NAME')
    ) {
      violations.push(`${at}: no OTEL_SERVICE_NAME for its spans`);
    }
  }
  if (spec.nodeName || spec.nodeSelector?.['kubernetes.io/hostname']) {
    violations.push(`${where}: pinned to a node`);
  }
  return violations;
}

/** Whether a pod spec spreads its replicas over zones. */
const spreadsOverZones = (spec: K8sObject) =>
  (spec.topologySpreadConstraints ?? []).some(
    (constraint: K8sObject) => constraint.topologyKey === 'topology.kubernetes.io/zone',
  );

/** The kinds of which no object bears the Deployment's name, one line each. */
const missing = (objects: readonly K8sObject[], name: string, kinds: readonly string[]) =>
  kinds
    .filter((kind) => !named(objects, kind, name))
    .map((kind) => `Deployment/${name}: no ${kind}`);

function deploymentViolations(objects: readonly K8sObject[], deployment: K8sObject): string[] {
  const name = deployment.metadata.name;
  const where = `Deployment/${name}`;
  const spec = deployment.spec.template.spec;
  const violations = podViolations(where, spec);
  const container = spec.containers?.[0] ?? {};
  if (container.readinessProbe?.httpGet?.path !== '/readyz')
    violations.push(`${where}: readiness probe is not /readyz`);
  if (container.livenessProbe?.httpGet?.path !== '/healthz')
    violations.push(`${where}: liveness probe is not /healthz`);
  if (!container.startupProbe) violations.push(`${where}: no startup probe`);
  if (!(container.ports ?? []).some((port: K8sObject) => port.name === 'metrics'))
    violations.push(`${where}: no metrics port apart from its service port`);
  if ((spec.terminationGracePeriodSeconds ?? 30) < drainSeconds) {
    violations.push(`${where}: terminationGracePeriodSeconds is shorter than the service's drain`);
  }
  if (!spreadsOverZones(spec)) violations.push(`${where}: not spread across zones`);
  if (!spec.serviceAccountName || !named(objects, 'ServiceAccount', spec.serviceAccountName)) {
    violations.push(`${where}: no ServiceAccount of its own`);
  }
  violations.push(
    ...missing(objects, name, ['Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget']),
  );
  const scaledBy = autoscalerOf(objects, name);
  if (scaledBy && deployment.spec.replicas !== undefined) {
    violations.push(
      `${where}: replicas kept in git while HorizontalPodAutoscaler/${scaledBy.metadata.name} scales it (Argo CD's self-heal would undo every scale)`,
    );
  }
  return violations;
}

/**
 * A Deployment of the platform's beside the services (PgBouncer): hardened, probed, spread over
 * zones, with a Service and a disruption budget; no spans, metrics port or autoscaler of Bazaar's.
 */
function supportViolations(objects: readonly K8sObject[], deployment: K8sObject): string[] {
  const name = deployment.metadata.name;
  const where = `Deployment/${name}`;
  const spec = deployment.spec.template.spec;
  const violations = podViolations(where, spec, false);
  const container = spec.containers?.[0] ?? {};
  if (!container.readinessProbe) violations.push(`${where}: no readiness probe`);
  if (!container.livenessProbe) violations.push(`${where}: no liveness probe`);
  if (!spreadsOverZones(spec)) violations.push(`${where}: not spread across zones`);
  if ((deployment.spec.replicas ?? 1) < 2) violations.push(`${where}: fewer than 2 replicas`);
  violations.push(...missing(objects, name, ['Service', 'PodDisruptionBudget']));
  return violations;
}

/** Whether a Deployment runs one of Bazaar's services (rather than something beside them). */
const isService = (deployment: K8sObject) => deployment.metadata.name in serviceCalls;

/** Who may reach whom, as the NetworkPolicies' pod-to-pod ingress rules allow. */
export function allowedCalls(objects: readonly K8sObject[]): Set<string> {
  const calls = new Set<string>();
  for (const policy of byKind(objects, 'NetworkPolicy')) {
    const callee = policy.spec.podSelector?.matchLabels?.['app.kubernetes.io/name'];
    for (const rule of policy.spec.ingress ?? []) {
      for (const peer of rule.from ?? []) {
        const caller = peer.podSelector?.matchLabels?.['app.kubernetes.io/name'];
        if (callee && caller && !peer.namespaceSelector) calls.add(`${caller}→${callee}`);
      }
    }
  }
  return calls;
}

function networkViolations(objects: readonly K8sObject[]): string[] {
  const violations: string[] = [];
  const policies = byKind(objects, 'NetworkPolicy');
  const denyAll = policies.some(
    (policy) =>
      Object.keys(policy.spec.podSelector ?? {}).length === 0 &&
      ['Ingress', 'Egress'].every((type) => policy.spec.policyTypes?.includes(type)) &&
      !policy.spec.ingress &&
      !policy.spec.egress,
  );
  if (!denyAll) violations.push('no default-deny NetworkPolicy for ingress and egress');
  const dns = policies.some((policy) =>
    (policy.spec.egress ?? []).some((rule: K8sObject) =>
      (rule.ports ?? []).some((port: K8sObject) => port.port === 53),
    ),
  );
  if (!dns) violations.push('no NetworkPolicy lets pods resolve names (port 53)');
  violations.push(...crossNamespaceViolations(policies));
  const expected = new Set(
    Object.entries(serviceCalls).flatMap(([caller, callees]) =>
      callees.map((callee) => `${caller}→${callee}`),
    ),
  );
  const allowed = allowedCalls(objects);
  for (const call of allowed)
    if (!expected.has(call))
      violations.push(`NetworkPolicy allows ${call}, a call the architecture does not make`);
  for (const call of expected)
    if (!allowed.has(call))
      violations.push(`NetworkPolicy blocks ${call}, a call the architecture makes`);
  return violations;
}

/**
 * What comes from outside the namespace: the scraper's namespace reaches only the metrics port,
 * addresses (the load balancer's) only the gateway's service port. Anything else would open an
 * API, or the metrics, to them.
 */
function crossNamespaceViolations(policies: readonly K8sObject[]): string[] {
  const violations: string[] = [];
  for (const policy of policies) {
    const target = policy.spec.podSelector?.matchLabels?.['app.kubernetes.io/name'];
    for (const rule of policy.spec.ingress ?? []) {
      const ports = (rule.ports ?? []).map((port: K8sObject) => port.port);
      const only = (allowed: unknown[]) =>
        ports.length > 0 && ports.every((port: unknown) => allowed.includes(port));
      for (const peer of rule.from ?? []) {
        const reaches = `reach port ${ports.join(', ') || '(every)'}`;
        if (peer.ipBlock && !(target === 'gateway' && only([8080, 'http']))) {
          violations.push(
            `NetworkPolicy/${policy.metadata.name}: lets ${peer.ipBlock.cidr} ${reaches}`,
          );
        }
        if (!peer.namespaceSelector) continue;
        const namespace = peer.namespaceSelector.matchLabels?.['kubernetes.io/metadata.name'];
        if (namespace !== 'observability' || !only(['metrics', 9464])) {
          violations.push(
            `NetworkPolicy/${policy.metadata.name}: lets namespace ${namespace ?? '(any)'} ${reaches}`,
          );
        }
      }
    }
  }
  return violations;
}

function exposureViolations(objects: readonly K8sObject[]): string[] {
  const violations: string[] = [];
  for (const ingress of byKind(objects, 'Ingress')) {
    const backends = (ingress.spec.rules ?? []).flatMap((rule: K8sObject) =>
      (rule.http?.paths ?? []).map((path: K8sObject) => path.backend?.service?.name),
    );
    if (backends.some((backend: string) => backend !== 'gateway')) {
      violations.push(`Ingress/${ingress.metadata.name}: exposes a service other than the gateway`);
    }
    const ports = (ingress.spec.rules ?? []).flatMap((rule: K8sObject) =>
      (rule.http?.paths ?? []).map((path: K8sObject) => path.backend?.service?.port),
    );
    if (ports.some((port: K8sObject) => port?.name !== 'http' && port?.number !== 8080)) {
      violations.push(
        `Ingress/${ingress.metadata.name}: routes a port other than the gateway's http`,
      );
    }
    const at = `Ingress/${ingress.metadata.name}`;
    const annotations = ingress.metadata.annotations ?? {};
    const hosts = (ingress.spec.rules ?? []).map((rule: K8sObject) => rule.host);
    const secured = new Set((ingress.spec.tls ?? []).flatMap((tls: K8sObject) => tls.hosts ?? []));
    if (!hosts.length || hosts.some((host: string | undefined) => !host || !secured.has(host)))
      violations.push(`${at}: no TLS`);
    const listens = JSON.parse(annotations['alb.ingress.kubernetes.io/listen-ports'] ?? '[]');
    const plain = listens.some((port: K8sObject) => 'HTTP' in port);
    if (plain && !annotations['alb.ingress.kubernetes.io/ssl-redirect'])
      violations.push(`${at}: serves plain HTTP`);
    // The gateway's NetworkPolicy lets in the ALB's own addresses: an ALB that sent through the
    // nodes' ports (target type instance) would come from the nodes and be refused.
    if (
      ingress.spec.ingressClassName !== 'alb' ||
      annotations['alb.ingress.kubernetes.io/target-type'] !== 'ip'
    )
      violations.push(`${at}: not an ALB that sends to the pods' addresses`);
  }
  for (const service of byKind(objects, 'Service')) {
    if (['LoadBalancer', 'NodePort'].includes(service.spec.type)) {
      violations.push(`Service/${service.metadata.name}: exposed as ${service.spec.type}`);
    }
  }
  return violations;
}

/** Every secret key a Deployment's or Job's container reads from its environment. */
function secretKeyRefs(objects: readonly K8sObject[]) {
  return [...byKind(objects, 'Deployment'), ...byKind(objects, 'Job')].flatMap((workload) =>
    (workload.spec.template.spec.containers ?? []).flatMap((container: K8sObject) =>
      (container.env ?? [])
        .map((variable: K8sObject) => variable.valueFrom?.secretKeyRef)
        .filter(Boolean)
        .map((reference: K8sObject) => ({
          where: `${workload.kind}/${workload.metadata.name}`,
          name: reference.name as string,
          key: reference.key as string,
          optional: reference.optional === true,
        })),
    ),
  );
}

/**
 * Secrets in every environment come from its AWS Secrets Manager: no Secret object, every reference
 * met (by a Secret that holds the key, or by an ExternalSecret: what it holds is
 * `externalSecretViolations`' to check).
 */
function secretViolations(objects: readonly K8sObject[], environment: string): string[] {
  const violations: string[] = [];
  const secrets = new Map(
    byKind(objects, 'Secret').map((secret) => [
      secret.metadata.name,
      new Set(Object.keys({ ...secret.data, ...secret.stringData })),
    ]),
  );
  const external = new Set(
    byKind(objects, 'ExternalSecret').map((secret) => secret.spec.target?.name),
  );
  // A laptop's cluster has no Secrets Manager: its Secrets are in git, each marked dev-only.
  for (const secret of byKind(objects, 'Secret')) {
    const devOnly = secret.metadata.labels?.['bazaar.dev/dev-only'] === 'true';
    if (environment !== 'local')
      violations.push(
        `Secret/${secret.metadata.name}: a plain Secret in ${environment}; use an ExternalSecret`,
      );
    else if (!devOnly)
      violations.push(`Secret/${secret.metadata.name}: a plain Secret not marked dev-only`);
  }
  for (const { where, name, key, optional } of secretKeyRefs(objects)) {
    if (optional || external.has(name)) continue;
    if (!secrets.has(name)) violations.push(`${where}: secret ${name} is not provided`);
    else if (!secrets.get(name)?.has(key))
      violations.push(`${where}: secret ${name} has no ${key}`);
  }
  return violations;
}

/**
 * Every key a workload reads from a Secret that an ExternalSecret makes is in the Secrets
 * Manager secret it extracts, as Terraform writes it (`written`: secret name → its variables).
 */
export function externalSecretViolations(
  objects: readonly K8sObject[],
  written: ReadonlyMap<string, ReadonlySet<string>>,
): string[] {
  const violations: string[] = [];
  const holds = new Map<string, Set<string>>();
  for (const external of byKind(objects, 'ExternalSecret')) {
    const where = `ExternalSecret/${external.metadata.name}`;
    const keys = new Set<string>();
    if (external.spec.data) violations.push(`${where}: reads single keys; extract whole secrets`);
    for (const source of external.spec.dataFrom ?? []) {
      const variables = written.get(source.extract?.key);
      if (!variables) {
        violations.push(`${where}: reads ${source.extract?.key}, which Terraform does not write`);
      }
      for (const variable of variables ?? []) keys.add(variable);
    }
    holds.set(external.spec.target?.name, keys);
  }
  for (const { where, name, key } of secretKeyRefs(objects)) {
    if (holds.has(name) && !holds.get(name)?.has(key)) {
      violations.push(`${where}: reads ${key} of Secret/${name}, which Terraform does not write`);
    }
  }
  return violations;
}

/** The group the cluster's access entries put developers in (deploy/terraform/modules/eks). */
export const developersGroup = 'bazaar:developers';

/** The rules of every Role and ClusterRole bound to `group`, each with where it comes from. */
function rulesOf(objects: readonly K8sObject[], group: string) {
  return [...byKind(objects, 'RoleBinding'), ...byKind(objects, 'ClusterRoleBinding')]
    .filter((binding) =>
      (binding.subjects ?? []).some(
        (subject: K8sObject) => subject.kind === 'Group' && subject.name === group,
      ),
    )
    .flatMap((binding) => {
      const role = named(objects, binding.roleRef.kind, binding.roleRef.name);
      return (role?.rules ?? []).map((rule: K8sObject) => ({
        where: `${binding.roleRef.kind}/${binding.roleRef.name}`,
        rule,
      }));
    });
}

/** Whether `group` may `verb` the `resource` (`pods`, `pods/log`) of `apiGroup` ('' is core). */
export function groupMay(
  objects: readonly K8sObject[],
  group: string,
  verb: string,
  apiGroup: string,
  resource: string,
): boolean {
  const matches = (values: readonly string[] | undefined, value: string) =>
    (values ?? []).some((candidate) => candidate === '*' || candidate === value);
  return rulesOf(objects, group).some(
    ({ rule }) =>
      matches(rule.verbs, verb) &&
      matches(rule.apiGroups, apiGroup) &&
      matches(rule.resources, resource),
  );
}

const readVerbs = new Set(['get', 'list', 'watch']);

/**
 * Developers read, and never Secrets; in dev and staging they may also port-forward. Anything
 * else they would do with kubectl belongs in git, where Argo CD applies it.
 */
function developerViolations(objects: readonly K8sObject[], environment: string): string[] {
  const violations: string[] = [];
  for (const { where, rule } of rulesOf(objects, developersGroup)) {
    const resources: string[] = rule.resources ?? [];
    const portForward =
      environment !== 'prod' &&
      resources.every((resource) => resource === 'pods/portforward') &&
      (rule.verbs ?? []).every((verb: string) => verb === 'create');
    const writes = (rule.verbs ?? []).filter((verb: string) => !readVerbs.has(verb));
    if (writes.length > 0 && !portForward) {
      violations.push(
        `${where}: lets ${developersGroup} ${writes.join(', ')} ${resources.join(', ')} in ${environment}`,
      );
    }
    if (resources.some((resource) => resource === 'secrets' || resource === '*')) {
      violations.push(`${where}: lets ${developersGroup} read Secrets`);
    }
  }
  return violations;
}

function productionViolations(objects: readonly K8sObject[]): string[] {
  const violations: string[] = [];
  for (const name of ['gateway', 'catalog', 'orders']) {
    const autoscaler = named(objects, 'HorizontalPodAutoscaler', name);
    const budget = named(objects, 'PodDisruptionBudget', name);
    if ((autoscaler?.spec.minReplicas ?? 0) < 3)
      violations.push(`prod: ${name} may scale below 3 replicas`);
    if (!(budget?.spec.minAvailable >= 2))
      violations.push(`prod: ${name}'s disruption budget keeps fewer than 2`);
  }
  return violations;
}

/** Every service's metrics port is one a ServiceMonitor scrapes: otherwise its alerts never fire. */
function scrapeViolations(objects: readonly K8sObject[]): string[] {
  const monitors = byKind(objects, 'ServiceMonitor');
  return byKind(objects, 'Service')
    .filter((service) =>
      (service.spec.ports ?? []).some((port: K8sObject) => port.name === 'metrics'),
    )
    .filter(
      (service) =>
        !monitors.some(
          (monitor) =>
            Object.entries(monitor.spec.selector?.matchLabels ?? {}).every(
              ([label, value]) => service.metadata.labels?.[label] === value,
            ) &&
            (monitor.spec.endpoints ?? []).some(
              (endpoint: K8sObject) => endpoint.port === 'metrics',
            ),
        ),
    )
    .map(
      (service) =>
        `Service/${service.metadata.name}: its metrics port is scraped by no ServiceMonitor`,
    );
}

/** Every rule of the delivery issue over one rendered environment; empty when all hold. */
export function kubernetesViolations(objects: readonly K8sObject[], environment: string): string[] {
  const orders = named(objects, 'HorizontalPodAutoscaler', 'orders');
  const violations = [
    ...byKind(objects, 'Deployment').flatMap((deployment) =>
      isService(deployment)
        ? deploymentViolations(objects, deployment)
        : supportViolations(objects, deployment),
    ),
    ...byKind(objects, 'Job').flatMap((job) =>
      podViolations(`Job/${job.metadata.name}`, job.spec.template.spec),
    ),
    // The data stores a laptop's cluster runs itself: hardened too, though they send no spans.
    ...byKind(objects, 'StatefulSet').flatMap((set) =>
      podViolations(`StatefulSet/${set.metadata.name}`, set.spec.template.spec, false),
    ),
    ...networkViolations(objects),
    ...exposureViolations(objects),
    // A laptop's cluster runs no Prometheus.
    ...(environment === 'local' ? [] : scrapeViolations(objects)),
    ...secretViolations(objects, environment),
    ...developerViolations(objects, environment),
    ...(environment === 'prod' ? productionViolations(objects) : []),
  ];
  violations.push(...syncOrderViolations(objects), ...rolloutOrderViolations(objects));
  if (
    orders &&
    !(orders.spec.metrics ?? []).some((metric: K8sObject) => metric.type !== 'Resource')
  ) {
    violations.push('HorizontalPodAutoscaler/orders: no custom metric besides CPU');
  }
  return violations;
}

/**
 * The NetworkPolicies that name the environment's subnets name exactly those Terraform makes:
 * `allow-data-stores` the data subnets (PostgreSQL, Redis), `gateway-from-ingress` the public
 * ones (the ALB). A wider block lets more in or out; a block of another VPC blocks the databases,
 * or the shop.
 */
export function subnetViolations(
  objects: readonly K8sObject[],
  subnets: { data: string[]; public: string[] },
): string[] {
  const dataStores = named(objects, 'NetworkPolicy', 'allow-data-stores')?.spec.egress?.find(
    (rule: K8sObject) => (rule.ports ?? []).some((port: K8sObject) => port.port === 5432),
  );
  const loadBalancer = named(objects, 'NetworkPolicy', 'gateway-from-ingress')?.spec.ingress?.[0];
  const cidrs = (peers: K8sObject[] = []) =>
    peers
      .map((peer) => peer.ipBlock?.cidr)
      .filter(Boolean)
      .sort();
  const compare = (what: string, named: string[], tier: string, expected: string[]) =>
    JSON.stringify(named) === JSON.stringify([...expected].sort())
      ? []
      : [
          `${what} at ${named.join(', ') || '(nowhere)'}, but the ${tier} subnets are ${[...expected].sort().join(', ')}`,
        ];
  return [
    ...compare(
      'NetworkPolicy/allow-data-stores: PostgreSQL and Redis',
      cidrs(dataStores?.to),
      'data',
      subnets.data,
    ),
    ...compare(
      'NetworkPolicy/gateway-from-ingress: the load balancer',
      cidrs(loadBalancer?.from),
      'public',
      subnets.public,
    ),
  ];
}

/**
 * The event stream is kept on as many NATS servers as the environment's NATS chart runs (its
 * `config.cluster.replicas`, 1 when not clustered): fewer, and a stream is lost with its server.
 */
export function streamReplicaViolations(
  objects: readonly K8sObject[],
  natsApplication: K8sObject,
): string[] {
  const cluster = natsApplication.spec.source?.helm?.valuesObject?.config?.cluster;
  const servers = cluster?.enabled ? Number(cluster.replicas ?? 1) : 1;
  const settings = objects.find(
    (object) => object.kind === 'ConfigMap' && object.metadata.name.startsWith('bazaar-settings'),
  );
  const replicas = Number(settings?.data?.NATS_STREAM_REPLICAS ?? 1);
  return replicas === servers
    ? []
    : [
        `ConfigMap/bazaar-settings: NATS_STREAM_REPLICAS is ${replicas}, but NATS runs ${servers} servers`,
      ];
}

const phases = ['PreSync', 'Sync', 'PostSync'];

/** When Argo CD applies an object: its phase (a hook's, else Sync), then its sync wave. */
function syncStep(object: K8sObject): [number, number] {
  const annotations = object.metadata.annotations ?? {};
  const phase = phases.indexOf(annotations['argocd.argoproj.io/hook'] ?? 'Sync');
  return [phase, Number(annotations['argocd.argoproj.io/sync-wave'] ?? 0)];
}
const before = ([phaseA, waveA]: [number, number], [phaseB, waveB]: [number, number]) =>
  phaseA < phaseB || (phaseA === phaseB && waveA < waveB);
const describeStep = ([phase, wave]: [number, number]) => `${phases[phase]}, wave ${wave}`;

/**
 * The order Argo CD syncs in, which waits for each phase and wave to be healthy before the next:
 * the migrations Job is a hook that runs again on every sync, before any Deployment, and the
 * ConfigMaps and Secrets it reads (or the ExternalSecrets that make them) exist before it, in an
 * earlier phase or wave. A hook that reads what is applied after it waits for ever on the first
 * sync.
 */
function syncOrderViolations(objects: readonly K8sObject[]): string[] {
  const violations: string[] = [];
  const migrations = byKind(objects, 'Job').find(
    (job) => job.metadata.annotations?.['argocd.argoproj.io/hook'],
  );
  if (!migrations) return ['no migrations Job runs before each release'];
  const step = syncStep(migrations);
  const where = `Job/${migrations.metadata.name} (${describeStep(step)})`;
  for (const deployment of byKind(objects, 'Deployment')) {
    if (!before(step, syncStep(deployment)))
      violations.push(`${where}: does not run before Deployment/${deployment.metadata.name}`);
  }
  const containers = migrations.spec.template.spec.containers ?? [];
  const reads = containers.flatMap((container: K8sObject) => [
    ...(container.envFrom ?? []).flatMap((source: K8sObject) => [
      ...(source.configMapRef ? [['ConfigMap', source.configMapRef.name]] : []),
      ...(source.secretRef ? [['Secret', source.secretRef.name]] : []),
    ]),
    ...(container.env ?? []).flatMap((variable: K8sObject) => [
      ...(variable.valueFrom?.configMapKeyRef
        ? [['ConfigMap', variable.valueFrom.configMapKeyRef.name]]
        : []),
      ...(variable.valueFrom?.secretKeyRef
        ? [['Secret', variable.valueFrom.secretKeyRef.name]]
        : []),
    ]),
  ]) as Array<[string, string]>;
  for (const [kind, name] of reads) {
    const source =
      named(objects, kind, name) ??
      (kind === 'Secret'
        ? byKind(objects, 'ExternalSecret').find((secret) => secret.spec.target?.name === name)
        : undefined);
    if (!source) continue;
    const sourceStep = syncStep(source);
    if (!before(sourceStep, step)) {
      violations.push(
        `${where}: reads ${kind}/${name}, which Argo CD makes only later (${source.kind} in ${describeStep(sourceStep)})`,
      );
    }
  }
  return violations;
}

/**
 * Whom a service is rolled out after: orders asks catalog, inventory and payments to take the
 * stock, the code's use and the money at once (decision 0035), a field their previous release
 * refuses with a 400.
 */
const rollsOutAfter: Readonly<Record<string, readonly string[]>> = {
  orders: ['catalog', 'inventory', 'payments'],
};

/**
 * Argo CD applies a service's Deployment and Rollout in a later phase or wave than those of the
 * services it must be rolled out after, so that it waits for their rollouts to finish.
 */
function rolloutOrderViolations(objects: readonly K8sObject[]): string[] {
  const workloads = objects.filter((object) => ['Deployment', 'Rollout'].includes(object.kind));
  const where = (object: K8sObject) =>
    `${object.kind}/${object.metadata.name} (${describeStep(syncStep(object))})`;
  return Object.entries(rollsOutAfter).flatMap(([service, first]) =>
    workloads
      .filter((later) => later.metadata.name === service)
      .flatMap((later) =>
        workloads
          .filter((earlier) => first.includes(earlier.metadata.name))
          .filter((earlier) => !before(syncStep(earlier), syncStep(later)))
          .map(
            (earlier) =>
              `${where(later)}: is not rolled out after ${where(earlier)}, whose previous release refuses what ${service} asks of it`,
          ),
      ),
  );
}

/**
 * Every in-cluster address the settings and Secrets give (`http://identity:8081`,
 * `redis://redis.data.svc:6379`) is a Service of the render with that port: a name that differs
 * leaves a service retrying a host that does not resolve.
 */
export function addressViolations(objects: readonly K8sObject[]): string[] {
  const violations: string[] = [];
  const services = new Map(
    byKind(objects, 'Service').map((service) => [
      `${service.metadata.name}.${service.metadata.namespace ?? 'bazaar'}`,
      (service.spec.ports ?? []).map((port: K8sObject) => port.port),
    ]),
  );
  const settings = [...byKind(objects, 'ConfigMap'), ...byKind(objects, 'Secret')].flatMap(
    (holder) =>
      Object.entries({ ...holder.data, ...holder.stringData }).map(([key, value]) => ({
        where: `${holder.kind}/${holder.metadata.name} ${key}`,
        value:
          holder.stringData?.[key] !== undefined || holder.kind === 'ConfigMap'
            ? String(value)
            : Buffer.from(String(value), 'base64').toString('utf8'),
      })),
  );
  for (const { where, value } of settings) {
    for (const address of value.split(',')) {
      if (!/^[a-z]+:\/\//.test(address)) continue;
      const url = new URL(address);
      const [name, namespace = 'bazaar', svc] = url.hostname.split('.');
      if (url.hostname.includes('.') && svc !== 'svc') continue;
      const ports = services.get(`${name}.${namespace}`);
      if (!ports?.includes(Number(url.port))) {
        violations.push(`${where}: ${url.hostname}:${url.port} is no Service of the cluster`);
      }
    }
  }
  return violations;
}
