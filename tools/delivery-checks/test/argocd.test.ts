import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { argoViolations, projectViolations } from '../src/argocd.js';
import { karpenterViolations } from '../src/karpenter.js';
import {
  type K8sObject,
  parseManifests,
  renderKustomization,
  schemaErrors,
} from '../src/kubernetes.js';
import {
  alertmanagerRoutes,
  environmentNameViolations,
  monitoringStackViolations,
} from '../src/platform.js';
import { environmentNames, readTerraform, readTfvars } from '../src/terraform.js';

const root = new URL('../../../', import.meta.url);
const read = (directory: URL): K8sObject[] =>
  readdirSync(directory)
    .filter((name) => name.endsWith('.yaml'))
    .flatMap((name) => parseManifests(readFileSync(new URL(name, directory), 'utf8')));

const terraform = await readTerraform(new URL('deploy/terraform', root).pathname);
const amtool = ['/usr/bin/amtool', '/usr/local/bin/amtool'].some((path) => existsSync(path));
if (!amtool && process.env.BAZAAR_PROMTOOL === 'required') {
  throw new Error('BAZAAR_PROMTOOL=required but amtool is not installed');
}
const projects = parseManifests(readFileSync(new URL('deploy/argocd/project.yaml', root), 'utf8'));
/** An environment's platform layer as rendered: its Applications, and Karpenter's nodes. */
const platformRender = (environment: string) =>
  renderKustomization(new URL(`deploy/argocd/platform/${environment}`, root).pathname);
const platformOf = (environment: string) =>
  platformRender(environment).filter((object) => object.kind === 'Application');

test('the projects validate against the Argo CD schema', async () => {
  expect(projects.map((project) => `${project.kind}/${project.metadata.name}`)).toEqual([
    'AppProject/bazaar',
    'AppProject/platform',
  ]);
  expect(await schemaErrors(projects)).toEqual([]);
});

describe.each(['dev', 'staging', 'prod'])('the platform layer of %s', (environment) => {
  const platform = platformOf(environment);

  test("every controller, driver and monitor from a pinned chart, in its project, before Bazaar, under the environment's names", async () => {
    expect(platform.map((app) => app.metadata.name).sort()).toEqual(
      [
        'aws-ebs-csi-driver',
        'argo-rollouts',
        'aws-for-fluent-bit',
        'aws-load-balancer-controller',
        'cert-manager',
        'cluster-issuers',
        'external-dns',
        'external-secrets',
        'karpenter',
        'kube-prometheus-stack',
        'metrics-server',
        'otel-collector',
        'prometheus-adapter',
        ...(environment === 'dev' ? ['loki'] : []),
      ].sort(),
    );
    expect(await schemaErrors(platform)).toEqual([]);
    expect(argoViolations(platform, root)).toEqual([]);
    expect(projectViolations(projects, platform, root)).toEqual([]);
    const wave = (app: K8sObject) =>
      Number(app.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0);
    for (const app of platform) expect(wave(app)).toBeLessThan(0);
    const named = (name: string) => platform.find((app) => app.metadata.name === name) as K8sObject;
    // Issuers once cert-manager runs; the charts whose webhooks they sign after them.
    expect(wave(named('cert-manager'))).toBeLessThan(wave(named('cluster-issuers')));
    expect(wave(named('cluster-issuers'))).toBeLessThan(
      wave(named('aws-load-balancer-controller')),
    );
    expect(wave(named('kube-prometheus-stack'))).toBeLessThan(wave(named('prometheus-adapter')));
    // Nodes come first: every other controller's pods need somewhere to run.
    for (const app of platform.filter((each) => each.metadata.name !== 'karpenter')) {
      expect(wave(named('karpenter'))).toBeLessThan(wave(app));
    }
    expect(JSON.stringify(platform)).not.toMatch(/CLUSTER|DOMAIN|ALERT_TOPIC_ARN/);
  });

  test('names what its Terraform makes: the cluster, its interruption queue and nodes, its VPC, the zone, the log group, the alert topic, the region', async () => {
    const tfvars = await readTfvars(
      new URL(`deploy/terraform/environments/${environment}.tfvars`, root).pathname,
    );
    const names = environmentNames(terraform, tfvars);
    expect(names.cluster).toBe(`bazaar-${environment}`);
    expect(environmentNameViolations(platformRender(environment), names)).toEqual([]);
  });

  test("puts Bazaar's services on Spot across instance families, the rest on demand, with headroom, and Terraform feeds Karpenter EC2's warnings", async () => {
    const nodes = platformRender(environment).filter((object) => object.kind !== 'Application');
    expect(nodes.map((object) => `${object.kind}/${object.metadata.name}`).sort()).toEqual([
      'Deployment/headroom',
      'EC2NodeClass/default',
      'NodePool/services',
      'NodePool/system',
      'PriorityClass/headroom',
    ]);
    expect(await schemaErrors(nodes)).toEqual([]);
    const bazaar = renderKustomization(
      new URL(`deploy/k8s/overlays/${environment}`, root).pathname,
    );
    expect(karpenterViolations(nodes, bazaar, terraform)).toEqual([]);
    // Prod holds its replicas to every zone strictly; the others where they can.
    const zoneRules = bazaar
      .filter((object) => object.kind === 'Deployment')
      .flatMap((deployment) => deployment.spec.template.spec.topologySpreadConstraints)
      .filter((constraint) => constraint.topologyKey === 'topology.kubernetes.io/zone')
      .map((constraint) => constraint.whenUnsatisfiable);
    expect(new Set(zoneRules)).toEqual(
      new Set([environment === 'prod' ? 'DoNotSchedule' : 'ScheduleAnyway']),
    );
  });

  test("takes Bazaar's ServiceMonitors and alert rules, serves orders' autoscaler its metric, and collects the spans where the services send them", () => {
    const bazaar = [
      ...renderKustomization(new URL(`deploy/k8s/overlays/${environment}`, root).pathname),
      ...renderKustomization(new URL('deploy/observability', root).pathname),
    ];
    expect(bazaar.filter((object) => object.kind === 'ServiceMonitor')).toHaveLength(1);
    expect(monitoringStackViolations(platform, bazaar)).toEqual([]);
  });

  test.skipIf(!amtool)(
    "Alertmanager's configuration holds (amtool), and pages for Bazaar's page alerts only",
    () => {
      const stack = platform.find(
        (app) => app.metadata.name === 'kube-prometheus-stack',
      ) as K8sObject;
      const routed = alertmanagerRoutes(stack, [
        { alertname: 'OutboxStale', severity: 'page' },
        { alertname: 'ConsumerLagging', severity: 'ticket' },
        { alertname: 'KubePodCrashLooping', severity: 'critical' },
        { alertname: 'Watchdog', severity: 'none' },
      ]);
      expect(routed.output).toContain('SUCCESS');
      expect(routed.receivers).toEqual(['page', 'ticket', 'page', 'null']);
    },
  );
});

