import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-node';
import { expect, test } from 'vitest';
import { droppedSpans, reportingExporter } from '../src/span-export-report.js';

test('spans the receiver does not take are counted, and said once when it goes away and once when it is back', async () => {
  let receiverUp = false;
  const inner: SpanExporter = {
    export: (_spans, done) =>
      done(receiverUp ? { code: 0 } : { code: 1, error: new Error('connect ECONNREFUSED') }),
    shutdown: async () => {},
  };
  const lines: Array<Record<string, unknown>> = [];
  const exporter = reportingExporter(inner, (line) => lines.push(line as Record<string, unknown>));
  const send = (count: number) =>
    new Promise((resolve) => exporter.export(Array(count).fill({}) as ReadableSpan[], resolve));
  const before = droppedSpans();

  await send(3);
  await send(2);
  receiverUp = true;
  await send(4);

  expect(droppedSpans() - before).toBe(5);
  expect(lines).toEqual([
    expect.objectContaining({
      level: 40,
      msg: 'spans are being dropped: the trace receiver is not answering',
      err: { message: 'connect ECONNREFUSED' },
    }),
    expect.objectContaining({ level: 30, msg: 'spans reach the trace receiver again', dropped: 5 }),
  ]);
});
