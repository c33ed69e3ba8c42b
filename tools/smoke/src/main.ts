import { parseArgs } from 'node:util';
import { smokeJourney } from './journey.js';

/**
 * `npm run smoke -- --url https://staging.shop.example.com [--buy]`: the journey of journey.ts
 * through a shop's public address; exits 1 with one line naming the step that failed. `--buy`
 * signs up, buys with the test card and reads the mail log, as the administrator in
 * SMOKE_ADMIN_EMAIL and SMOKE_ADMIN_PASSWORD.
 */
const { values } = parseArgs({
  options: { url: { type: 'string' }, buy: { type: 'boolean', default: false } },
});
const fail = (line: string): never => {
  process.stderr.write(`smoke: ${line}\n`);
  process.exit(1);
};
const url = values.url ?? fail('--url: missing, the shop address to try (https://…)');
if (!/^https?:\/\/[^\s/]+/.test(url)) fail(`--url: expected an http(s) address, got ${url}`);
const administrator = {
  email: process.env.SMOKE_ADMIN_EMAIL ?? '',
  password: process.env.SMOKE_ADMIN_PASSWORD ?? '',
};
if (values.buy && (!administrator.email || !administrator.password)) {
  fail('SMOKE_ADMIN_EMAIL and SMOKE_ADMIN_PASSWORD: missing, needed by --buy to read the mail log');
}

try {
  await smokeJourney(
    url.replace(/\/$/, ''),
    values.buy ? { buy: { administrator } } : {},
    (step, milliseconds) =>
      process.stdout.write(`smoke: ${step} ok (${Math.round(milliseconds)} ms)\n`),
  );
  process.stdout.write(`smoke: ${url} passed\n`);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
