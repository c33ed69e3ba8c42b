import fc from 'fast-check';
import type { JsonSchema, Operation } from './openapi.js';
import { fillPath } from './openapi.js';

/** A request as the fuzzer sends it: the body already text, so it can be anything at all. */
export type MalformedRequest = {
  method: string;
  path: string;
  contentType: string | undefined;
  body: string | undefined;
};

const injections = [
  "' OR '1'='1",
  "'; DROP TABLE orders; --",
  '" OR 1=1 --',
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '..%2f..%2f..%2fetc%2fpasswd',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log4j-style lookup, sent as text
  '${jndi:ldap://127.0.0.1/a}',
  '{{7*7}}',
  '%00',
  '\u0000',
  '\ud800',
  '$where',
  '{"$gt": ""}',
  'constructor',
  '__proto__',
  'NaN',
  '-0',
  '1e309',
];

const hostileString = fc.oneof(
  fc.constantFrom(...injections),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constant('x'.repeat(70_000)),
);

const hostileNumber = fc.oneof(
  fc.constantFrom(0, -1, 1.5, -0.000001, 2 ** 53 + 1, -(2 ** 63), 1e308, -1e308, 99_999_999_999),
  fc.double(),
  fc.integer(),
);

/** Keys that try to reach an object's prototype, or to look like operators of a query language. */
const hostileKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', '$gt', '$where', 'toString', ''),
  fc.string({ maxLength: 12 }),
);

const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    hostileNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileKey, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** Text JSON.stringify cannot make: an own `__proto__` key, nesting a parser may choke on, junk. */
const rawBodies = fc.oneof(
  fc.constantFrom(
    '{"__proto__": {"polluted": "yes", "isAdmin": true}}',
    '{"constructor": {"prototype": {"polluted": "yes"}}}',
    `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
    `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`,
    '{"sku": ',
    'null',
    '',
    '[]',
    '"a string"',
    '\u0000\u0001\u0002',
    '{"quantity": 1e999}',
    '{"a": 1, "a": 2}',
  ),
  fc.string({ maxLength: 200 }),
);

/** An object shaped like `schema` with every field bent: wrong types, extremes, extra keys. */
function bentBody(schema: JsonSchema | undefined): fc.Arbitrary<unknown> {
  const properties = Object.keys(schema?.properties ?? {});
  if (properties.length === 0) return hostileValue;
  return fc
    .record(Object.fromEntries(properties.map((name) => [name, hostileValue])), {
      requiredKeys: [],
    })
    .chain((body) =>
      fc
        .dictionary(hostileKey, hostileValue, { maxKeys: 2 })
        .map((extra) => ({ ...extra, ...body })),
    );
}

function bentQuery(query: Record<string, JsonSchema>): fc.Arbitrary<string> {
  const names = [...Object.keys(query), 'unknown', '__proto__[polluted]', 'limit[]'];
  return fc
    .dictionary(fc.constantFrom(...names), fc.oneof(hostileString, hostileNumber.map(String)), {
      maxKeys: 3,
    })
    .map((values) => {
      const search = new URLSearchParams(Object.entries(values).map(([k, v]) => [k, String(v)]));
      return search.size > 0 ? `?${search}` : '';
    });
}

/** `count` malformed requests to `operation`, the same ones for the same `seed`. */
export function malformedRequests(
  operation: Operation,
  count: number,
  seed: number,
): MalformedRequest[] {
  const hasBody = !['GET', 'DELETE', 'HEAD'].includes(operation.method);
  const request = fc.record({
    params: fc.array(fc.oneof(hostileString, hostileNumber.map(String)), {
      minLength: operation.pathParameters.length,
      maxLength: operation.pathParameters.length,
    }),
    query: bentQuery(operation.query),
    body: hasBody
      ? fc.oneof(
          bentBody(operation.body).map((body) => JSON.stringify(body)),
          rawBodies,
        )
      : fc.constant(undefined),
    contentType: fc.constantFrom(
      'application/json',
      'application/json',
      'application/json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/json; charset=utf-7',
    ),
  });
  return fc.sample(request, { numRuns: count, seed }).map((sample) => {
    let index = 0;
    const path = fillPath(operation, () => String(sample.params[index++] ?? ''));
    return {
      method: operation.method,
      path: `${path}${sample.query}`,
      contentType: sample.body === undefined ? undefined : sample.contentType,
      body: sample.body as string | undefined,
    };
  });
}
