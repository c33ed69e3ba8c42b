import {
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import type { CloudEvent } from './cloud-event.js';

// Spans follow OpenTelemetry's messaging conventions: `send <type>` by the relay that publishes an
// event, `process <type>` by each consumer that applies it, both in the trace of the change the
// event announces. Without the SDK (tracing off) every call here is a no-op.
const tracer = trace.getTracer('@bazaar/events');

export type Transport = 'nats' | 'postgres';

function traceparentOf(within: Context): string | undefined {
  const carrier: { traceparent?: string } = {};
  propagation.inject(within, carrier);
  return carrier.traceparent;
}

/** The `traceparent` of the active span, to store beside an event written to the outbox. */
export function currentTraceparent(): string | null {
  return traceparentOf(context.active()) ?? null;
}

function contextOf(traceparent: string | null | undefined): Context {
  return traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : ROOT_CONTEXT;
}

function endSpan(span: Span, error?: unknown): void {
  if (error !== undefined) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}

/**
 * A `send` span per event, child of the change that wrote it (events written outside any trace
 * get none). Each envelope carries its send span's context on; `end` closes them all.
 */
export function startSendSpans(
  events: readonly CloudEvent[],
  transport: Transport,
): { events: CloudEvent[]; end: (error?: unknown) => void } {
  const spans: Span[] = [];
  const traced = events.map((event) => {
    if (!event.traceparent) return event;
    const span = tracer.startSpan(
      `send ${event.type}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': transport,
          'messaging.operation.type': 'send',
          'messaging.destination.name': event.type,
          'messaging.message.id': event.id,
        },
      },
      contextOf(event.traceparent),
    );
    spans.push(span);
    return {
      ...event,
      traceparent: traceparentOf(trace.setSpan(ROOT_CONTEXT, span)) ?? event.traceparent,
    };
  });
  return {
    events: traced,
    end: (error) => {
      for (const span of spans) endSpan(span, error);
    },
  };
}

/** Runs a consumer's handling of an event in a `process` span, in the event's trace. */
export function inProcessSpan<T>(
  event: CloudEvent,
  consumer: { name: string; transport: Transport },
  handle: () => Promise<T>,
): Promise<T> {
  return tracer.startActiveSpan(
    `process ${event.type}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': consumer.transport,
        'messaging.operation.type': 'process',
        'messaging.destination.name': event.type,
        'messaging.consumer.group.name': consumer.name,
        'messaging.message.id': event.id,
      },
    },
    contextOf(event.traceparent),
    async (span) => {
      try {
        const result = await handle();
        endSpan(span);
        return result;
      } catch (error) {
        endSpan(span, error);
        throw error;
      }
    },
  );
}
