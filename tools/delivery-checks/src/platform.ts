import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { K8sObject } from './kubernetes.js';
import type { EnvironmentNames } from './terraform.js';

/** The Helm values an Application gives its chart. */
const valuesOf = (applications: readonly K8sObject[], name: string): K8sObject | undefined =>
  applications.find((application) => application.metadata.name === name)?.spec.source?.helm
    ?.valuesObject;

/** Every value named `key` anywhere under `values`. */
function valuesNamed(values: unknown, key: string): unknown[] {
  if (!values || typeof values !== 'object') return [];
  return Object.entries(values).flatMap(([name, value]) => [
    ...(name === key ? [value] : []),
    ...valuesNamed(value, key),
  ]);
}

/**
 * The platform layer names the environment's AWS resources as its Terraform makes them: the
 * cluster and its interruption queue (Karpenter), the nodes' role and the discovery tag of their
 * subnets and security group (the EC2NodeClass), the cluster and its VPC's Name tag (the load
 * balancer controller), the zone's domain and the cluster as owner (ExternalDNS), the log group
 * (Fluent Bit), the alert topic (Alertmanager), the region (everywhere a chart is told one). A
 * name that differs leaves a controller with nothing to act on.
 */
export function environmentNameViolations(
  platform: readonly K8sObject[],
  names: EnvironmentNames,
): string[] {
  const applications = platform.filter((object) => object.kind === 'Application');
  const violations: string[] = [];
  const expect = (what: string, actual: unknown, expected: string) => {
    if (actual !== expected)
      violations.push(`${what} is ${actual}, but Terraform makes ${expected}`);
  };
  const karpenter = valuesOf(applications, 'karpenter')?.settings;
  if (karpenter) {
    expect('karpenter: clusterName', karpenter.clusterName, names.cluster);
    expect(
      'karpenter: the interruption queue',
      karpenter.interruptionQueue,
      names.interruptionQueue,
    );
  }
  for (const nodeClass of platform.filter((object) => object.kind === 'EC2NodeClass')) {
    const where = `EC2NodeClass/${nodeClass.metadata.name}`;
    expect(`${where}: the nodes' role`, nodeClass.spec.role, names.nodeRole);
    for (const terms of ['subnetSelectorTerms', 'securityGroupSelectorTerms']) {
      for (const term of nodeClass.spec[terms] ?? []) {
        expect(
          `${where}: ${terms}' discovery tag`,
          term.tags?.['karpenter.sh/discovery'],
          names.cluster,
        );
      }
    }
  }
  const alb = valuesOf(applications, 'aws-load-balancer-controller');
  expect('aws-load-balancer-controller: clusterName', alb?.clusterName, names.cluster);
  expect('aws-load-balancer-controller: the VPC tagged Name', alb?.vpcTags?.Name, names.cluster);
  const dns = valuesOf(applications, 'external-dns');
  expect('external-dns: the domain', dns?.domainFilters?.join(','), names.domain);
  expect('external-dns: the owner', dns?.txtOwnerId, names.cluster);
  const logs = valuesOf(applications, 'aws-for-fluent-bit');
  expect('aws-for-fluent-bit: the log group', logs?.cloudWatchLogs?.logGroupName, names.logGroup);
  const alertmanager = valuesOf(applications, 'kube-prometheus-stack')?.alertmanager?.config;
  for (const topic of valuesNamed(alertmanager, 'topic_arn')) {
    expect('Alertmanager: a topic', String(topic).split(':').at(-1), names.alertTopic);
  }
  for (const application of applications) {
    for (const region of valuesNamed(application.spec.source?.helm?.valuesObject, 'region')) {
      expect(`${application.metadata.name}: the region`, region, names.region);
    }
  }
  return violations;
}

/**
 * What Bazaar's monitoring needs of the platform layer: a Prometheus that takes Bazaar's
 * ServiceMonitors and PrometheusRules (which carry no label of its release), the custom metric
 * each autoscaler scales on served by the Prometheus Adapter, and a collector listening where the
 * services send their spans.
 */
export function monitoringStackViolations(
  applications: readonly K8sObject[],
  bazaar: readonly K8sObject[],
): string[] {
  const violations: string[] = [];
  const stack = valuesOf(applications, 'kube-prometheus-stack');
  const prometheus = stack?.prometheus?.prometheusSpec ?? {};
  for (const [kind, setting] of [
    ['ServiceMonitor', 'serviceMonitorSelectorNilUsesHelmValues'],
    ['PrometheusRule', 'ruleSelectorNilUsesHelmValues'],
  ] as const) {
    for (const object of bazaar.filter((candidate) => candidate.kind === kind)) {
      if (prometheus[setting] !== false && !object.metadata.labels?.release) {
        violations.push(
          `${kind}/${object.metadata.name}: Prometheus takes only those labelled with its release (${setting} is not false)`,
        );
      }
    }
  }
  const served = new Set(
    (valuesOf(applications, 'prometheus-adapter')?.rules?.custom ?? []).map(
      (rule: K8sObject) => rule.name?.as ?? /^(\w+)/.exec(rule.seriesQuery)?.[1],
    ),
  );
  for (const autoscaler of bazaar.filter((object) => object.kind === 'HorizontalPodAutoscaler')) {
    for (const metric of autoscaler.spec.metrics ?? []) {
      const name = metric.pods?.metric?.name ?? metric.object?.metric?.name;
      if (name && !served.has(name)) {
        violations.push(
          `HorizontalPodAutoscaler/${autoscaler.metadata.name}: scales on ${name}, which the Prometheus Adapter does not serve`,
        );
      }
    }
  }
  const collector = applications.find(
    (application) => application.metadata.name === 'otel-collector',
  );
  const values = collector?.spec.source?.helm?.valuesObject ?? {};
  const config = values.alternateConfig ?? values.config ?? {};
  const listening = [
    `http://${values.fullnameOverride}.${collector?.spec.destination?.namespace}.svc:${String(config.receivers?.otlp?.protocols?.http?.endpoint).split(':').at(-1)}`,
  ];
  for (const settings of bazaar.filter((object) => object.kind === 'ConfigMap')) {
    const endpoint = settings.data?.OTEL_EXPORTER_OTLP_ENDPOINT;
    if (endpoint && !listening.includes(endpoint)) {
      violations.push(
        `ConfigMap/${settings.metadata.name}: spans go to ${endpoint}, where no collector listens`,
      );
    }
  }
  return violations;
}

/**
 * Alertmanager's configuration as kube-prometheus-stack is given it, checked by `amtool
 * check-config`, and the receiver each of `alerts` (labels) is routed to, by `amtool config
 * routes test`.
 */
export function alertmanagerRoutes(
  application: K8sObject,
  alerts: ReadonlyArray<Record<string, string>>,
): { ok: boolean; output: string; receivers: string[] } {
  const scratch = mkdtempSync(join(tmpdir(), 'bazaar-alertmanager-'));
  const file = join(scratch, 'alertmanager.yaml');
  writeFileSync(
    file,
    JSON.stringify(application.spec.source.helm.valuesObject.alertmanager.config),
  );
  const amtool = (args: string[]) =>
    execFileSync('amtool', args, { encoding: 'utf8', stdio: 'pipe' });
  try {
    const output = amtool(['check-config', file]);
    const receivers = alerts.map((labels) =>
      amtool([
        'config',
        'routes',
        'test',
        `--config.file=${file}`,
        ...Object.entries(labels).map(([name, value]) => `${name}=${value}`),
      ]).trim(),
    );
    return { ok: true, output, receivers };
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${failure.stdout ?? ''}${failure.stderr ?? ''}`, receivers: [] };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
