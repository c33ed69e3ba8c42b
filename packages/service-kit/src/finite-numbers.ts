import type { FastifyInstance } from 'fastify';
import { DomainError } from './errors.js';

type Schema = { type?: unknown; properties?: Record<string, Schema> } | undefined;

const numberTypes = new Set(['integer', 'number']);

/**
 * Refuses a value that a route's schema wants as a number when it reads as one too large to be
 * (`limit=1e309`, or `{"quantity": "1e309"}` in a body): Ajv coerces it to Infinity, then skips
 * its range checks, so it would reach the database. Query, path and body (nested objects too).
 */
export function installFiniteNumbers(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const schema = request.routeOptions.schema;
    for (const [location, values, part] of [
      ['querystring', request.query, schema?.querystring as Schema],
      ['params', request.params, schema?.params as Schema],
      ['body', request.body, schema?.body as Schema],
    ] as const) {
      const field = infiniteField(values, part);
      if (field) {
        throw new DomainError('invalid_request', `${field} is out of range`, {
          errors: [{ field, in: location, message: 'is too large a number' }],
        });
      }
    }
  });
}

/** The path of the first value a numeric property of `schema` would be coerced to Infinity from. */
function infiniteField(values: unknown, schema: Schema, path = ''): string | undefined {
  if (!schema?.properties || typeof values !== 'object' || values === null) return undefined;
  for (const [name, value] of Object.entries(values as Record<string, unknown>)) {
    const property = schema.properties[name];
    const field = path ? `${path}.${name}` : name;
    if (numberTypes.has(String(property?.type))) {
      for (const text of Array.isArray(value) ? value : [value]) {
        if (typeof text === 'string' && Math.abs(Number(text)) === Infinity) return field;
      }
    } else {
      const nested = infiniteField(value, property, field);
      if (nested) return nested;
    }
  }
  return undefined;
}
