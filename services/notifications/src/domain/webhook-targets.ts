import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import type { Agent } from 'undici';

/**
 * Addresses a webhook must never reach: this host, private and carrier networks, link-local (the
 * cloud metadata service at 169.254.169.254), multicast and reserved ranges, for IPv4 and IPv6
 * (IPv4-mapped IPv6 addresses are checked as the IPv4 address they carry).
 */
const internal = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  internal.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  internal.addSubnet(network, prefix, 'ipv6');
}

export function isInternalAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return internal.check(mapped, 'ipv4');
  return internal.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

/** A target a webhook may not call, saying why. */
export class RefusedTarget extends Error {
  override name = 'RefusedTarget';
}

/** Every address `host` resolves to, each checked unless `allowInternal`. */
export async function checkedAddresses(
  host: string,
  allowInternal: boolean,
): Promise<Array<{ address: string; family: number }>> {
  const bare = host.replace(/^\[|\]$/g, '');
  const addresses = isIP(bare)
    ? [{ address: bare, family: isIP(bare) }]
    : await lookup(bare, { all: true }).catch((error: NodeJS.ErrnoException) => {
        throw new RefusedTarget(`${host} does not resolve (${error.code ?? error.message})`);
      });
  const refused = addresses.find(({ address }) => isInternalAddress(address));
  if (refused && !allowInternal) {
    throw new RefusedTarget(`${host} is an internal address (${refused.address})`);
  }
  return addresses;
}

/**
 * The dispatcher every delivery goes through: each connection, the first and each redirect's,
 * resolves its host once, refuses it when any address is internal (unless `allowInternal`, a
 * dev-only setting), and connects to the address it checked, so a DNS answer that changes between
 * the check and the connection (rebinding) cannot slip through. undici is loaded only now, with the
 * first delivery: a shop without webhooks does not carry it (about 10 MB of memory).
 */
export async function guardedAgent(options: {
  allowInternal: boolean;
  timeoutMs: number;
}): Promise<Agent> {
  const { Agent, buildConnector } = await import('undici');
  const connect = buildConnector({ timeout: options.timeoutMs });
  return new Agent({
    connect: (target, callback) => {
      checkedAddresses(target.hostname, options.allowInternal).then(
        ([first]) =>
          connect(
            {
              ...target,
              hostname: first?.address ?? target.hostname,
              // TLS still checks the certificate against the name, not the address.
              servername: isIP(target.hostname) ? undefined : target.hostname,
            } as typeof target,
            callback,
          ),
        (error: Error) => callback(error, null),
      );
    },
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
  });
}
