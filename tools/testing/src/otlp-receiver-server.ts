import { startOtlpReceiver } from './otlp-receiver.js';

/**
 * The receiver as a process of its own, standing in for the OpenTelemetry Collector where none can
 * be pulled (compose.offline.yaml): services send it spans on :4318, tests read `GET /spans`.
 */
const receiver = await startOtlpReceiver({ host: '0.0.0.0', port: 4318 });
process.stdout.write(`OTLP receiver on ${receiver.url}\n`);
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => void receiver.close().then(() => process.exit(0)));
}
