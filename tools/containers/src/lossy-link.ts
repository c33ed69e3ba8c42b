import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ComposeProject, docker } from './docker.js';

const image = 'bazaar-netfaults:test';
let built: Promise<void> | undefined;

/** iptables and tc in a container of their own, from the Debian base of `npm run images:offline`. */
function buildImage(): Promise<void> {
  built ??= (async () => {
    const context = await mkdtemp(join(tmpdir(), 'bazaar-netfaults-'));
    try {
      await writeFile(
        join(context, 'Dockerfile'),
        'FROM bazaar-offline/bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends iproute2 iptables && rm -rf /var/lib/apt/lists/*\n',
      );
      await docker('build', '--network=host', '-t', image, context);
    } finally {
      await rm(context, { recursive: true, force: true });
    }
  })();
  return built;
}

/** Runs `script` in the network namespace of `service`'s container, with NET_ADMIN. */
async function inNetworkOf(project: ComposeProject, service: string, script: string) {
  return docker(
    'run',
    '--rm',
    '--network',
    `container:${await project.container(service)}`,
    '--cap-add',
    'NET_ADMIN',
    image,
    'bash',
    '-euc',
    script,
  );
}

export type LossyLink = {
  /** Whether the delay was added too: it needs the kernel's netem, which not every kernel has. */
  delayed: boolean;
  restore: () => Promise<void>;
};

/**
 * Drops `lossPercent` of the packets `from` sends to `to` (iptables' random match, in the
 * kernel: TCP retransmits them as it would on a bad link) and, where the kernel has netem, delays
 * them by `delay` (tc's syntax, `100ms 50ms`). The rest of `from`'s traffic is untouched.
 */
export async function lossyLink(
  project: ComposeProject,
  from: string,
  to: string,
  fault: { lossPercent: number; delay: string },
): Promise<LossyLink> {
  await buildImage();
  const [own, peer] = [await project.addressOf(from), await project.addressOf(to)];
  const rule = `OUTPUT -d ${peer}/32 -m statistic --mode random --probability ${fault.lossPercent / 100} -j DROP`;
  // The interface that holds the default network's address: with two networks it may be eth1.
  const device = `$(ip -o -4 addr show | awk '$4 ~ /^${own.replaceAll('.', '\\.')}\\// {print $2}')`;
  const delayed =
    (await inNetworkOf(
      project,
      from,
      `iptables -A ${rule}
       dev=${device}
       if tc qdisc add dev "$dev" root handle 1: prio 2>/dev/null; then
         tc qdisc add dev "$dev" parent 1:3 handle 30: netem delay ${fault.delay}
         tc filter add dev "$dev" protocol ip parent 1:0 prio 1 u32 match ip dst ${peer}/32 flowid 1:3
         echo delayed
       fi`,
    )) === 'delayed';
  return {
    delayed,
    restore: async () => {
      await inNetworkOf(
        project,
        from,
        `iptables -D ${rule}; tc qdisc del dev ${device} root 2>/dev/null || true`,
      );
    },
  };
}
