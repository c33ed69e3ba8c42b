import { type LookupAddress, lookup } from 'node:dns';
import type { LookupFunction } from 'node:net';

export type SpreadingLookup = LookupFunction & {
  /** Told of a failed connection: an address that refused one is passed over for two seconds. */
  avoid: (error: unknown) => void;
};

/** How long an address that refused a connection (a replica stopping or starting) is passed over. */
const avoidMs = 2000;

/**
 * A resolver for one pool of connections that hands each new connection the next of a name's
 * addresses (a compose service at two replicas has two), in a fixed order, passing over those
 * that just refused one: the system resolver would give every connection the same first address,
 * and a retry after a refused connection must go elsewhere. Behind a Kubernetes Service the name
 * is one address, and kube-proxy spreads the connections instead.
 */
export function spreadingLookup(resolve: typeof lookup = lookup): SpreadingLookup {
  let turn = 0;
  const refused = new Map<string, number>();
  const spread: LookupFunction = (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error || addresses.length === 0) {
        callback(error, '', 0);
        return;
      }
      const now = Date.now();
      const sorted = addresses.toSorted((a, b) => a.address.localeCompare(b.address));
      const open = sorted.filter(({ address }) => (refused.get(address) ?? 0) <= now);
      const candidates = open.length > 0 ? open : sorted;
      const start = turn++ % candidates.length;
      const rotated = [...candidates.slice(start), ...candidates.slice(0, start)];
      const { address, family } = rotated[0] as LookupAddress;
      // Node asks for every address when it races them (autoSelectFamily), else for one.
      if (options.all) callback(null, rotated);
      else callback(null, address, family);
    });
  };
  return Object.assign(spread, {
    avoid: (error: unknown) => {
      const { code, address } = (error ?? {}) as { code?: string; address?: unknown };
      if (code === 'ECONNREFUSED' && typeof address === 'string') {
        refused.set(address, Date.now() + avoidMs);
      }
    },
  });
}
