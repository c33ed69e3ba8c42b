import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A span as a test reads it, flattened from OTLP/JSON. */
export type ReceivedSpan = {
  service: string;
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  /** OTLP's SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  attributes: Record<string, unknown>;
};

export type OtlpReceiver = {
  /** What services put in OTEL_EXPORTER_OTLP_ENDPOINT. */
  url: string;
  spans: () => readonly ReceivedSpan[];
  close: () => Promise<void>;
};

type AnyValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean };
type KeyValue = { key: string; value: AnyValue };
type ExportRequest = {
  resourceSpans?: Array<{
    resource?: { attributes?: KeyValue[] };
    scopeSpans?: Array<{
      spans?: Array<{
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind: number;
        attributes?: KeyValue[];
      }>;
    }>;
  }>;
};

const plainValue = (value: AnyValue) => value.stringValue ?? value.intValue ?? value.boolValue;
const attributesOf = (list: KeyValue[] = []) =>
  Object.fromEntries(list.map(({ key, value }) => [key, plainValue(value)]));

/**
 * An OTLP/HTTP receiver that keeps every span it is sent (JSON encoding, as the SDK's
 * `exporter-trace-otlp-http` posts to `/v1/traces`): a collector for a test to read, in its own
 * process (`spans()`) or from another (`GET /spans`). On loopback unless told otherwise.
 */
export async function startOtlpReceiver(
  listen: { host: string; port: number } = { host: '127.0.0.1', port: 0 },
): Promise<OtlpReceiver> {
  const received: ReceivedSpan[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method === 'GET' && request.url === '/spans') {
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify(received));
        return;
      }
      if (request.method !== 'POST' || request.url !== '/v1/traces') {
        response.writeHead(404).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ExportRequest;
      for (const { resource, scopeSpans = [] } of body.resourceSpans ?? []) {
        const service = String(attributesOf(resource?.attributes)['service.name']);
        for (const { spans = [] } of scopeSpans) {
          for (const span of spans) {
            received.push({
              service,
              name: span.name,
              traceId: span.traceId,
              spanId: span.spanId,
              parentSpanId: span.parentSpanId || undefined,
              kind: span.kind,
              attributes: attributesOf(span.attributes),
            });
          }
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(listen.port, listen.host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${listen.host}:${port}`,
    spans: () => received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
