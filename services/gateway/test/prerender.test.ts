import type { ProductDetail } from '@bazaar/contracts/shop-api';
import { expect, test } from 'vitest';
import { fillShell, productPage } from '../src/domain/prerender.js';

const hostile = '</script><script>alert(1)</script> & "quotes"';
const product: ProductDetail = {
  id: '00000000-0000-4000-8000-000000000000',
  slug: 'a-lamp',
  name: hostile,
  description: hostile,
  status: 'active',
  category: { slug: 'lighting', name: hostile },
  images: ['/media/abc.png'],
  price: { amount: 1999, currency: 'JPY' },
  inStock: false,
  variants: [
    {
      sku: 'LAMP-1',
      options: {},
      price: { amount: 1999, currency: 'JPY' },
      prices: [{ amount: 1999, currency: 'JPY' }],
      inStock: false,
    },
  ],
  updatedAt: '2026-12-06T00:00:00.000Z',
};
const shell = '<head><title>Bazaar</title></head><body><div id="root"></div></body>';

test("a product's text from the catalog is escaped in the page and in its schema.org data", () => {
  const html = fillShell(shell, productPage(product, 'https://shop.example'));
  expect(html.match(/<script/g)).toHaveLength(1);
  expect(html).toContain('&#60;/script&#62;&#60;script&#62;alert(1)&#60;/script&#62; &#38;');
  const data = JSON.parse(
    /<script type="application\/ld\+json">([^<]*)<\/script>/.exec(html)?.[1] ?? '',
  );
  expect(data.name).toBe(hostile);
});

test('schema.org prices are in major units with the currency its own digits, exactly', () => {
  const data = productPage(product, 'https://shop.example').structuredData as {
    offers: { lowPrice: string; availability: string };
  };
  expect(data.offers.lowPrice).toBe('1999');
  const dollars = productPage(
    { ...product, price: { amount: 5, currency: 'USD' }, variants: [] },
    'https://shop.example',
  ).structuredData as { offers: { lowPrice: string } };
  expect(dollars.offers.lowPrice).toBe('0.05');
  expect(data.offers.availability).toBe('https://schema.org/OutOfStock');
});
