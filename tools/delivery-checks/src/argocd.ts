import { existsSync } from 'node:fs';
import type { K8sObject } from './kubernetes.js';

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
    if (source.chart && !/^\d+\.\d+\.\d+$/.test(String(source.targetRevision))) {
      violations.push(`${name}: chart ${source.chart} is not pinned to a version`);
    }
    if (source.path && !existsSync(new URL(`${source.path}/`, root))) {
      violations.push(`${name}: path ${source.path} does not exist`);
    }
  }
  return violations;
}
