import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import AxeBuilder from '@axe-core/playwright';
import { type RunningShop, startShop } from '@bazaar/testing/shop';
import { devAdmin, shopClient } from '@bazaar/testing/shop-client';
import { type Browser, chromium, type Page, type Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';

/**
 * Shoppers and an admin in a real browser (Debian's Chromium, driven by playwright-core) against
 * the whole shop as processes, the storefront served by the gateway. Without a Chromium the suite
 * is skipped, unless BAZAAR_BROWSER_TESTS=required (as in .ci/run), which makes that a failure.
 */
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveBrowser = existsSync(executablePath);
if (!haveBrowser && process.env.BAZAAR_BROWSER_TESTS === 'required') {
  throw new Error(`BAZAAR_BROWSER_TESTS=required but there is no Chromium at ${executablePath}`);
}
const artifacts = new URL('../../../test-artifacts/storefront/', import.meta.url).pathname;

let shop: RunningShop;
let browser: Browser;

beforeAll(async () => {
  if (!haveBrowser) return;
  await mkdir(artifacts, { recursive: true });
  shop = await startShop(inject('postgresUrl'), {
    gateway: { RATE_LIMIT_PER_MINUTE: '100000' },
    orders: { ORDER_SWEEP_INTERVAL_MS: '500' },
  });
  browser = await chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking'],
  });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await shop?.stop();
});

async function newShopper(viewport = { width: 1280, height: 900 }): Promise<Page> {
  const page = await (await browser.newContext({ viewport, baseURL: shop.url })).newPage();
  page.on('pageerror', (error) => {
    throw error;
  });
  // The gateway's Content-Security-Policy allows nothing the shop does not load from itself.
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) {
      throw new Error(`blocked by the CSP: ${message.text()}`);
    }
  });
  return page;
}

/** Pages render after their requests answer; a busy machine may take a few seconds. */
const eventually = <T>(probe: () => Promise<T> | T) => expect.poll(probe, { timeout: 10_000 });

const phone = { width: 390, height: 844 };

/**
 * A step of a journey, as a shopper on a desktop and on a phone sees it: a screenshot at each
 * width under test-artifacts/storefront/, and axe's every rule (WCAG 2.2 A and AA and its best
 * practices) passing at each, whatever a violation's impact.
 */
async function snap(page: Page, name: string) {
  const desktop = page.viewportSize();
  const widths = desktop && desktop.width > phone.width ? [desktop, phone] : [desktop ?? phone];
  for (const [index, viewport] of widths.entries()) {
    await page.setViewportSize(viewport);
    const file = index === 0 ? name : `${name}-phone`;
    await page.screenshot({ path: `${artifacts}${file}.png`, fullPage: true });
    const { violations } = await new AxeBuilder({ page }).analyze();
    expect(
      violations.map(
        (violation) =>
          `${violation.impact} ${violation.id} (${violation.help}): ${violation.nodes
            .map((node) => node.target.join(' '))
            .join(', ')}`,
      ),
      `axe on ${file}`,
    ).toEqual([]);
  }
  if (desktop) await page.setViewportSize(desktop);
}

async function signUp(page: Page, email: string) {
  await page.getByRole('banner').getByRole('link', { name: 'Sign in', exact: true }).click();
  await page.getByRole('link', { name: 'Create an account' }).click();
  await page.getByLabel('Name').fill('Ada Lovelace');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel(/^Password/).fill('correct horse battery');
  await snap(page, '05-sign-up');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: 'Check your email' }).waitFor();
  await snap(page, '05-check-your-email');
  // The link of the mail, as the shopper would click it (the shop has no SMTP: the mail log has it).
  const token = await shopClient(shop.url).confirmationToken(email);
  await page.goto(`/verify-email?token=${encodeURIComponent(token)}`);
  await page.getByRole('button', { name: /Sign out/ }).waitFor();
}

