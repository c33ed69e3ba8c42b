import { type K8sObject, renderKustomization } from '@bazaar/delivery-checks/kubernetes';
import { waitFor } from '@bazaar/testing/until';
import { afterAll, expect, test } from 'vitest';
import { docker, dockerEngine } from '../src/docker.js';

/**
 * The data stores of the `local` overlay (deploy/k8s/overlays/local), started as their pods
 * would be, from the rendered StatefulSets: the pod's user and group, a read-only root, every
 * capability dropped, no privilege escalation, emptyDir volumes (as tmpfs owned by the pod's
 * group), the environment from the rendered Secrets; then each pod's readiness probe, run as the
 * kubelet would. No cluster runs here; this is the part of one a Docker engine can run.
 */
const engine = dockerEngine();
const root = new URL('../../../', import.meta.url).pathname;
const network = `bazaar-local-overlay-${process.pid}`;
const started: string[] = [];

afterAll(async () => {
  if (started.length) await docker('rm', '-f', ...started);
  await docker('network', 'rm', network).catch(() => undefined);
});

/** `docker run` arguments for a pod's one container, as the kubelet would start it. */
function runArguments(objects: readonly K8sObject[], pod: K8sObject): string[] {
  const [container] = pod.containers as K8sObject[];
  if (!container) throw new Error('a pod without a container');
  const { runAsUser, runAsGroup = runAsUser, fsGroup = runAsGroup } = pod.securityContext ?? {};
  const context = container.securityContext ?? {};
  const secretValue = (name: string, key: string) => {
    const secret = objects.find(
      (object) => object.kind === 'Secret' && object.metadata.name === name,
    );
    if (!secret?.data?.[key]) throw new Error(`no ${key} in Secret/${name}`);
    return Buffer.from(secret.data[key], 'base64').toString('utf8');
  };
  const volumes = new Map<string, K8sObject>(
    (pod.volumes ?? []).map((volume: K8sObject) => [volume.name, volume]),
  );
  return [
    ...['--network', network, '--user', `${runAsUser}:${runAsGroup}`],
    ...(context.readOnlyRootFilesystem ? ['--read-only'] : []),
    ...(context.allowPrivilegeEscalation === false ? ['--security-opt', 'no-new-privileges'] : []),
    ...(context.capabilities?.drop ?? []).flatMap((capability: string) => [
      '--cap-drop',
      capability,
    ]),
    ...(container.env ?? []).flatMap((variable: K8sObject) => [
      '--env',
      `${variable.name}=${
        variable.valueFrom?.secretKeyRef
          ? secretValue(variable.valueFrom.secretKeyRef.name, variable.valueFrom.secretKeyRef.key)
          : variable.value
      }`,
    ]),
    ...(container.volumeMounts ?? []).flatMap((mount: K8sObject) => {
      if (!volumes.get(mount.name)?.emptyDir) throw new Error(`${mount.name}: not an emptyDir`);
      return ['--tmpfs', `${mount.mountPath}:uid=${runAsUser},gid=${fsGroup},mode=0770`];
    }),
    ...(container.command ? ['--entrypoint', container.command[0]] : []),
    container.image,
    ...(container.command?.slice(1) ?? []),
    ...(container.args ?? []),
  ];
}

/** Whether a container's readiness probe passes now. */
async function ready(id: string, container: K8sObject): Promise<boolean> {
  const probe = container.readinessProbe ?? {};
  if (probe.exec)
    return docker('exec', id, ...probe.exec.command).then(
      () => true,
      () => false,
    );
  const port = (container.ports ?? []).find(
    (candidate: K8sObject) => candidate.name === probe.httpGet.port,
  )?.containerPort;
  const address = await docker(
    'inspect',
    '--format',
    `{{(index .NetworkSettings.Networks "${network}").IPAddress}}`,
    id,
  );
  return fetch(`http://${address}:${port}${probe.httpGet.path}`, {
    signal: AbortSignal.timeout(2000),
  }).then(
    (response) => response.ok,
    () => false,
  );
}

test.skipIf(!engine)(
  "the local overlay's PostgreSQL, Redis and NATS start under their pods' hardening and pass their readiness probes",
  async () => {
    const objects = renderKustomization(`${root}deploy/k8s/overlays/local`);
    const sets = objects.filter((object) => object.kind === 'StatefulSet');
    expect(sets.map((set) => set.metadata.name).sort()).toEqual(['nats', 'postgres', 'redis']);
    await docker('network', 'create', network);
    for (const set of sets) {
      started.push(
        await docker('run', '--detach', ...runArguments(objects, set.spec.template.spec)),
      );
    }
    for (const [index, set] of sets.entries()) {
      const id = started[index] as string;
      const [container] = set.spec.template.spec.containers;
      const passed = await waitFor(
        () => ready(id, container),
        (yes) => yes,
        { timeoutMs: 60_000 },
      ).catch(async () => {
        throw new Error(
          `${set.metadata.name} never ready:\n${await docker('logs', '--tail', '20', id)}`,
        );
      });
      expect(passed, set.metadata.name).toBe(true);
    }
  },
  120_000,
);
