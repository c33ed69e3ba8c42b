// The preload of every service process (`node --import <this bundle> services/<name>/dist/main.js`):
// tracing must hook PostgreSQL, Redis and HTTP before the service's own modules load them. With
// no OTEL_EXPORTER_OTLP_ENDPOINT it loads nothing and hooks nothing, so tracing costs nothing.
import { register } from 'node:module';
import { Type } from 'typebox';
import { ConfigError, parseConfig, tracingConfig } from './config.js';
import { probePaths } from './probe-paths.js';
import { reportingExporter } from './span-export-report.js';

async function startTracing(endpoint: string | undefined, serviceName: string | undefined) {
  if (!endpoint) return;
  if (!serviceName) {
    throw new ConfigError(
      'OTEL_SERVICE_NAME: missing, expected the service name spans carry (needed with OTEL_EXPORTER_OTLP_ENDPOINT)',
    );
  }
  // Loaded only now, so that a process without tracing never loads the SDK.
  const [
    { createAddHookMessageChannel },
    { NodeTracerProvider, BatchSpanProcessor },
    { OTLPTraceExporter },
    { resourceFromAttributes, detectResources, envDetector },
    { registerInstrumentations },
    { HttpInstrumentation },
    { UndiciInstrumentation },
    { PgInstrumentation },
    { IORedisInstrumentation },
  ] = await Promise.all([
    import('import-in-the-middle'),
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/instrumentation'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-undici'),
    import('@opentelemetry/instrumentation-pg'),
    import('@opentelemetry/instrumentation-ioredis'),
  ]);
  // Only the modules an instrumentation asks for go through the loader hook, not every import.
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);

  const provider = new NodeTracerProvider({
    // OTEL_RESOURCE_ATTRIBUTES (service.version, deployment.environment.name, …) add to the name.
    resource: resourceFromAttributes({ 'service.name': serviceName }).merge(
      detectResources({ detectors: [envDetector] }),
    ),
    spanProcessors: [new BatchSpanProcessor(reportingExporter(new OTLPTraceExporter()))],
  });
  // The W3C trace context propagator and an AsyncLocalStorage context manager.
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      // Background loops (relays, sweepers, consumers waiting for events) run outside any
      // request: their polls and calls would each be a trace of their own. The OTLP exporter's
      // own posts run outside any request too, and with tracing suppressed.
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => probePaths.has(request.url ?? ''),
        requireParentforOutgoingSpans: true,
      }),
      // The gateway's proxy and notifications' webhooks.
      new UndiciInstrumentation({ requireParentforSpans: true }),
      new PgInstrumentation({ requireParentSpan: true, ignoreConnectSpans: true }),
      new IORedisInstrumentation({ requireParentSpan: true }),
    ],
  });
  await waitForAllMessagesAcknowledged();
}

try {
  const config = parseConfig(Type.Object(tracingConfig), process.env);
  await startTracing(config.OTEL_EXPORTER_OTLP_ENDPOINT, config.OTEL_SERVICE_NAME);
} catch (error) {
  console.error(`tracing: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
