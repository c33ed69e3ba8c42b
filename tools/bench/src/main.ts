// `npm run bench`: the shop's figures beside the ceilings of any Node.js service on the same
// machine. Uses the shop on 127.0.0.1:8080 when it runs, else starts one (and says how long that
// took). Only 127.0.0.1 is ever called. Figures go to stdout and test-artifacts/bench/.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { services } from '@bazaar/launcher/services';
import { devAdmin, shopClient } from '@bazaar/testing/shop-client';
import { hammer, type LoadFigures } from './autocannon-run.js';
import { measureCeilings } from './ceilings.js';
import { type CheckoutFigures, runCheckoutLoad, stockUp } from './checkout-load.js';
import { type Costs, costLines, costsBetween, readCosts } from './costs.js';
import { type ImportFigures, runCsvImports } from './csv-imports.js';
import { type MemoryFigures, measureMemory, peakMemoryDuring } from './memory.js';
import { type OpenModelFigures, runOpenModel } from './open-model.js';
import { cpuSecondsOf, useOrStartStack } from './stack.js';
import { runWebhookDelivery, type WebhookFigures } from './webhook-delivery.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    buyers: { type: 'string', default: '50' },
    'checkout-seconds': { type: 'string', default: '20' },
    /** The open model's arrival rates (journeys a second), and how long each is run. */
    rates: { type: 'string', default: '10,20,25,30,40,50,75,100' },
    'open-seconds': { type: 'string', default: '10' },
    port: { type: 'string', default: '8080' },
    /**
     * The Node.js binary the shop started here and the ceilings' servers run on (the images ship
     * Node 24; this machine's may be older); the bench's own by default.
     */
    node: { type: 'string', default: process.execPath },
    /**
     * Some of: ceilings, product-list, product-page, add-to-cart, checkout, open (e.g. to profile one),
     * and, only when named, import (it adds 2,500 draft products to the shop) and webhooks (it
     * adds 5,000 draft products and a subscription it then removes).
     */
    only: { type: 'string' },
  },
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const named = (name: string) => values.only?.split(',').includes(name) ?? false;
const wanted = (name: string) => !values.only || named(name);
const say = (line: string) => process.stdout.write(`${line}\n`);
/** How long the idle shop is watched for what it does with nobody shopping. */
const idleSeconds = 10;