/** Signs in on the sign-in page, which then goes on to `next`. */
async function signIn(page: Page, next: string, who: { email: string; password: string }) {
  await page.goto(`/signin?next=${next}`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function fillAddress(page: Page) {
  await page.getByLabel('Full name').fill('Ada Lovelace');
  await page.getByLabel('Address', { exact: true }).fill('12 St James Square');
  await page.getByLabel('City').fill('London');
  await page.getByLabel('Postal code').fill('SW1Y 4JH');
  await page.getByLabel('Country').selectOption('GB');
  await page.getByLabel(/^Next day/).waitFor();
}

/** The card form as a shopper fills it: the test provider's `number`, good through 2034. */
async function payWith(page: Page, number: string) {
  await page.getByLabel('Name on card').fill('Ada Lovelace');
  await page.getByLabel(/^Card number/).fill(number);
  await page.getByLabel('Expiry (MM/YY)').fill('12/34');
  await page.getByLabel('Security code').fill('123');
}

async function addToCart(page: Page, slug: string, variant?: string) {
  await page.goto(`/products/${slug}`);
  if (variant) await page.getByLabel(variant).check();
  await eventually(() => page.getByText(/^(In stock|Only \d+ left)$/).count()).toBe(1);
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByRole('status').getByText('Added.').waitFor();
}

describe.skipIf(!haveBrowser)('the storefront in Chromium', () => {
  const email = `ada-${randomUUID().slice(0, 8)}@example.com`;
  let orderNumber = '';
  let archivedSlug = '';

  test('a guest searches, filters, adds two items, signs up, sees the merged cart, pays and finds the order', async () => {
    const page = await newShopper();
    await page.goto('/');
    await page.getByText('240 products').waitFor();
    await snap(page, '01-catalog');

    const search = page.getByRole('combobox', { name: 'Search' });
    await search.fill('lam');
    await page.getByRole('option', { name: /Lamp/ }).first().waitFor();
    await snap(page, '02-search-suggestions');
    await search.press('Enter');
    await eventually(() => new URL(page.url()).searchParams.get('q')).toBe('lam');
    await page.getByLabel('Category').selectOption('lighting');
    await page.getByLabel('In stock only').check();
    await eventually(() => new URL(page.url()).search).toContain('inStock=true');
    await page.getByRole('link', { name: 'Oak Desk Lamp' }).waitFor();
    const filtered = page.url();
    await snap(page, '02-search-and-filters');

    await page.getByRole('link', { name: 'Oak Desk Lamp' }).click();
    await page.getByRole('heading', { name: 'Oak Desk Lamp' }).waitFor();
    await page.goBack();
    expect(page.url()).toBe(filtered);
    await eventually(() => search.inputValue()).toBe('lam');

    await addToCart(page, 'oak-desk-lamp', 'White');
    await snap(page, '03-product');
    await addToCart(page, 'oak-desk-lamp', 'Sand');
    await page.getByRole('link', { name: /^Cart/ }).click();
    await eventually(() => page.locator('.line').count()).toBe(2);
    await snap(page, '04-guest-cart');

    await signUp(page, email);
    await page.getByRole('link', { name: /^Cart \(2\)/ }).click();
    await eventually(() => page.locator('.line').count()).toBe(2);
    await snap(page, '06-merged-cart');

    await page.getByRole('link', { name: 'Check out' }).click();
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.getByText('Enter the street and number.').waitFor();
    await snap(page, '07-checkout-validation');
    await fillAddress(page);
    await payWith(page, '4242 4242 4242 4242');
    await page.getByLabel('Card number (Visa)').waitFor();
    await snap(page, '08-checkout');
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.getByText(/Your order is confirmed/).waitFor();
    const heading = await page.getByRole('heading', { name: /^Order / }).textContent();
    orderNumber = heading?.replace('Order ', '') ?? '';
    // A UK address: the cart moved to the UK's prices (£75.99 a lamp), VAT included (a sixth of
    // each line, rounded half up: £12.67), shipping free from £50.
    await eventually(() => page.getByText('£151.98').count()).toBeGreaterThan(0);
    await page.getByText('£25.34').waitFor();
    await snap(page, '09-confirmation');

    await page.getByRole('link', { name: 'Orders', exact: true }).click();
    await page.getByRole('link', { name: `Order ${orderNumber}` }).waitFor();
    await expect(page.getByText('Confirmed').count()).resolves.toBeGreaterThan(0);
    await snap(page, '10-order-history');

    // The next checkout starts from the address the last order went to.
    await addToCart(page, 'oak-desk-lamp', 'Sand');
    await page.goto('/checkout');
    await eventually(() => page.getByLabel('Address', { exact: true }).inputValue()).toBe(
      '12 St James Square',
    );
    await expect(page.getByLabel('Country').inputValue()).resolves.toBe('GB');
  }, 60_000);

  test('a card past its expiry is caught before paying; a declined card shows why and what to do, and keeps the cart', async () => {
    const page = await newShopper();
    await page.goto('/');
    await signUp(page, `grace-${randomUUID().slice(0, 8)}@example.com`);
    await addToCart(page, 'oak-desk-lamp');
    await page.goto('/checkout');
    await fillAddress(page);
    await payWith(page, '4000 0000 0000 0069');
    await page.getByLabel('Expiry (MM/YY)').fill('01/20');
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.getByText('This card has expired; use another.').waitFor();
    await page.getByLabel('Expiry (MM/YY)').fill('12/34');
    // The test provider's card that a processor declines as expired, whatever date is typed.
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.getByRole('alert').getByText('The card has expired').waitFor();
    await page.getByLabel(/^Card number/).fill('4000 0000 0000 0002');
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.getByRole('alert').getByText('The card was declined').waitFor();
    // And what to do next.
    await page.getByText('Nothing was charged. Try another card').waitFor();
    await snap(page, '11-declined');
    await page.goto('/cart');
    await eventually(() => page.locator('.line').count()).toBe(1);
  }, 60_000);

  test('an admin ships the order, and the shopper sees it shipped', async () => {
    const admin = await newShopper();
    await signIn(admin, '/admin/orders', devAdmin);
    const order = admin.locator('.admin-order', { hasText: `Order ${orderNumber}` });
    await order.getByLabel('Tracking number').fill('JD014600006281');
    await snap(admin, '12-admin-orders');
    await order.getByRole('button', { name: 'Ship' }).click();
    await order.getByText('shipped').waitFor();

    await admin.getByRole('link', { name: 'Notifications' }).click();
    await admin
      .getByText(/is confirmed/)
      .first()
      .waitFor();
    await snap(admin, '13-admin-notifications');

    const shopper = await newShopper();
    await signIn(shopper, '/orders', { email, password: 'correct horse battery' });
    await shopper.getByRole('link', { name: `Order ${orderNumber}` }).click();
    await shopper.getByText(/with DHL, tracking JD014600006281/).waitFor();
    await snap(shopper, '14-shipped');
  }, 60_000);

  test('the shopper asks to return an item of the shipped order; an admin receives the parcel and the refund shows on the order', async () => {
    const shopper = await newShopper();
    await signIn(shopper, '/orders', { email, password: 'correct horse battery' });
    await shopper.getByRole('link', { name: `Order ${orderNumber}` }).click();
    const form = shopper.locator('form.units-form');
    const firstItem = form.getByRole('combobox').first();
    await firstItem.selectOption({ index: 1 });
    await form.getByLabel('Why').selectOption('damaged');
    await form.getByRole('button', { name: 'Ask for a return' }).click();
    await shopper.getByText('Asked for: waiting for the shop').waitFor();
    await snap(shopper, '14a-return-asked');

    const admin = await newShopper();
    await signIn(admin, '/admin/returns', devAdmin);
    const asked = admin.locator('.admin-return', { hasText: `Order ${orderNumber}` });
    await asked.getByRole('button', { name: 'Parcel received: refund' }).waitFor();
    await snap(admin, '14b-admin-returns');
    await asked.getByRole('button', { name: 'Parcel received: refund' }).click();
    await asked.waitFor({ state: 'detached' });

    await shopper.reload();
    await shopper.getByText('Refunded', { exact: true }).waitFor();
    await snap(shopper, '14c-return-refunded');
  }, 60_000);

  test('an admin creates a product, stocks it, shoppers find it, and archiving takes it away', async () => {
    const sku = `WEB-${randomUUID().slice(0, 6).toUpperCase()}`;
    const name = `Glass Teapot ${sku}`;
    const admin = await newShopper();
    await signIn(admin, '/admin/products', devAdmin);
    await admin.getByRole('link', { name: 'New product' }).click();
    await admin.getByLabel('Name').fill(name);
    await admin.getByLabel('Description').fill('Borosilicate, holds a litre.');
    await admin.getByLabel('Category').selectOption('tableware');
    await admin.getByLabel('Status').selectOption('active');
    await admin.getByLabel('SKU').fill(sku);
    // A price in the currency of each region the shop sells in.
    await admin.getByLabel('Price (USD)').fill('0');
    await admin.getByLabel('Price (GBP)').fill('29.00');
    await admin.getByLabel('Price (EUR)').fill('32.00');
    await admin.getByRole('button', { name: 'Save' }).click();
    await admin.getByRole('alert').waitFor();
    await snap(admin, '16-admin-product-invalid');
    await admin.getByLabel('Price (USD)').fill('34.50');
    await admin.getByRole('button', { name: 'Save' }).click();
    await admin.getByRole('button', { name: 'Archive' }).waitFor();
    const editor = admin.url();
    // A picture: the shop reads what it is from the bytes (a 1×1 PNG), whatever the name.
    await admin.getByLabel('Add a picture (JPEG, PNG or WebP, up to 5 MB)').setInputFiles({
      name: 'teapot.jpeg',
      mimeType: 'image/jpeg',
      buffer: Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
        'base64',
      ),
    });
    await admin.getByRole('img', { name: `${name}, 1 of 1` }).waitFor();
    await snap(admin, '17-admin-product');

    await admin.getByRole('link', { name: 'Stock' }).click();
    // The list of every SKU, searched by a part of one, any case.
    const search = admin.getByLabel('SKU', { exact: true });
    await search.fill('lgt-05');
    await admin.getByRole('cell', { name: 'LGT-05-SND', exact: true }).waitFor();
    await search.fill(sku.toLowerCase());
    await eventually(() =>
      admin.getByRole('cell', { name: 'LGT-05-SND', exact: true }).count(),
    ).toBe(0);
    await admin.getByLabel(`Set on hand of ${sku}`).fill('7');
    await admin.getByRole('button', { name: `Save ${sku}` }).click();
    await admin.getByText(`${sku}: 7 on hand, 0 held for orders, 7 available`).waitFor();
    await admin.getByRole('row', { name: new RegExp(`^${sku} 7 0 7`) }).waitFor();
    await snap(admin, '18-admin-stock');

    const shopper = await newShopper();
    await shopper.goto(`/?q=${encodeURIComponent('teapot')}`);
    await shopper.getByRole('link', { name }).click();
    await shopper.getByText('In stock', { exact: true }).waitFor();
    await shopper.getByText('$34.50').first().waitFor();
    await expect(shopper.getByRole('img', { name }).getAttribute('src')).resolves.toMatch(
      /^\/media\/[0-9a-f]{32}\.png$/,
    );

    archivedSlug = new URL(shopper.url()).pathname.split('/').pop() ?? '';
    await admin.goto(editor);
    // Archiving asks first.
    admin.once('dialog', (dialog) => void dialog.accept());
    await admin.getByRole('button', { name: 'Archive' }).click();
    await admin
      .getByRole('button', { name: 'New product' })
      .or(admin.getByRole('link', { name: 'New product' }))
      .waitFor();
    // A new visitor (product reads may sit in a browser's cache for a minute) finds it gone.
    const later = await newShopper();
    await later.goto(shopper.url());
    await later
      .getByRole('alert')
      .getByText(/no product/i)
      .waitFor();
  }, 60_000);

  test('an admin downloads the stock file, checks a changed one, sees each bad cell by line and column, fixes it and imports it', async () => {
    const admin = await newShopper();
    await signIn(admin, '/admin/stock', devAdmin);

    const downloading = admin.waitForEvent('download');
    await admin.getByRole('button', { name: 'Download stock.csv' }).click();
    const downloaded = await downloading;
    expect(downloaded.suggestedFilename()).toBe('stock.csv');
    const file = (name: string, csv: string) => ({
      name,
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    const choose = (csv: string) =>
      admin.getByLabel('Stock file (CSV)').setInputFiles(file('stock.csv', csv));

    await choose('sku,on_hand\nLGT-05-SND,40\nlamp,3\nLGT-05-WHT,lots\n');
    await admin.getByRole('button', { name: 'Check the file' }).click();
    const problems = admin.getByRole('table', { name: 'Problems in the file' });
    await problems.getByRole('row', { name: '3 sku is not a SKU such as LGT-05-SND' }).waitFor();
    await problems
      .getByRole('row', { name: '4 on_hand is not a whole number from 0 to 1000000' })
      .waitFor();
    await expect(admin.getByRole('button', { name: 'Import' }).isDisabled()).resolves.toBe(true);
    await snap(admin, '24-admin-stock-file-problems');

    await choose('sku,on_hand\nLGT-05-SND,40\nLGT-05-WHT,41\n');
    await admin.getByRole('button', { name: 'Check the file' }).click();
    await admin.getByText('The file is right: import it to write it.').waitFor();
    await admin.getByRole('button', { name: 'Import' }).click();
    await admin.getByText(/^2 rows: .* Imported\.$/).waitFor();
    await admin.getByLabel('SKU', { exact: true }).fill('LGT-05-WHT');
    await admin.getByRole('row', { name: /^LGT-05-WHT 41 / }).waitFor();
  }, 60_000);

  test('an admin downloads the products file, is told a price is in minor units, fixes it and imports it; the shop shows the new price', async () => {
    const admin = await newShopper();
    await signIn(admin, '/admin/products', devAdmin);

    const downloading = admin.waitForEvent('download');
    await admin.getByRole('button', { name: 'Download products.csv' }).click();
    const downloaded = await downloading;
    expect(downloaded.suggestedFilename()).toBe('products.csv');
    // A tent: no other journey buys one, so none of their totals move with its price.
    const tent = (await shopClient(shop.url).call('GET', '/api/products?category=camping&limit=1'))
      .body.items[0];
    const row = (await readFile(await downloaded.path(), 'utf8'))
      .split('\n')
      .find((line) => line.startsWith(`${tent.slug},`));
    const [slug, sku] = row?.split(',') ?? [];
    const choose = (csv: string) =>
      admin
        .getByLabel('Products file (CSV)')
        .setInputFiles({ name: 'products.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });

    await choose(`product,sku,price_usd\n${slug},${sku},12.50\n`);
    await admin.getByRole('button', { name: 'Check the file' }).click();
    await admin
      .getByRole('table', { name: 'Problems in the file' })
      .getByRole('row', { name: '2 price_usd is in minor units: 12.50 USD is written 1250' })
      .waitFor();
    await choose(`product,sku,price_usd\n${slug},${sku},1250\n`);
    await admin.getByRole('button', { name: 'Check the file' }).click();
    await admin.getByText('The file is right: import it to write it.').waitFor();
    await admin.getByRole('button', { name: 'Import' }).click();
    await admin.getByText('1 rows: 0 new, 1 changed, 0 unchanged. Imported.').waitFor();

    const shopper = await newShopper();
    await shopper.goto(`/products/${slug}`);
    await shopper.getByText('$12.50').first().waitFor();
  }, 60_000);

  test('an admin adds a promotion code with a use limit, is told when the code is taken, and pauses it', async () => {
    const code = `SPRING-${randomUUID().slice(0, 4).toUpperCase()}`;
    const admin = await newShopper();
    await signIn(admin, '/admin/promotions', devAdmin);
    const addCode = async () => {
      await admin.getByLabel('Code', { exact: true }).fill(code.toLowerCase());
      await admin.getByLabel('Percent off').fill('10');
      await admin.getByLabel('Uses in all (optional)').fill('10');
      await admin.getByRole('button', { name: 'Add the code' }).click();
    };
    await addCode();
    const row = admin.getByRole('row').filter({ hasText: code });
    await row.getByText('10 % off').waitFor();
    await row.getByText('0 of 10').waitFor();
    await snap(admin, '19-admin-promotions');

    await addCode();
    await admin.getByText('is taken by another promotion').waitFor();

    await row.getByRole('button', { name: `Pause ${code}` }).click();
    await row.getByText('Paused').waitFor();
    await row.getByRole('button', { name: `Resume ${code}` }).waitFor();
  }, 60_000);

  test('a guest in the EU sees euros with VAT included, applies a code, pays for express shipping to Germany without an account, and is charged what the cart showed', async () => {
    const client = shopClient(shop.url);
    const adminToken = (await client.signIn(devAdmin.email, devAdmin.password)).accessToken;
    const code = `EURO-${randomUUID().slice(0, 4).toUpperCase()}`;
    client.expectStatus(
      await client.call('POST', '/api/admin/promotions', {
        bearer: adminToken,
        body: { code, kind: 'percentage', percent: 15, description: '15 % off everything' },
      }),
      201,
      'create the code',
    );
    const book = (await client.call('GET', '/api/products?q=cookbook&limit=1')).body.items[0];

    const page = await newShopper();
    await page.goto('/');
    await page.getByLabel('Region and currency').selectOption('eu');
    await eventually(() => page.getByText(/€/).count()).toBeGreaterThan(0);
    await addToCart(page, 'oak-desk-lamp', 'Sand');
    await addToCart(page, book.slug);
    await page.getByRole('link', { name: /^Cart/ }).click();
    await eventually(() => page.locator('.line').count()).toBe(2);
    await page.getByLabel('Promotion code').fill('NOSUCHCODE');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('There is no code NOSUCHCODE').waitFor();
    await page.getByLabel('Promotion code').fill(code.toLowerCase());
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText(`${code} applied: 15 % off everything`).waitFor();
    await page.getByText('Including tax').waitFor();
    await snap(page, '21-eu-cart-with-code');

    await page.getByRole('link', { name: 'Check out' }).click();
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.getByText('Enter the email address for your receipt.').waitFor();
    const email = `lina-${randomUUID().slice(0, 8)}@example.com`;
    await page.getByLabel('Email for the receipt').fill(email);
    await page.getByLabel('Full name').fill('Lina Berg');
    await page.getByLabel('Address', { exact: true }).fill('Unter den Linden 1');
    await page.getByLabel('City').fill('Berlin');
    await page.getByLabel('Postal code').fill('10117');
    await page.getByLabel('Country').selectOption('DE');
    await page.getByLabel(/^Express/).check();
    await eventually(() => page.getByText('Shipping (Express)').count()).toBe(1);
    await payWith(page, '4242 4242 4242 4242');
    const shown = await page.locator('.totals .big').textContent();
    await snap(page, '22-eu-checkout');
    await page.getByRole('button', { name: 'Place order' }).click();
    await page
      .getByText(`Thank you! Your order is confirmed; a receipt is on its way to ${email}.`)
      .waitFor();
    await page.getByText(`Discount (${code})`).waitFor();
    await snap(page, '23-eu-guest-confirmation');

    // The page's address is the order's own link: it opens the order in a browser with no
    // session, and it is what the receipt mails.
    const link = new URL(page.url()).pathname;
    expect(link).toMatch(/^\/order\/[\w-]{43}$/);
    const elsewhere = await newShopper();
    await elsewhere.goto(link);
    await elsewhere.getByRole('heading', { name: /^Order / }).waitFor();
    expect(await client.mailTo(email, 'receipt')).toContain(link);
    const order = (await client.call('GET', `/api/orders/by-token/${link.split('/').pop()}`)).body;
    expect(order).toMatchObject({
      email,
      region: 'eu',
      taxIncluded: true,
      shippingOption: { id: 'eu-express' },
      shipping: { amount: 1499, currency: 'EUR' },
      promotion: { code },
    });
    expect(order.total.amount).toBe(
      order.subtotal.amount - order.discount.amount + order.shipping.amount,
    );
    expect(order.discount.amount).toBe(Math.round((order.subtotal.amount * 15) / 100));
    expect(shown).toBe(`€${(order.total.amount / 100).toFixed(2)}`);
  }, 90_000);

  test('an admin sets a reduced tax rate, removes it, and pauses a shipping option', async () => {
    const admin = await newShopper();
    await signIn(admin, '/admin/regions', devAdmin);
    await admin.getByRole('heading', { name: 'United Kingdom (GBP)' }).waitFor();

    await admin.getByLabel('Country (ISO code)').fill('gb');
    await admin.getByLabel('Category (optional)').fill('pens-desk');
    await admin.getByLabel('Rate (%)').fill('5');
    await admin.getByLabel('Name', { exact: true }).fill('GB VAT, pens');
    await admin.getByRole('button', { name: 'Set the rate' }).click();
    const rate = admin.getByRole('row').filter({ hasText: 'GB VAT, pens' });
    await rate.getByText('5 %').waitFor();
    await snap(admin, '20-admin-regions');
    await rate.getByRole('button', { name: 'Remove GB VAT, pens' }).click();
    await rate.waitFor({ state: 'detached' });

    await admin.getByLabel('Country (ISO code)').fill('JP');
    await admin.getByLabel('Rate (%)').fill('10');
    await admin.getByLabel('Name', { exact: true }).fill('Japan');
    await admin.getByRole('button', { name: 'Set the rate' }).click();
    await admin.getByText('is not in a region of this shop', { exact: true }).waitFor();

    const nextDay = admin.getByRole('row').filter({ hasText: 'Next day' });
    await nextDay.getByRole('button', { name: 'Pause Next day in United Kingdom' }).click();
    await nextDay.getByText('Paused').waitFor();
    await nextDay.getByRole('button', { name: 'Offer Next day in United Kingdom' }).click();
    await nextDay.getByText('Offered').waitFor();
  }, 60_000);

  test('an admin subscribes a receiver to product changes, keeps the secret shown once, and reads the delivery log after a change', async () => {
    const received: string[] = [];
    const receiver = createServer((request, response) => {
      request.on('data', () => {});
      request.on('end', () => {
        received.push(String(request.headers['webhook-id']));
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/bazaar`;
    try {
      const admin = await newShopper();
      await signIn(admin, '/admin/webhooks', devAdmin);
      await admin.getByLabel('Receiver URL (https)').fill(url);
      await admin.getByLabel('order.confirmed.v1').uncheck();
      await admin.getByLabel('catalog.product.updated.v1').check();
      await admin.getByRole('button', { name: 'Subscribe' }).click();
      await admin
        .getByRole('status')
        .getByText(/^The signing secret of .* shown this once: whsec_/)
        .waitFor();

      const client = shopClient(shop.url);
      const bearer = (await client.signIn(devAdmin.email, devAdmin.password)).accessToken;
      const product = (await client.call('GET', '/api/products?limit=1')).body.items[0];
      client.expectStatus(
        await client.call('PATCH', `/api/admin/products/${product.id}`, {
          bearer,
          body: { description: `${product.description} ` },
        }),
        200,
        'change a product',
      );
      await eventually(() => received.length).toBeGreaterThan(0);
      await admin
        .getByRole('row', { name: new RegExp(url) })
        .getByRole('button', { name: 'Deliveries' })
        .click();
      await admin
        .getByRole('table', { name: 'Deliveries, newest first' })
        .getByText(/^204 in \d+ ms$/)
        .first()
        .waitFor();
      await snap(admin, '25-admin-webhooks');
    } finally {
      receiver.closeAllConnections();
      await new Promise((resolve) => receiver.close(resolve));
    }
  }, 60_000);

  test("what browsers and crawlers get: the shop's code compressed, no source maps, robots.txt and a sitemap of the products on sale", async () => {
    const page = await newShopper();
    const scripts: Array<{ url: string; encoding: string | undefined }> = [];
    page.on('response', (response) => {
      if (/\/assets\/.+\.js$/.test(response.url())) {
        scripts.push({ url: response.url(), encoding: response.headers()['content-encoding'] });
      }
    });
    await page.goto('/');
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.filter((script) => script.encoding !== 'br')).toEqual([]);
    const map = await page.request.get(`${scripts[0]?.url}.map`);
    expect(map.status()).toBe(404);

    const robots = await (await page.request.get('/robots.txt')).text();
    expect(robots).toContain('Disallow: /checkout');
    expect(robots).toContain(`Sitemap: ${shop.url}/sitemap.xml`);
    const sitemap = await page.request.get('/sitemap.xml');
    expect(sitemap.headers()['content-type']).toMatch(/application\/xml/);
    const listed = await sitemap.text();
    expect(listed).toContain(`<loc>${shop.url}/products/oak-desk-lamp</loc><lastmod>`);
    expect(listed).toMatch(/<loc>[^<]+\/\?category=[a-z-]+<\/loc>/);
    // The product the admin archived (above) is not listed.
    expect(archivedSlug).not.toBe('');
    expect(listed).not.toContain(`/products/${archivedSlug}<`);
  });

  test("a keyboard user: a skip link first, each page titled, and focus on the new page's heading after every move", async () => {
    const page = await newShopper();
    await page.goto('/');
    await eventually(() => page.title()).toBe('All products · Bazaar');
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe(
      'Skip to content',
    );
    await page.goto('/?q=oak%20desk%20lamp');
    await eventually(() => page.title()).toBe('Search: “oak desk lamp” · Bazaar');
    await page
      .getByRole('link', { name: /Oak Desk Lamp/ })
      .first()
      .click();
    await eventually(() => page.title()).toBe('Oak Desk Lamp · Bazaar');
    await eventually(() =>
      page.evaluate(
        () => `${document.activeElement?.tagName} ${document.activeElement?.textContent}`,
      ),
    ).toBe('H1 Oak Desk Lamp');
    await page.getByRole('link', { name: /^Cart/ }).click();
    await eventually(() => page.title()).toBe('Your cart · Bazaar');
    await eventually(() => page.evaluate(() => document.activeElement?.textContent)).toBe(
      'Your cart',
    );
  });

  test('in the cart, − and + change one unit at a time, an emptied quantity deletes nothing, and a removed line comes back with Undo', async () => {
    const page = await newShopper();
    await addToCart(page, 'oak-desk-lamp', 'Sand');
    await page.goto('/cart');
    const quantity = page.getByLabel('Quantity of Oak Desk Lamp (Sand)');
    await page.getByRole('button', { name: 'One more Oak Desk Lamp (Sand)' }).click();
    await eventually(() => quantity.inputValue()).toBe('2');
    await quantity.fill('');
    await quantity.press('Backspace');
    await page.getByRole('heading', { name: 'Your cart' }).click();
    await eventually(() => quantity.inputValue()).toBe('2');
    await page.getByRole('button', { name: 'One fewer Oak Desk Lamp (Sand)' }).click();
    await eventually(() => quantity.inputValue()).toBe('1');
    await page.getByRole('button', { name: 'Remove Oak Desk Lamp (Sand)' }).click();
    await page.getByText('Your cart is empty.').waitFor();
    await page.getByRole('button', { name: 'Undo' }).click();
    await eventually(() => quantity.inputValue()).toBe('1');
  });

  test("the footer leads to shipping and returns (each region's options and return window, from the shop's own settings), privacy and terms; the tab shows the shop's icon", async () => {
    const page = await newShopper();
    await page.goto('/');
    await page.getByRole('contentinfo').getByRole('link', { name: 'Shipping and returns' }).click();
    await eventually(() => page.title()).toBe('Shipping and returns · Bazaar');
    const eu = page.getByRole('region', { name: 'European Union' });
    await eu.getByText('Returns: ask within 14 days of shipping', { exact: false }).waitFor();
    await eu.getByText(/Germany/).waitFor();
    await page
      .getByRole('region', { name: 'United Kingdom' })
      .getByText('within 30 days')
      .waitFor();
    await snap(page, '19-shipping-and-returns');
    await page.getByRole('contentinfo').getByRole('link', { name: 'Privacy' }).click();
    await page.getByRole('heading', { name: 'Privacy' }).waitFor();
    await page.getByRole('contentinfo').getByRole('link', { name: 'Terms of sale' }).click();
    await page.getByRole('heading', { name: 'Terms of sale' }).waitFor();
    const icon = await page.request.get(
      (await page.locator('link[rel=icon]').getAttribute('href')) ?? '',
    );
    expect(icon.status()).toBe(200);
    expect(icon.headers()['content-type']).toMatch(/image\/svg\+xml/);
  });

  test('on a phone the products come first, and filters and sort open in a sheet; the catalog fits 375 px without sideways scrolling', async () => {
    const page = await newShopper({ width: 375, height: 800 });
    await page.goto('/');
    await page.getByText(/^\d+ products$/).waitFor();
    await snap(page, '15-phone-catalog');
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    const firstProduct = await page.locator('.card').first().boundingBox();
    expect(firstProduct?.y).toBeLessThan(800);

    await page.getByRole('button', { name: 'Filter and sort' }).click();
    const sheet = page.getByRole('dialog', { name: 'Filter and sort' });
    await sheet.getByLabel('Sort by').selectOption('price_asc');
    await sheet.getByLabel('In stock only').check();
    await snap(page, '24-phone-filter-sheet');
    await sheet.getByRole('button', { name: /^Show \d+ products$/ }).click();
    await expect(sheet.isVisible()).resolves.toBe(false);
    await page.getByRole('button', { name: 'Filter and sort (1)' }).waitFor();
    expect(new URL(page.url()).search).toBe('?inStock=true&sort=price_asc');
  }, 60_000);

  test('search suggests as it is typed and forgives a typo; a search that finds nothing helps; pages are numbered', async () => {
    const page = await newShopper();
    await page.goto('/');
    const search = page.getByRole('combobox', { name: 'Search' });
    await search.fill('lammp');
    const correction = page.getByRole('option', {
      name: 'All results for “lamp” (no products for “lammp”)',
    });
    await correction.waitFor();
    await search.press('ArrowDown');
    await expect(search.getAttribute('aria-activedescendant')).resolves.toBeTruthy();
    await correction.click();
    await page.getByText(/^\d+ products for “lamp”$/).waitFor();
    await page.goto('/?q=lammp');
    await page.getByText(/^Nothing matches “lammp”\. 12 products for “lamp”:$/).waitFor();
    await snap(page, '25-search-corrected');

    await page.goto('/?q=xqzvw');
    await page.getByText(/Check the spelling/).waitFor();
    await page.getByRole('heading', { name: 'Browse the shop' }).waitFor();
    await snap(page, '26-nothing-found');

    await page.goto('/');
    const pages = page.getByRole('navigation', { name: 'Pages' });
    await pages.getByRole('link', { name: 'Page 2', exact: true }).click();
    await eventually(() => new URL(page.url()).searchParams.get('page')).toBe('2');
    await expect(pages.locator('[aria-current="page"]').textContent()).resolves.toBe('Page 2');
    await page.getByRole('link', { name: '← Previous' }).waitFor();
    await snap(page, '27-page-two');
    await page
      .getByRole('navigation', { name: 'Departments' })
      .getByRole('link', { name: 'Home' })
      .click();
    await eventually(() => new URL(page.url()).searchParams.get('category')).toBe('home');
  }, 60_000);

  test('a product offers each option as a labelled choice, and a sold-out one cannot be chosen', async () => {
    const page = await newShopper();
    // A product of the demo assortment with one variant sold out beside others in stock.
    const listing = await (await page.request.get('/api/products?limit=100')).json();
    let found: { slug: string; soldOut: string; colour: string } | undefined;
    for (const item of listing.items as Array<{ slug: string; variantCount: number }>) {
      if (item.variantCount < 2 || item.variantCount > 3) continue;
      const product = await (await page.request.get(`/api/products/${item.slug}`)).json();
      const variants = product.variants as Array<{ inStock: boolean; options: { colour: string } }>;
      const soldOut = variants.find((variant) => !variant.inStock);
      const other = variants.find((variant) => variant.inStock);
      if (soldOut && other) {
        found = { slug: item.slug, soldOut: soldOut.options.colour, colour: other.options.colour };
        break;
      }
    }
    expect(found, 'a product with a sold-out colour').toBeDefined();
    if (!found) return;
    await page.goto(`/products/${found.slug}`);
    const colours = page.getByRole('group', { name: /^Colour/ });
    await expect(colours.getByLabel(found.colour).isChecked()).resolves.toBe(true);
    await expect(colours.getByLabel(found.soldOut).isDisabled()).resolves.toBe(true);
    await colours.getByText(`${found.soldOut} (sold out)`).waitFor();
    await snap(page, '28-sold-out-option');
  }, 60_000);

  test("a region chosen while the page's first answers (its cart, its products) are still on their way stays chosen, prices too", async () => {
    const page = await newShopper();
    // A busy shop: the cart and the product listing the page starts with answer after the
    // shopper has chosen another region (and after that region's listing).
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const heldAnswers: Promise<unknown>[] = [];
    const holdFirst = (matches: (url: string, method: string) => boolean) => {
      let first = true;
      return async (route: Route) => {
        const request = route.request();
        if (!first || !matches(request.url(), request.method())) return route.fallback();
        first = false;
        heldAnswers.push(page.waitForResponse((response) => response.request() === request));
        const answer = await route.fetch();
        await held;
        await route.fulfill({ response: answer });
      };
    };
    await page.route(
      '**/api/cart',
      holdFirst((_url, method) => method === 'GET'),
    );
    await page.route(
      '**/api/products?*',
      holdFirst((url) => new URL(url).searchParams.get('limit') === '24'),
    );
    await page.goto('/');
    await page.getByLabel('Region and currency').selectOption('eu');
    await eventually(() => page.getByText(/€/).count()).toBeGreaterThan(0);
    expect(heldAnswers).toHaveLength(2);
    release();
    await Promise.all(heldAnswers);
    // The page has the held answers now; they are older than the choice and change nothing.
    await page.waitForTimeout(500);
    await expect(page.getByLabel('Region and currency').inputValue()).resolves.toBe('eu');
    expect(await page.getByText(/€/).count()).toBeGreaterThan(0);
    expect(await page.getByText(/\$\d/).count()).toBe(0);
    await addToCart(page, 'oak-desk-lamp', 'Sand');
    await page.getByRole('link', { name: /^Cart/ }).click();
    await eventually(() => page.locator('.line').count()).toBe(1);
    await expect(page.getByLabel('Region and currency').inputValue()).resolves.toBe('eu');
    await page.getByText('Including tax').waitFor();
  }, 60_000);

  test('a region the shop cannot switch to right now is said so, and prices stay in the region shown', async () => {
    const page = await newShopper();
    const detail = 'The cart is unavailable right now; try again in a moment.';
    await page.route('**/api/cart', (route) =>
      route.request().method() === 'PATCH'
        ? route.fulfill({
            status: 503,
            contentType: 'application/problem+json',
            body: JSON.stringify({
              type: 'about:blank',
              title: 'Service Unavailable',
              status: 503,
              detail,
            }),
          })
        : route.fallback(),
    );
    await page.goto('/');
    const picker = page.getByLabel('Region and currency');
    await eventually(() => picker.isEnabled()).toBe(true);
    const shown = await picker.inputValue();
    await picker.selectOption('eu');
    await page.getByRole('alert').getByText(detail).waitFor();
    await expect(picker.inputValue()).resolves.toBe(shown);
    expect(await page.getByText(/€/).count()).toBe(0);
    await snap(page, '29-region-not-switched');
  }, 60_000);
});
