import { execFileSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';

// biome-ignore lint/suspicious/noExplicitAny: manifests are read as plain data and checked field by field
type Field = any;
export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; [key: string]: Field };
  [key: string]: Field;
};

/** The objects `kubectl kustomize <directory>` renders. */
export function renderKustomization(directory: string): K8sObject[] {
  return parseManifests(execFileSync('kubectl', ['kustomize', directory], { encoding: 'utf8' }));
}

/** A CPU quantity in cores (`250m` → 0.25, `2` → 2). */
export const cpuCores = (quantity: unknown): number =>
  String(quantity).endsWith('m') ? Number.parseFloat(String(quantity)) / 1000 : Number(quantity);

/** A memory quantity in MiB (`192Mi` → 192, `2Gi` → 2048). */
export const mebibytes = (quantity: unknown): number =>
  String(quantity).endsWith('Gi')
    ? Number.parseFloat(String(quantity)) * 1024
    : Number.parseFloat(String(quantity));

/** The Argo Rollout that runs a Deployment's pods from its template (`workloadRef`), if one does. */
export const rolloutOf = (objects: readonly K8sObject[], deployment: string) =>
  objects.find(
    (object) =>
      object.kind === 'Rollout' &&
      object.spec.workloadRef?.kind === 'Deployment' &&
      object.spec.workloadRef?.name === deployment,
  );

/**
 * The HorizontalPodAutoscaler that scales a Deployment's pods, if one does: the Deployment itself,
 * or the Argo Rollout that runs its pods from its template (`workloadRef`).
 */
export const autoscalerOf = (
  objects: readonly K8sObject[],
  deployment: string,
): K8sObject | undefined => {
  const rollout = rolloutOf(objects, deployment);
  const target = rollout
    ? { kind: 'Rollout', name: rollout.metadata.name }
    : { kind: 'Deployment', name: deployment };
  return objects.find(
    (object) =>
      object.kind === 'HorizontalPodAutoscaler' &&
      object.spec.scaleTargetRef?.kind === target.kind &&
      object.spec.scaleTargetRef?.name === target.name,
  );
};

/**
 * The most pods a Deployment may run at once: its autoscaler's maximum and a rollout's surge pod,
 * or its fixed replicas. `objects` holds the autoscalers (`deployment` may come from elsewhere).
 */
export function peakReplicas(objects: readonly K8sObject[], deployment: K8sObject): number {
  const autoscaler = autoscalerOf(objects, deployment.metadata.name);
  if (!autoscaler) return deployment.spec.replicas ?? 1;
  return (
    autoscaler.spec.maxReplicas + Number(deployment.spec.strategy?.rollingUpdate?.maxSurge ?? 1)
  );
}

export function parseManifests(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((document) => document.toJS() as K8sObject | null)
    .filter((object): object is K8sObject => object !== null);
}

/**
 * The model of each kind, from the published Kubernetes, External Secrets, Argo CD, Argo Rollouts,
 * Prometheus Operator, cert-manager and Karpenter schemas.
 */
async function modelOf(object: K8sObject) {
  const [group, version] = object.apiVersion.includes('/')
    ? object.apiVersion.split('/')
    : ['', object.apiVersion];
  const extensions: Record<string, string> = {
    'external-secrets.io': '@kubernetes-models/external-secrets',
    'argoproj.io': '@kubernetes-models/argo-cd',
    'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
    'cert-manager.io': '@kubernetes-models/cert-manager',
    'karpenter.sh': '@kubernetes-models/karpenter',
    'karpenter.k8s.aws': '@kubernetes-models/karpenter',
  };
  // argoproj.io is Argo CD's group and Argo Rollouts' alike.
  const rollouts = ['Rollout', 'AnalysisTemplate'].includes(object.kind)
    ? '@kubernetes-models/argo-rollouts'
    : undefined;
  const library = rollouts ?? extensions[group ?? ''];
  const specifier = library
    ? `${library}/${group}/${version}/${object.kind}`
    : `kubernetes-models/${group ? `${group}/` : ''}${version}/${object.kind}`;
  const module = (await import(specifier).catch(() => undefined)) as
    | Record<string, new (data: unknown) => { validate: () => void }>
    | undefined;
  return module?.[object.kind];
}

/** Each object that does not validate against its kind's schema, with why. */
export async function schemaErrors(objects: readonly K8sObject[]): Promise<string[]> {
  const errors: string[] = [];
  for (const object of objects) {
    const Model = await modelOf(object);
    const name = `${object.kind}/${object.metadata?.name}`;
    if (!Model) {
      errors.push(`${name}: no schema for ${object.apiVersion} ${object.kind}`);
      continue;
    }
    try {
      errors.push(
        ...unknownFields(new Model(asDecoded(object))).map(
          (path) => `${name}: unknown field ${path}`,
        ),
      );
    } catch (error) {
      errors.push(`${name}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  return errors;
}

/**
 * Validates `model` and returns the fields its schema does not know (`spec.replica`), which the
 * models' validators let pass. The validator is run on a proxy that notes every property it looks
 * up: a key of an object whose properties it looked up, but not that key, is unknown. An object
 * it only enumerates (labels, a ConfigMap's data) or never looks into (a chart's free-form
 * values) holds whatever keys it likes. A field whose schema checks nothing is never looked up
 * either, so it is reported too (Argo CD's AppProject `description`): leave such fields out.
 */
function unknownFields(model: { validate: () => void }): string[] {
  const lookedUp = new Map<object, Set<PropertyKey>>();
  const enumerated = new Set<object>();
  const watched = (value: unknown): unknown => {
    if (!value || typeof value !== 'object') return value;
    if (!lookedUp.has(value)) lookedUp.set(value, new Set());
    return new Proxy(value, {
      get: (target, key, receiver) => {
        lookedUp.get(target)?.add(key);
        return watched(Reflect.get(target, key, receiver));
      },
      ownKeys: (target) => {
        enumerated.add(target);
        return Reflect.ownKeys(target);
      },
    });
  };
  model.validate.call(watched(model));
  const unknown: string[] = [];
  const walk = (value: unknown, path: string[]) => {
    if (!value || typeof value !== 'object') return;
    const keys = lookedUp.get(value);
    for (const [key, child] of Object.entries(value)) {
      const known = !keys?.size || enumerated.has(value) || keys.has(key);
      if (!known) unknown.push([...path, key].join('.'));
      walk(child, [...path, key]);
    }
  };
  walk(model, []);
  return unknown;
}

/**
 * Kustomize wraps long base64 values of a Secret over several lines, which the API server decodes
 * as one (it ignores the line breaks) but the schema's "byte" format does not.
 */
function asDecoded(object: K8sObject): K8sObject {
  if (object.kind !== 'Secret' || !object.data) return object;
  const data = Object.fromEntries(
    Object.entries(object.data as Record<string, string>).map(([key, value]) => [
      key,
      value.replace(/\s/g, ''),
    ]),
  );
  return { ...object, data };
}
