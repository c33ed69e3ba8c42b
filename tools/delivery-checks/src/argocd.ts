import { existsSync } from 'node:fs';
import { type K8sObject, renderKustomization } from './kubernetes.js';

/**
 * Argo CD's rules: every Application syncs by itself, prunes and heals drift; a Helm chart is pinned
 * to an exact version; a path in this repository exists.
 */
export function argoViolations(applications: readonly K8sObject[], root: URL): string[] {
  const violations: string[] = [];
  for (const application of applications) {
    const name = `Application/${application.metadata.name}`;
    const automated = application.spec?.syncPolicy?.automated;
    if (automated?.prune !== true) violations.push(`${name}: does not prune`);
    if (automated?.selfHeal !== true) violations.push(`${name}: does not heal drift`);
    const source = application.spec?.source ?? {};
    if (source.chart && !/^v?\d+\.\d+\.\d+$/.test(String(source.targetRevision))) {
      violations.push(`${name}: chart ${source.chart} is not pinned to a version`);
    }
    if (source.path && !existsSync(new URL(`${source.path}/`, root))) {
      violations.push(`${name}: path ${source.path} does not exist`);
    }
  }
  return violations;
}

/** Kinds of no namespace that an application of Bazaar's could hold. */
const clusterScoped = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'ClusterSecretStore',
  'ClusterIssuer',
  'CustomResourceDefinition',
  'StorageClass',
  'PriorityClass',
  'PersistentVolume',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
]);

/**
 * Every application is in one of `projects`, from a source it allows, into a namespace it allows,
 * and makes only the cluster-wide kinds it lists (as the application's path renders with
 * kustomize; a chart cannot be rendered here).
 */
export function projectViolations(
  projects: readonly K8sObject[],
  applications: readonly K8sObject[],
  root: URL,
): string[] {
  const violations: string[] = [];
  for (const application of applications) {
    const name = `Application/${application.metadata.name}`;
    const { source = {}, destination = {}, project: projectName } = application.spec ?? {};
    const project = projects.find((candidate) => candidate.metadata.name === projectName);
    if (!project) {
      violations.push(`${name}: in project ${projectName}, which is not one of Bazaar's`);
      continue;
    }
    const { sourceRepos = [], destinations = [], clusterResourceWhitelist = [] } = project.spec;
    if (!sourceRepos.includes(source.repoURL)) {
      violations.push(`${name}: comes from ${source.repoURL}, which its project does not allow`);
    }
    const allowed = destinations.some(
      (to: K8sObject) => to.server === destination.server && to.namespace === destination.namespace,
    );
    if (!allowed) {
      violations.push(
        `${name}: goes to namespace ${destination.namespace}, which its project does not allow`,
      );
    }
    if (!source.path || !existsSync(new URL(`${source.path}/kustomization.yaml`, root))) continue;
    const allows = (group: string, kind: string) =>
      clusterResourceWhitelist.some(
        (entry: K8sObject) =>
          (entry.group === '*' || entry.group === group) &&
          (entry.kind === '*' || entry.kind === kind),
      );
    for (const object of renderKustomization(new URL(`${source.path}/`, root).pathname)) {
      const [group = '', version] = String(object.apiVersion).split('/');
      const apiGroup = version === undefined ? '' : group;
      if (clusterScoped.has(object.kind) && !allows(apiGroup, object.kind)) {
        violations.push(
          `${name}: makes ${object.kind}/${object.metadata.name}, a cluster-wide kind its project does not allow`,
        );
      }
    }
  }
  return violations;
}
