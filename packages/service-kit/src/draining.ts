import type { FastifyInstance } from 'fastify';

const draining = new WeakSet<FastifyInstance>();

/**
 * From now on every answer carries `connection: close`: a kept-alive client reconnects (to another
 * replica) after its next answer instead of holding a connection the service is about to close.
 */
export function beginDraining(app: FastifyInstance): void {
  draining.add(app);
}

/** Whether the app is stopping (`beginDraining`): a load balancer should send it no more. */
export function isDraining(app: FastifyInstance): boolean {
  return draining.has(app);
}
