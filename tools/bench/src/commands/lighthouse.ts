// `npm run lighthouse`: Lighthouse 12 as a phone sees the shop (its default: a mid-range phone on
// a slow 4G network, simulated) on the catalog, a product page, the cart and the checkout, with a
// guest's cart holding a lamp. Prints the four categories' scores of each page and fails when one
// is under 90; the reports go to test-artifacts/lighthouse/. Uses the shop on 127.0.0.1:8080 when
// it runs, else starts one. Only 127.0.0.1 is ever called.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort } from '@bazaar/testing/free-port';
import lighthouse from 'lighthouse';
import { chromium } from 'playwright-core';
import { useOrStartStack } from '../stack.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    chromium: { type: 'string', default: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
  },
});
const say = (line: string) => process.stdout.write(`${line}\n`);
const lowest = 90;
const categories = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
/**
 * `private`: kept out of search engines on purpose (robots.txt), which Lighthouse's SEO category
 * counts against the page ("is-crawlable"); every other SEO audit must pass there.
 */
const pages = [
  { name: 'catalog', path: '/', private: false },
  { name: 'product', path: '/products/oak-desk-lamp', private: false },
  { name: 'cart', path: '/cart', private: true },
  { name: 'checkout', path: '/checkout', private: true },
];
/**
 * Lighthouse's failures to record the page load (a trace or screenshots missing), for which its
 * message is "Please run Lighthouse again": nothing the page did. Run again, twice at most.
 */
const recordingFailures = new Set([
  'NO_TRACING_STARTED',
  'NO_RESOURCE_REQUEST',
  'NO_NAVSTART',
  'NO_DCL',
  'NO_SPEEDLINE_FRAMES',
  'SPEEDINDEX_OF_ZERO',
  'NO_SCREENSHOTS',
  'INVALID_SPEEDLINE',
]);
const reports = new URL('../../../../test-artifacts/lighthouse/', import.meta.url).pathname;
mkdirSync(reports, { recursive: true });

type Run = {
  scores: Record<(typeof categories)[number], number>;
  metrics: string;
  /** The SEO audits that did not pass, by id. */
  seoFailures: string[];
  html: string;
};

const stack = await useOrStartStack(`http://127.0.0.1:${values.port}`, process.execPath);
const profile = mkdtempSync(join(tmpdir(), 'bazaar-lighthouse-'));
const debuggingPort = await freePort();
// One browser profile for the guest's cart and for Lighthouse's tabs, which keep its storage.
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: values.chromium,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', `--remote-debugging-port=${debuggingPort}`],
});
let failed = false;
try {
  const shopper = await browser.newPage();
  await shopper.goto(`${stack.url}/products/oak-desk-lamp`);
  await shopper.getByRole('button', { name: 'Add to cart' }).click();
  await shopper.getByRole('status').getByText('Added.').waitFor();
  const devtools = await browser.newCDPSession(shopper);

  const audit = async (path: string, attempt = 1): Promise<Run> => {
    // A first visit's downloads, with the guest's cart kept: Lighthouse's own reset would clear both.
    await devtools.send('Network.clearBrowserCache');
    const result = await lighthouse(`${stack.url}${path}`, {
      port: debuggingPort,
      output: 'html',
      logLevel: 'error',
      disableStorageReset: true,
    });
    if (!result) throw new Error(`Lighthouse gave no result for ${path}`);
    const { lhr } = result;
    if (lhr.runtimeError) {
      const { code, message } = lhr.runtimeError;
      if (!recordingFailures.has(code) || attempt === 3) throw new Error(`${path}: ${message}`);
      say(`lighthouse: ${path}: ${message}; running it again`);
      return audit(path, attempt + 1);
    }
    const metric = (id: string) => lhr.audits[id]?.displayValue ?? '?';
    return {
      scores: Object.fromEntries(
        categories.map((id) => [id, Math.round((lhr.categories[id]?.score ?? 0) * 100)]),
      ) as Run['scores'],
      metrics: `FCP ${metric('first-contentful-paint')}, LCP ${metric('largest-contentful-paint')}, TBT ${metric('total-blocking-time')}, CLS ${metric('cumulative-layout-shift')}`,
      seoFailures: (lhr.categories.seo?.auditRefs ?? [])
        .filter((ref) => ref.weight > 0 && (lhr.audits[ref.id]?.score ?? 1) < 1)
        .map((ref) => ref.id),
      html: String(result.report),
    };
  };

  say(`lighthouse ${'page'.padEnd(9)} ${categories.map((id) => id.padStart(16)).join('')}`);
  for (const page of pages) {
    const runs = [await audit(page.path)];
    // Performance is timed, and one run can be unlucky: below the bar, the median of three counts,
    // as Lighthouse's own guidance has it.
    if (runs[0] && runs[0].scores.performance < lowest) {
      runs.push(await audit(page.path), await audit(page.path));
    }
    const median = [...runs].sort((a, b) => a.scores.performance - b.scores.performance)[
      Math.floor(runs.length / 2)
    ];
    if (!median) continue;
    writeFileSync(`${reports}${page.name}.html`, median.html);
    say(
      `lighthouse ${page.name.padEnd(9)} ${categories.map((id) => String(median.scores[id]).padStart(16)).join('')}   ${median.metrics}${runs.length > 1 ? ` (median of ${runs.map((run) => run.scores.performance).join(', ')})` : ''}`,
    );
    for (const id of categories) {
      if (id === 'seo' && page.private) {
        const others = median.seoFailures.filter((audit) => audit !== 'is-crawlable');
        say(
          `lighthouse: ${page.name} is kept out of search engines (robots.txt); SEO audits failing besides: ${others.join(', ') || 'none'}`,
        );
        failed ||= others.length > 0;
      } else if (median.scores[id] < lowest) {
        failed = true;
        say(`lighthouse: ${page.name} scores ${median.scores[id]} for ${id}, under ${lowest}`);
      }
    }
  }
  say(`lighthouse: reports in ${reports}`);
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
  await stack.stop();
}
process.exitCode = failed ? 1 : 0;
