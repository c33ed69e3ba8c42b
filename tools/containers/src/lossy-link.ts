import { waitFor } from '@bazaar/testing/until';
import { type ComposeProject, docker } from './docker.js';
import { buildSuiteImage, suiteImages } from './images.js';

const image = suiteImages.netfaults.tag;

/** `docker run` of `command` in the network namespace of `service`'s container, with NET_ADMIN. */
async function inNetworkOf(
  project: ComposeProject,
  service: string,
  options: string[],
  command: string[],
): Promise<string> {
  const network = `container:${await project.container(service)}`;
  return docker(
    'run',
    ...options,
    '--network',
    network,
    '--cap-add',
    'NET_ADMIN',
    image,
    ...command,
  );
}

export type LossyLink = {
  /** Undoes the fault; tells how many packets it dropped and how many it delayed. */
  restore: () => Promise<{ dropped: number; delayed: number }>;
};

/**
 * Drops `lossPercent` of the packets `from` sends to `to` (iptables' random match, in the kernel:
 * TCP retransmits them as it would on a bad link) and holds the rest for `delayMs` ± `jitterMs`
 * (iptables queues them to nfq-delay, which lets each go when its time comes). The rest of
 * `from`'s traffic is untouched.
 */
export async function lossyLink(
  project: ComposeProject,
  from: string,
  to: string,
  fault: { lossPercent: number; delayMs: number; jitterMs: number },
): Promise<LossyLink> {
  await buildSuiteImage('netfaults');
  // `to` is on several networks, and its name resolves to each of its addresses.
  const peer = (await project.addressesOf(to)).join(',');
  const rules = [
    `OUTPUT -d ${peer} -m statistic --mode random --probability ${fault.lossPercent / 100} -j DROP`,
    // --queue-bypass: were nfq-delay gone, packets would pass rather than be dropped.
    `OUTPUT -d ${peer} -j NFQUEUE --queue-num 0 --queue-bypass`,
  ];
  const iptables = (script: string) =>
    inNetworkOf(project, from, ['--rm'], ['bash', '-euc', script]);
  // Ten minutes at most: a test that stops half way leaves no delay behind for long.
  const delayer = await inNetworkOf(
    project,
    from,
    ['--rm', '--detach'],
    ['timeout', '600', 'nfq-delay', '0', String(fault.delayMs), String(fault.jitterMs)],
  );
  await waitFor(
    () => docker('logs', delayer),
    (logs) => logs.includes('ready'),
    { timeoutMs: 10_000 },
  );
  await iptables(rules.map((rule) => `iptables -A ${rule}`).join('\n'));
  return {
    restore: async () => {
      const counted = await iptables(
        `iptables -L OUTPUT -n -v -x | awk '$3 == "DROP" || $3 == "NFQUEUE" {print $3, $1}'
         ${rules.map((rule) => `iptables -D ${rule}`).join('\n')}`,
      );
      // Its last packets are let go before it is removed.
      await docker('stop', '--time', '1', delayer);
      const packets = (target: string) =>
        counted
          .split('\n')
          .filter((line) => line.startsWith(`${target} `))
          .reduce((sum, line) => sum + Number(line.split(' ')[1]), 0);
      return { dropped: packets('DROP'), delayed: packets('NFQUEUE') };
    },
  };
}
