import { expect, test, vi } from 'vitest';
import { bootWarnings } from '../src/boot-warnings.js';

test("a dependency's error before the app exists is logged as a line, not thrown; afterwards it goes to the app's log", () => {
  const printed = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const warnings = bootWarnings('demo');
  let written: unknown;
  try {
    warnings.warn(
      new Error('connection terminated unexpectedly'),
      'idle database connection failed',
    );
    written = printed.mock.calls.at(-1)?.[0];
  } finally {
    printed.mockRestore();
  }
  const line = JSON.parse(String(written));
  expect(line).toMatchObject({
    level: 40,
    service: 'demo',
    msg: 'idle database connection failed',
    err: { message: 'connection terminated unexpectedly' },
  });

  const logged: unknown[] = [];
  warnings.attach({ warn: (...args: unknown[]) => logged.push(args) } as never);
  warnings.warn(new Error('redis away'), 'redis connection failed');
  expect(logged).toEqual([[{ err: expect.any(Error) }, 'redis connection failed']]);
});