const shopNode = (() => {
  try {
    return execFileSync(values.node, ['--version'], { encoding: 'utf8' }).trim();
  } catch (error) {
    say(`bench: --node ${values.node}: not a Node.js it can run (${(error as Error).message})`);
    process.exit(2);
  }
})();
say(
  `bench: ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, load from Node.js ${process.version}`,
);
const stack = await useOrStartStack(`http://127.0.0.1:${values.port}`, values.node);
try {
  say(
    stack.readySeconds === undefined
      ? 'bench: using the shop already running'
      : `bench: started the shop (npm start, first start) on Node.js ${shopNode}, ready in ${stack.readySeconds} s`,
  );
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const idle = measureMemory(stack.processes());
  const metricsUrls = Object.fromEntries(
    services.map((spec) => [
      spec.name,
      `http://127.0.0.1:${Number(values.port) + spec.portOffset + 1000}/metrics`,
    ]),
  );
  const idleStart = await readCosts(metricsUrls);
  await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1000));
  const idleCosts = costsBetween(idleStart, await readCosts(metricsUrls), { per: idleSeconds });

  const client = shopClient(stack.url);
  const admin = (await client.signIn(devAdmin.email, devAdmin.password)).accessToken;
  const listing = await client.call('GET', '/api/products?inStock=true&limit=40');
  const slugs: string[] = listing.body.items.map((item: { slug: string }) => item.slug);
  const skus: string[] = [];
  for (const slug of slugs) {
    const product = await client.call('GET', `/api/products/${slug}`);
    skus.push(...product.body.variants.map((variant: { sku: string }) => variant.sku));
  }

  const figures: Figures = {
    // A shop already running may run on another Node.js: only the one started here is known.
    shopNode: stack.readySeconds === undefined ? undefined : shopNode,
    readySeconds: stack.readySeconds,
    loads: [],
    costs: { idle: idleCosts },
  };
  /** CPU each of the shop's processes (services, launcher, PostgreSQL) has used so far, in seconds. */
  const shopCpuSeconds = () =>
    Object.fromEntries(
      [...stack.processes()].map(([name, pids]) => [
        name,
        pids.reduce((sum, pid) => sum + cpuSecondsOf(pid), 0),
      ]),
    );
  if (wanted('ceilings')) {
    say('bench: ceilings (bare Fastify, Fastify + one PostgreSQL select)…');
    figures.ceilings = await measureCeilings({
      node: values.node,
      postgresUrl: stack.postgresUrl,
      connections,
      seconds,
    });
  }
  const loads: Array<{ name: string; label: string; options: Parameters<typeof hammer>[0] }> = [
    { name: 'product-list', label: 'GET /api/products', options: { url: '/api/products' } },
    {
      name: 'product-page',
      label: 'GET /api/products/:slug',
      options: { url: `/api/products/${slugs[0]}` },
    },
    {
      name: 'add-to-cart',
      label: 'POST /api/cart/items (guest)',
      options: {
        url: '/api/cart/items',
        method: 'POST' as const,
        body: { sku: skus[0], quantity: 1 },
      },
    },
  ].map((load) => ({
    ...load,
    options: { ...load.options, url: `${stack.url}${load.options.url}`, connections, seconds },
  }));
  const reads = await peakMemoryDuring(stack.processes, async () => {
    for (const load of loads.filter(({ name }) => wanted(name))) {
      say(`bench: ${load.label}…`);
      const before = await readCosts(metricsUrls);
      figures.loads.push({ label: load.label, figures: await hammer(load.options) });
      if (load.name === 'add-to-cart') {
        const after = await readCosts(metricsUrls);
        const adds = (after.gateway?.requests ?? 0) - (before.gateway?.requests ?? 0);
        figures.costs.addToCart = costsBetween(before, after, { per: Math.max(1, adds) });
      }
    }
  });
  const checkout = await peakMemoryDuring(stack.processes, async () => {
    if (!wanted('checkout')) return;
    say(`bench: checkout, ${values.buyers} buyers…`);
    let before: Costs | undefined;
    figures.checkout = await runCheckoutLoad({
      url: stack.url,
      buyers: Number(values.buyers),
      seconds: Number(values['checkout-seconds']),
      adminToken: admin,
      skus,
      cpuSeconds: shopCpuSeconds,
      // The measured journeys' costs only: not the stock put in, the buyers' sign-ups and the
      // warm-up's journeys, nor the events these cause (welcome mails, accounts claiming guest
      // orders, confirmations), given a few seconds to settle.
      beforeShopping: async () => {
        await new Promise((resolve) => setTimeout(resolve, 3000));
        before = await readCosts(metricsUrls);
      },
    });
    // The events a checkout causes (mail, stock announcements) settle within a few seconds; the
    // polling an idle shop does meanwhile is not the checkouts'.
    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 5000));
    if (!before) throw new Error('the checkout load never started shopping');
    figures.costs.journey = costsBetween(before, await readCosts(metricsUrls), {
      per: Math.max(1, figures.checkout.confirmed),
      idle: {
        perSecond: idleCosts,
        seconds: figures.checkout.seconds + (Date.now() - started) / 1000,
      },
    });
  });
  if (wanted('open')) {
    say(`bench: open model, guests arriving at ${values.rates} a second…`);
    await stockUp(stack.url, admin, skus);
    figures.openModel = await runOpenModel({
      url: stack.url,
      rates: values.rates.split(',').map(Number),
      seconds: Number(values['open-seconds']),
      skus,
    });
  }
  const firstCategory = async (): Promise<string> =>
    (await client.call('GET', '/api/categories')).body.items[0].slug;
  if (named('import')) {
    say('bench: CSV imports of 10,000 rows (2,500 new draft products, then their stock)…');
    figures.imports = await runCsvImports({
      url: stack.url,
      adminToken: admin,
      category: await firstCategory(),
    });
  }
  if (named('webhooks')) {
    say('bench: webhooks, 2,500 events to a healthy receiver, then 2,500 to one that was down…');
    figures.webhooks = await runWebhookDelivery({
      url: stack.url,
      adminToken: admin,
      category: await firstCategory(),
    });
  }
  figures.memory = {
    idle,
    underLoad: {
      byProcess: Object.fromEntries(
        Object.keys(idle.byProcess).map((name) => [
          name,
          Math.max(reads.peak.byProcess[name] ?? 0, checkout.peak.byProcess[name] ?? 0),
        ]),
      ),
      wholeStack: Math.max(reads.peak.wholeStack, checkout.peak.wholeStack),
    },
  };
  report(figures);
  mkdirSync(new URL('../../../test-artifacts/bench/', import.meta.url), { recursive: true });
  const file = new URL(
    `../../../test-artifacts/bench/${new Date().toISOString().replaceAll(':', '-')}.json`,
    import.meta.url,
  );
  writeFileSync(
    file,
    `${JSON.stringify({ machine: { cores: cpus().length, node: process.version }, ...figures }, null, 2)}\n`,
  );
  say(`bench: figures written to ${file.pathname}`);
} finally {
  await stack.stop();
}

type Figures = {
  shopNode: string | undefined;
  readySeconds: number | undefined;
  ceilings?: { fastify: LoadFigures; fastifyPostgres: LoadFigures };
  loads: Array<{ label: string; figures: LoadFigures }>;
  checkout?: CheckoutFigures;
  openModel?: OpenModelFigures;
  memory?: { idle: MemoryFigures; underLoad: MemoryFigures };
  imports?: ImportFigures;
  webhooks?: WebhookFigures;
  /** Counted, not timed: idle (per second), per add to cart, per confirmed journey. */
  costs: { idle: Costs; addToCart?: Costs; journey?: Costs };
};

