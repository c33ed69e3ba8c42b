import { type K8sObject, rolloutOf } from './kubernetes.js';
import { serviceCalls } from './kubernetes-policy.js';

type Analysis = { templates?: Array<{ templateName: string }>; args?: Array<{ name: string }> };

/** Seconds in a duration such as `3m`, `90s` or `1h`. */
const seconds = (duration: unknown): number => {
  const [, amount, unit] = /^(\d+)(s|m|h)?$/.exec(String(duration)) ?? [];
  return Number(amount) * ({ s: 1, m: 60, h: 3600 }[unit ?? 's'] ?? Number.NaN);
};

/**
 * What progressive delivery must be for Bazaar, one line each:
 * - every service's pods are run by a Rollout from its Deployment's template, and the autoscaler
 *   scales the Rollout (one that scaled the Deployment would fight the Rollout keeping it at 0);
 * - the gateway is blue-green behind the Service the ALB's Ingress routes to, its preview a
 *   Service of its own, an analysis after the switch, the old pods kept for as long as it runs;
 * - every other service is a canary that never takes a replica away, by weights with pauses,
 *   analysed from its first step;
 * - each analysis names templates that exist and gives every argument they ask for; each metric
 *   asks the cluster's Prometheus (`prometheus`) about the new version's pods alone, with a
 *   success condition and a failure limit.
 */
export function rolloutViolations(objects: readonly K8sObject[], prometheus: string): string[] {
  const violations: string[] = [];
  const of = (kind: string) => objects.filter((object) => object.kind === kind);
  const rollouts = of('Rollout');
  const templates = of('AnalysisTemplate');
  const services = of('Service');

  for (const deployment of of('Deployment')) {
    const name = deployment.metadata.name;
    if (!(name in serviceCalls)) continue;
    if (!rolloutOf(objects, name)) violations.push(`Deployment/${name}: no Rollout runs its pods`);
  }
  for (const autoscaler of of('HorizontalPodAutoscaler')) {
    const target = autoscaler.spec.scaleTargetRef ?? {};
    const runner = target.kind === 'Deployment' ? rolloutOf(objects, target.name) : undefined;
    if (runner) {
      violations.push(
        `HorizontalPodAutoscaler/${autoscaler.metadata.name}: scales Deployment/${target.name}, whose pods Rollout/${runner.metadata.name} runs`,
      );
    }
  }

  const analysisViolations = (where: string, analysis: Analysis | undefined): string[] => {
    if (!analysis?.templates?.length) return [`${where}: no analysis of the new version`];
    const given = new Set((analysis.args ?? []).map((arg) => arg.name));
    return analysis.templates.flatMap(({ templateName }) => {
      const template = templates.find((each) => each.metadata.name === templateName);
      if (!template) return [`${where}: AnalysisTemplate/${templateName} does not exist`];
      return (template.spec.args ?? [])
        .filter((arg: K8sObject) => arg.value === undefined && !given.has(arg.name))
        .map(
          (arg: K8sObject) =>
            `${where}: gives AnalysisTemplate/${templateName} no argument ${arg.name}`,
        );
    });
  };
  /** How long an analysis of these templates runs at most, in seconds. */
  const analysisSeconds = (analysis: Analysis | undefined) =>
    Math.max(
      0,
      ...(analysis?.templates ?? []).flatMap(
        ({ templateName }) =>
          templates
            .find((each) => each.metadata.name === templateName)
            ?.spec.metrics.map(
              (metric: K8sObject) => seconds(metric.interval ?? '0s') * (metric.count ?? 1),
            ) ?? [],
      ),
    );

  for (const rollout of rollouts) {
    const where = `Rollout/${rollout.metadata.name}`;
    const { blueGreen, canary } = rollout.spec.strategy ?? {};
    if (!rollout.spec.workloadRef?.scaleDown) {
      violations.push(`${where}: leaves its Deployment's pods running beside its own`);
    }
    if (rollout.metadata.name === 'gateway') {
      const ingress = of('Ingress').find((each) => each.metadata.name === 'gateway');
      const routed = ingress?.spec.rules?.[0]?.http?.paths?.[0]?.backend?.service?.name;
      if (!blueGreen) {
        violations.push(`${where}: not blue-green behind the ALB's Service`);
        continue;
      }
      if (blueGreen.activeService !== routed) {
        violations.push(
          `${where}: switches Service/${blueGreen.activeService}, but the ALB routes to Service/${routed}`,
        );
      }
      if (
        !blueGreen.previewService ||
        blueGreen.previewService === blueGreen.activeService ||
        !services.some((service) => service.metadata.name === blueGreen.previewService)
      ) {
        violations.push(`${where}: no preview Service of its own for the new version`);
      }
      const analysis = blueGreen.postPromotionAnalysis;
      violations.push(...analysisViolations(where, analysis));
      const kept = blueGreen.scaleDownDelaySeconds ?? 30;
      if (kept < analysisSeconds(analysis)) {
        violations.push(
          `${where}: scales the old pods down ${kept} s after the switch, before the analysis that would switch back ends (${analysisSeconds(analysis)} s)`,
        );
      }
      continue;
    }
    if (!canary) {
      violations.push(`${where}: not a canary`);
      continue;
    }
    if (String(canary.maxUnavailable ?? '25%') !== '0') {
      violations.push(
        `${where}: the canary may take a replica away (maxUnavailable ${canary.maxUnavailable ?? '25%'})`,
      );
    }
    const steps: K8sObject[] = canary.steps ?? [];
    const paused = steps.some(
      (step, index) =>
        step.setWeight !== undefined &&
        step.setWeight < 100 &&
        steps.slice(index + 1).some((later) => later.pause !== undefined),
    );
    if (!paused) violations.push(`${where}: no partial weight held by a pause before all`);
    violations.push(...analysisViolations(where, canary.analysis));
  }

  for (const template of templates) {
    const declared = new Set((template.spec.args ?? []).map((arg: K8sObject) => arg.name));
    for (const metric of template.spec.metrics ?? []) {
      const where = `AnalysisTemplate/${template.metadata.name} metric ${metric.name}`;
      const query = metric.provider?.prometheus?.query;
      if (!query) {
        violations.push(`${where}: not a Prometheus query`);
        continue;
      }
      if (metric.provider.prometheus.address !== prometheus) {
        violations.push(
          `${where}: asks ${metric.provider.prometheus.address}, not the cluster's Prometheus (${prometheus})`,
        );
      }
      for (const [, used] of String(query).matchAll(/\{\{\s*args\.([\w-]+)\s*\}\}/g)) {
        if (!declared.has(used)) violations.push(`${where}: uses undeclared argument ${used}`);
      }
      if (!/pod=~"[^"]*\{\{\s*args\.hash\s*\}\}/.test(query)) {
        violations.push(`${where}: does not single out the new version's pods`);
      }
      if (!metric.successCondition) violations.push(`${where}: no success condition`);
      if (metric.failureLimit === undefined) violations.push(`${where}: no failure limit`);
    }
  }
  return violations;
}
