import { services } from '@bazaar/launcher/services';

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  [keyword: string]: unknown;
};

/** One operation of a service's public API, as its OpenAPI document declares it. */
export type Operation = {
  service: string;
  method: string;
  /** The route template, `/api/orders/{id}`. */
  path: string;
  pathParameters: string[];
  query: Record<string, JsonSchema>;
  body: JsonSchema | undefined;
};

type OpenApiDocument = {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: Array<{ name: string; in: string; schema: JsonSchema }>;
        requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
      }
    >
  >;
};

/**
 * The operations the gateway routes to the public (`/api`, `/.well-known`) paths of every service,
 * read from each service's own `/openapi.json`, so a route added tomorrow is attacked tomorrow.
 * (The gateway's own document lists its proxy routes, which are the other services' operations.)
 */
export async function publicOperations(urlOf: (service: string) => string): Promise<Operation[]> {
  const operations: Operation[] = [];
  for (const { name } of services.filter((spec) => spec.name !== 'gateway')) {
    const document = (await (await fetch(`${urlOf(name)}/openapi.json`)).json()) as OpenApiDocument;
    for (const [path, methods] of Object.entries(document.paths)) {
      if (!path.startsWith('/api/') && !path.startsWith('/.well-known/')) continue;
      for (const [method, operation] of Object.entries(methods)) {
        const parameters = operation.parameters ?? [];
        operations.push({
          service: name,
          method: method.toUpperCase(),
          path,
          pathParameters: parameters.filter((p) => p.in === 'path').map((p) => p.name),
          query: Object.fromEntries(
            parameters.filter((p) => p.in === 'query').map((p) => [p.name, p.schema]),
          ),
          body: operation.requestBody?.content?.['application/json']?.schema,
        });
      }
    }
  }
  return operations;
}

/** The operation's path with its parameters filled in (a lone surrogate becomes U+FFFD). */
export function fillPath(operation: Operation, value: (name: string) => string): string {
  return operation.path.replaceAll(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(Buffer.from(value(name), 'utf8').toString('utf8')),
  );
}
