import type { lookup } from 'node:dns';
import { expect, test } from 'vitest';
import { spreadingLookup } from '../src/spreading-lookup.js';

/** A name with two replicas behind it, which the resolver lists in a different order each time. */
const twoReplicas = (() => {
  let flip = false;
  return ((_hostname: string, _options: object, callback: (...args: unknown[]) => void) => {
    flip = !flip;
    const addresses = [
      { address: '10.0.0.7', family: 4 },
      { address: '10.0.0.12', family: 4 },
    ];
    callback(null, flip ? addresses : addresses.toReversed());
  }) as unknown as typeof lookup;
})();

const connectTo = (spread: ReturnType<typeof spreadingLookup>) =>
  new Promise<string>((resolve, reject) =>
    spread('orders', { all: false }, (error, address) =>
      error ? reject(error) : resolve(address as string),
    ),
  );

test('new connections go to each replica in turn, whatever order the resolver gives', async () => {
  const spread = spreadingLookup(twoReplicas);
  const addresses = [];
  for (let n = 0; n < 4; n += 1) addresses.push(await connectTo(spread));
  expect(addresses).toEqual(['10.0.0.12', '10.0.0.7', '10.0.0.12', '10.0.0.7']);
});

test('a replica that refused a connection is passed over; when all refused, all are tried', async () => {
  const spread = spreadingLookup(twoReplicas);
  spread.avoid(
    Object.assign(new Error('connect ECONNREFUSED'), {
      code: 'ECONNREFUSED',
      address: '10.0.0.7',
    }),
  );
  expect([await connectTo(spread), await connectTo(spread)]).toEqual(['10.0.0.12', '10.0.0.12']);
  // A reset connection says nothing of the address: it stays in turn.
  spread.avoid(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }));
  spread.avoid(
    Object.assign(new Error('connect ECONNREFUSED'), {
      code: 'ECONNREFUSED',
      address: '10.0.0.12',
    }),
  );
  expect(new Set([await connectTo(spread), await connectTo(spread)])).toEqual(
    new Set(['10.0.0.7', '10.0.0.12']),
  );
});