test('a platform layer that would leave Bazaar unmonitored, or name another environment, is caught', async () => {
  const broken = parseManifests(
    readFileSync(new URL('fixtures/platform-broken.yaml', import.meta.url), 'utf8'),
  );
  const prod = renderKustomization(new URL('deploy/k8s/overlays/prod', root).pathname);
  expect(monitoringStackViolations(broken, prod)).toEqual([
    'ServiceMonitor/bazaar: Prometheus takes only those labelled with its release (serviceMonitorSelectorNilUsesHelmValues is not false)',
    'HorizontalPodAutoscaler/orders: scales on bazaar_checkouts_in_flight, which the Prometheus Adapter does not serve',
    expect.stringMatching(
      /^ConfigMap\/bazaar-settings-\w+: spans go to http:\/\/otel-collector.observability.svc:4318, where no collector listens$/,
    ),
  ]);
  const tfvars = await readTfvars(
    new URL('deploy/terraform/environments/prod.tfvars', root).pathname,
  );
  expect(environmentNameViolations(broken, environmentNames(terraform, tfvars))).toEqual([
    'aws-load-balancer-controller: clusterName is bazaar-staging, but Terraform makes bazaar-prod',
    'aws-load-balancer-controller: the VPC tagged Name is undefined, but Terraform makes bazaar-prod',
    'Alertmanager: a topic is bazaar-alerts, but Terraform makes bazaar-prod-alerts',
    'kube-prometheus-stack: the region is us-east-1, but Terraform makes eu-west-1',
  ]);
  if (!amtool) return;
  const stack = broken.find((app) => app.metadata.name === 'kube-prometheus-stack') as K8sObject;
  const routed = alertmanagerRoutes(stack, [{ severity: 'page' }]);
  expect(routed.ok).toBe(false);
  expect(routed.output).toContain('undefined receiver "pager"');
});

