import { execFileSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';

// biome-ignore lint/suspicious/noExplicitAny: manifests are read as plain data and checked field by field
export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; [key: string]: any };
  [key: string]: any;
};

/** The objects `kubectl kustomize <directory>` renders. */
export function renderKustomization(directory: string): K8sObject[] {
  return parseManifests(execFileSync('kubectl', ['kustomize', directory], { encoding: 'utf8' }));
}

export function parseManifests(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((document) => document.toJS() as K8sObject | null)
    .filter((object): object is K8sObject => object !== null);
}

/** The model of each kind, from the published Kubernetes, External Secrets and Argo CD schemas. */
async function modelOf(object: K8sObject) {
  const [group, version] = object.apiVersion.includes('/')
    ? object.apiVersion.split('/')
    : ['', object.apiVersion];
  const extensions: Record<string, string> = {
    'external-secrets.io': '@kubernetes-models/external-secrets',
    'argoproj.io': '@kubernetes-models/argo-cd',
  };
  const specifier = extensions[group ?? '']
    ? `${extensions[group ?? '']}/${group}/${version}/${object.kind}`
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
      new Model(asDecoded(object)).validate();
    } catch (error) {
      errors.push(`${name}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  return errors;
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
