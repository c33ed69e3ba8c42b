import type { FastifyInstance } from 'fastify';
import { DomainError } from './errors.js';

type PartSchema = { properties?: Record<string, { type?: unknown }> } | undefined;

const numberTypes = new Set(['integer', 'number']);

/**
 * Refuses a query or path value that a route's schema wants as a number when it reads as one too
 * large to be (`limit=1e309`): Ajv coerces it to Infinity, then skips its range checks, so it
 * would reach the database.
 */
export function installFiniteNumbers(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const schema = request.routeOptions.schema;
    for (const [location, values, part] of [
      ['querystring', request.query, schema?.querystring as PartSchema],
      ['params', request.params, schema?.params as PartSchema],
    ] as const) {
      if (!part?.properties) continue;
      for (const [field, value] of Object.entries((values ?? {}) as Record<string, unknown>)) {
        if (!numberTypes.has(String(part.properties[field]?.type))) continue;
        for (const text of Array.isArray(value) ? value : [value]) {
          if (typeof text === 'string' && Math.abs(Number(text)) === Infinity) {
            throw new DomainError('invalid_request', `${field} is out of range`, {
              errors: [{ field, in: location, message: 'is too large a number' }],
            });
          }
        }
      }
    }
  });
}