function report(figures: Figures) {
  const share = (value: number, of: number | undefined) =>
    of ? `${((100 * value) / of).toFixed(1)}%`.padStart(6) : '     -';
  const row = (label: string, load: LoadFigures) => {
    const failed =
      load.non2xx + load.errors > 0 ? `  (${load.non2xx} non-2xx, ${load.errors} errors)` : '';
    return `  ${label.padEnd(36)} ${String(load.requestsPerSecond).padStart(7)} req/s  p50 ${String(load.p50).padStart(4)} ms  p99 ${String(load.p99).padStart(4)} ms  ${share(load.requestsPerSecond, figures.ceilings?.fastifyPostgres.requestsPerSecond)} of Fastify+PG  ${share(load.requestsPerSecond, figures.ceilings?.fastify.requestsPerSecond)} of Fastify${failed}`;
  };
  if (figures.ceilings || figures.loads.length > 0) {
    say('');
    say(`Load: ${connections} connections, ${seconds} s each, autocannon on the same machine`);
  }
  if (figures.ceilings) {
    say(row('ceiling: bare Fastify, 1 KB JSON', figures.ceilings.fastify));
    say(row('ceiling: Fastify + PostgreSQL select', figures.ceilings.fastifyPostgres));
  }
  for (const load of figures.loads) say(row(load.label, load.figures));
  const { checkout, memory } = figures;
  if (checkout) {
    say('');
    say(
      `Checkout: ${checkout.buyers} buyers for ${checkout.seconds} s: ${checkout.confirmedPerSecond} confirmed/s (${checkout.confirmed} orders), checkout p50 ${checkout.checkoutMs.p50} ms p99 ${checkout.checkoutMs.p99} ms, add 1-3 items + checkout p50 ${checkout.journeyMs.p50} ms p99 ${checkout.journeyMs.p99} ms`,
    );
    const byProcess = Object.entries(checkout.shopCpuMsPerJourney)
      .sort(([, a], [, b]) => b - a)
      .map(([name, ms]) => `${name} ${ms}`)
      .join(', ');
    say(`  CPU per confirmed journey (ms): ${byProcess}`);
    say(
      `  beside it: this load generator ${checkout.loadCpuMsPerJourney} ms a journey; the machine's cores ${Math.round(checkout.machineBusy * 100)}% busy`,
    );
    if (Object.keys(checkout.failures).length > 0) {
      say(`  not confirmed: ${JSON.stringify(checkout.failures)}`);
    }
  }
  if (figures.openModel) {
    const open = figures.openModel;
    say('');
    say(
      `Open model: guests arriving at a fixed rate, ${open.seconds} s each, timed from each journey's scheduled start (1-3 adds + checkout)`,
    );
    for (const rate of open.rates) {
      const failed =
        Object.keys(rate.failures).length > 0 ? `  failed: ${JSON.stringify(rate.failures)}` : '';
      say(
        `  ${String(rate.rate).padStart(4)}/s  ${rate.confirmed}/${rate.started} confirmed  p50 ${rate.journeyMs.p50} ms  p99 ${rate.journeyMs.p99} ms  p99.9 ${rate.journeyMs.p999} ms${failed}`,
      );
    }
    say(
      `  highest rate with p99 < 250 ms and none failed: ${open.highestGoodRate === undefined ? 'none' : `${open.highestGoodRate}/s`}`,
    );
  }
  const counted: Array<[string, Costs | undefined]> = [
    [
      'Per confirmed journey (1-3 adds to cart, the checkout, the events they cause)',
      figures.costs.journey,
    ],
    ['Per add to cart (a guest)', figures.costs.addToCart],
    [`Idle, per second (watched ${idleSeconds} s)`, figures.costs.idle],
  ];
  for (const [title, costs] of counted) {
    if (!costs) continue;
    say('');
    say(`${title}, counted:`);
    for (const line of costLines(costs)) say(`  ${line}`);
  }
  for (const { file, rows, seconds } of figures.imports ?? []) {
    say(
      `Import of ${file} as CSV: ${rows} rows in ${seconds} s (${Math.round(rows / seconds)} rows/s)`,
    );
  }
  if (figures.webhooks) {
    const hooks = figures.webhooks;
    say(
      `Webhooks: ${hooks.events} events to a healthy receiver in ${hooks.healthySeconds} s after the import answered (${hooks.healthyPerSecond}/s end to end); a receiver back from 503s caught up on ${hooks.events} in ${hooks.catchUpSeconds} s (${hooks.probeWaitSeconds} s waiting for the next probe, then ${hooks.drainPerSecond}/s)`,
    );
  }
  if (memory) {
    say('');
    say('Memory (MB; RSS per process, PostgreSQL the PSS of its processes; whole stack PSS)');
    for (const name of Object.keys(memory.idle.byProcess).sort()) {
      say(
        `  ${name.padEnd(14)} idle ${String(memory.idle.byProcess[name]).padStart(4)}  under load ${String(memory.underLoad.byProcess[name]).padStart(4)}`,
      );
    }
    say(
      `  ${'whole stack'.padEnd(14)} idle ${String(memory.idle.wholeStack).padStart(4)}  under load ${String(memory.underLoad.wholeStack).padStart(4)}`,
    );
  }
  if (figures.readySeconds !== undefined) {
    say(`\nnpm start ready in ${figures.readySeconds} s (first start)`);
  }
}
