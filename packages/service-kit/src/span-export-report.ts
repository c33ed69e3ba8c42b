import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-node';

type ExportResult = Parameters<Parameters<SpanExporter['export']>[1]>[0];

/** Spans this process could not deliver, shared by the preload and the service's metrics. */
const dropped = Symbol.for('bazaar.spans.dropped');
type WithCount = { [dropped]?: number };

/** How many spans the exporter has dropped since the process started (0 without tracing). */
export function droppedSpans(): number {
  return (globalThis as WithCount)[dropped] ?? 0;
}

/**
 * The exporter, made to say so when its receiver is away: one warning when spans start being
 * dropped, one line when they arrive again (with how many were lost), and the count for
 * `bazaar_spans_dropped_total`. Without it the SDK drops spans without a word.
 */
export function reportingExporter(
  inner: SpanExporter,
  write: (line: object) => void = (line) => process.stderr.write(`${JSON.stringify(line)}\n`),
): SpanExporter {
  let failingSince: number | undefined;
  return {
    export(spans: ReadableSpan[], done: (result: ExportResult) => void) {
      inner.export(spans, (result) => {
        // ExportResultCode.SUCCESS is 0.
        if (result.code !== 0) {
          const global = globalThis as WithCount;
          global[dropped] = (global[dropped] ?? 0) + spans.length;
          if (failingSince === undefined) {
            failingSince = droppedSpans() - spans.length;
            write({
              level: 40,
              time: new Date().toISOString(),
              msg: 'spans are being dropped: the trace receiver is not answering',
              err: { message: result.error?.message ?? 'export failed' },
            });
          }
        } else if (failingSince !== undefined) {
          write({
            level: 30,
            time: new Date().toISOString(),
            msg: 'spans reach the trace receiver again',
            dropped: droppedSpans() - failingSince,
          });
          failingSince = undefined;
        }
        done(result);
      });
    },
    shutdown: () => inner.shutdown(),
    ...(inner.forceFlush ? { forceFlush: () => inner.forceFlush?.() ?? Promise.resolve() } : {}),
  };
}
