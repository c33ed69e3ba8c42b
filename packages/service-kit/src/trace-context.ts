import { type ProxyTracerProvider, trace } from '@opentelemetry/api';

/**
 * The ids of the span a log line is written in, so a log line leads to its trace; nothing when
 * tracing is off or the line is written outside any span.
 */
export function activeTraceIds(): { trace_id?: string; span_id?: string } {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

/** Names the request's server span after its route template (`POST /api/checkout`), not its URL. */
export function nameServerSpan(method: string, route: string | undefined): void {
  if (!route) return;
  const span = trace.getActiveSpan();
  span?.updateName(`${method} ${route}`);
  span?.setAttribute('http.route', route);
}

/** Exports the spans still buffered, at most `timeoutMs`: a collector that is away must not hold up an exit. */
export async function flushSpans(timeoutMs: number): Promise<void> {
  const provider = (trace.getTracerProvider() as ProxyTracerProvider).getDelegate() as {
    forceFlush?: () => Promise<void>;
  };
  if (!provider.forceFlush) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    provider.forceFlush().catch(() => undefined),
    new Promise((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    }),
  ]);
  clearTimeout(timer);
}