describe.each(['dev', 'staging', 'prod'])('Argo CD for %s', (environment) => {
  const roots = read(new URL('deploy/argocd/roots/', root)).filter((app) =>
    app.metadata.name.endsWith(environment),
  );
  const applications = read(new URL(`deploy/argocd/environments/${environment}/`, root));

  test('a root application (app of apps) points at the environment, which holds Bazaar and NATS', () => {
    expect(roots.map((app) => app.spec.source.path)).toEqual([
      `deploy/argocd/environments/${environment}`,
    ]);
    expect(applications.map((app) => app.metadata.name)).toEqual(
      expect.arrayContaining(['bazaar', 'nats']),
    );
  });

  test('every application validates against the Argo CD schema and keeps the rules', async () => {
    expect(await schemaErrors([...roots, ...applications])).toEqual([]);
    expect(argoViolations([...roots, ...applications], root)).toEqual([]);
  });

  test('every application is in a project of ours, which allows its source, its namespace and the cluster-wide kinds it makes; the platform comes first', () => {
    expect(projectViolations(projects, [...roots, ...applications], root)).toEqual([]);
    const wave = (name: string) =>
      Number(
        applications.find((app) => app.metadata.name === name)?.metadata.annotations?.[
          'argocd.argoproj.io/sync-wave'
        ] ?? 0,
      );
    expect(wave('platform')).toBeLessThan(wave('bazaar'));
  });
});

test('applications that break the rules are caught', async () => {
  const broken = parseManifests(
    readFileSync(new URL('fixtures/argocd-broken.yaml', import.meta.url), 'utf8'),
  );
  expect(await schemaErrors(broken)).toEqual([
    expect.stringMatching(/^Application\/bazaar: .*selfHeal must be boolean/),
  ]);
  expect(argoViolations(broken, root)).toEqual([
    'Application/redis: does not prune',
    'Application/redis: does not heal drift',
    'Application/redis: chart redis is not pinned to a version',
    'Application/bazaar: does not heal drift',
    'Application/bazaar: path deploy/k8s/overlays/qa does not exist',
  ]);
});

test('a project too narrow for its applications, or an application outside it, is caught', () => {
  const [narrow] = parseManifests(
    readFileSync(new URL('fixtures/argocd-project-broken.yaml', import.meta.url), 'utf8'),
  ) as [K8sObject];
  const prod = read(new URL('deploy/argocd/environments/prod/', root)).filter(
    (app) => app.spec.project === 'bazaar',
  );
  expect(projectViolations([narrow], prod, root)).toEqual([
    'Application/bazaar: makes ClusterSecretStore/aws-secrets-manager, a cluster-wide kind its project does not allow',
    'Application/nats: comes from https://nats-io.github.io/k8s/helm/charts/, which its project does not allow',
    'Application/nats: goes to namespace nats, which its project does not allow',
    'Application/postgres-exporter: comes from https://prometheus-community.github.io/helm-charts, which its project does not allow',
  ]);
  const broken = parseManifests(
    readFileSync(new URL('fixtures/argocd-broken.yaml', import.meta.url), 'utf8'),
  );
  expect(projectViolations(projects, broken, root)).toEqual(
    expect.arrayContaining(["Application/redis: in project default, which is not one of Bazaar's"]),
  );
});

test('nodes that would put stateful pods on Spot, services on one family without headroom, or miss a warning, are caught', async () => {
  const broken = parseManifests(
    readFileSync(new URL('fixtures/karpenter-broken.yaml', import.meta.url), 'utf8'),
  );
  const bazaar = renderKustomization(new URL('deploy/k8s/overlays/prod', root).pathname);
  const brokenTerraform = await readTerraform(
    new URL('fixtures/karpenter-broken', import.meta.url).pathname,
  );
  expect(karpenterViolations(broken, bazaar, brokenTerraform)).toEqual([
    'NodePool/system: takes every untolerating pod, stateful ones too, on spot or on-demand',
    ...[
      'cart',
      'catalog',
      'gateway',
      'identity',
      'inventory',
      'notifications',
      'orders',
      'payments',
      'pgbouncer',
    ].map(
      (name) => `Deployment/${name}: its NodePool services has 1 instance families, fewer than 3`,
    ),
    'EC2NodeClass/default: instance metadata not IMDSv2-only one hop away',
    'EC2NodeClass/default: a volume not encrypted',
    expect.stringMatching(
      /^NodePool\/services: may grow to 8 CPUs, but the services at their maximum with a surge pod each ask [\d.]+$/,
    ),
    'Terraform: no rule sends "EC2 Spot Instance Interruption Warning" to Karpenter\'s queue',
    'Terraform: no rule sends "AWS Health Event" to Karpenter\'s queue',
    'Terraform: the security group carry no karpenter.sh/discovery tag',
  ]);
  const tfvars = await readTfvars(
    new URL('deploy/terraform/environments/prod.tfvars', root).pathname,
  );
  const withApplications = [...platformOf('prod'), ...broken];
  expect(environmentNameViolations(withApplications, environmentNames(terraform, tfvars))).toEqual([
    "EC2NodeClass/default: the nodes' role is bazaar-staging-node, but Terraform makes bazaar-prod-node",
    "EC2NodeClass/default: subnetSelectorTerms' discovery tag is bazaar-staging, but Terraform makes bazaar-prod",
  ]);
});
