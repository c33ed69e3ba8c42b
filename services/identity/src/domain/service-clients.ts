import { createHash, timingSafeEqual } from 'node:crypto';

/** The services allowed to ask for service tokens, with a digest of each one's secret. */
export type ServiceClients = ReadonlyMap<string, Buffer>;

/** Reads `orders:secret,cart:secret` as set in SERVICE_CLIENTS. */
export function parseServiceClients(setting: string): ServiceClients {
  const entries = setting
    .split(',')
    .filter(Boolean)
    .map((pair): [string, Buffer] => {
      const [name = '', secret = ''] = pair.split(':');
      return [name, digest(secret)];
    });
  return new Map(entries);
}

/** Compares in constant time, so the answer's timing tells nothing about the secret. */
export function isServiceClient(clients: ServiceClients, name: string, secret: string): boolean {
  const expected = clients.get(name);
  return expected !== undefined && timingSafeEqual(expected, digest(secret));
}

function digest(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}
