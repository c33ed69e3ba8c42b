import { formatMoney, majorUnits } from '@bazaar/contracts/money-format';
import type { CategoryNode, ProductDetail, ProductListing } from '@bazaar/contracts/shop-api';
import { escapeMarkup } from '@bazaar/service-kit/markup';

/**
 * A page as the server sends it before the app runs: what a crawler, a link preview or a browser
 * without JavaScript reads, and what a shopper sees until the app takes the page over.
 */
export type PrerenderedPage = {
  status: number;
  title: string;
  description: string;
  /** The page's one address, absolute; none for a page that should not be indexed. */
  canonical?: string;
  noindex?: boolean;
  image?: string;
  /** schema.org data, for the `application/ld+json` block. */
  structuredData?: object;
  /** The content of `#root`, HTML escaped where it came from data. */
  body: string;
};

const shopName = 'Bazaar';

/** A product page: its name, description, price, pictures and availability, and Product data. */
export function productPage(product: ProductDetail, origin: string): PrerenderedPage {
  const url = `${origin}/products/${product.slug}`;
  const images = product.images.map((image) => new URL(image, origin).toString());
  const prices = product.variants.map((variant) => variant.price.amount);
  const currency = product.price.currency;
  return {
    status: 200,
    title: `${product.name} · ${shopName}`,
    description: summary(product.description),
    canonical: url,
    ...(images[0] ? { image: images[0] } : {}),
    structuredData: {
      '@context': 'https://schema.org',
      '@type': 'Product',
      name: product.name,
      description: product.description,
      url,
      ...(images.length > 0 ? { image: images } : {}),
      category: product.category.name,
      sku: product.variants[0]?.sku,
      brand: { '@type': 'Brand', name: shopName },
      offers: {
        '@type': 'AggregateOffer',
        priceCurrency: currency,
        lowPrice: majorUnits({ amount: Math.min(...prices, product.price.amount), currency }),
        highPrice: majorUnits({ amount: Math.max(...prices, product.price.amount), currency }),
        offerCount: product.variants.length,
        availability: product.inStock
          ? 'https://schema.org/InStock'
          : 'https://schema.org/OutOfStock',
        url,
      },
    },
    body: `<main id="main"><article class="product">
<nav aria-label="Breadcrumb"><ol class="breadcrumbs"><li><a href="/">Shop</a></li><li><a href="/?category=${escapeMarkup(product.category.slug)}">${escapeMarkup(product.category.name)}</a></li><li aria-current="page">${escapeMarkup(product.name)}</li></ol></nav>
${images[0] ? `<img class="hero" src="${escapeMarkup(images[0])}" alt="${escapeMarkup(product.name)}">` : ''}
<h1>${escapeMarkup(product.name)}</h1>
<p class="big">${escapeMarkup(formatMoney(product.price))}</p>
<p>${escapeMarkup(product.description)}</p>
<p class="stock">${product.inStock ? 'In stock' : 'Sold out'}</p>
</article></main>`,
  };
}

/**
 * A catalog page: a department, an aisle or everything, one numbered page of it, each product a
 * link. A search's results are for the shopper only (`noindex`). No pictures: on a slow phone
 * their downloads would delay the app's own (measured by `npm run lighthouse`), and each product's
 * page has them.
 */
export function catalogPage(
  listing: ProductListing,
  where: { origin: string; category?: CategoryNode; page: number; searched: boolean },
): PrerenderedPage {
  const heading = where.category?.name ?? 'All products';
  const query = new URLSearchParams();
  if (where.category) query.set('category', where.category.slug);
  if (where.page > 1) query.set('page', String(where.page));
  const address = `${where.origin}/${query.size > 0 ? `?${query}` : ''}`;
  const items = listing.items
    .map(
      (product) =>
        `<li class="card"><a href="/products/${escapeMarkup(product.slug)}"><span class="name">${escapeMarkup(product.name)}</span></a><span class="meta">${escapeMarkup(product.category.name)}</span><span>${product.variantCount > 1 ? 'from ' : ''}${escapeMarkup(formatMoney(product.price))}</span></li>`,
    )
    .join('\n');
  const next = new URLSearchParams(query);
  next.set('page', String(where.page + 1));
  return {
    status: 200,
    title: `${heading} · ${shopName}`,
    description: where.category
      ? `${heading} at ${shopName}: ${listing.total} products.`
      : `${shopName}: a small shop of useful things, ${listing.total} products.`,
    ...(where.searched ? { noindex: true } : { canonical: address }),
    body: `<main id="main"><section class="results" aria-label="Products">
<h1>${escapeMarkup(heading)}</h1>
<p class="count">${listing.total} products</p>
<ul class="grid">
${items}
</ul>
${listing.items.length > 0 && listing.total > where.page * listing.items.length ? `<nav class="pager" aria-label="Pages"><a href="/?${escapeMarkup(next.toString())}" rel="next">Next →</a></nav>` : ''}
</section></main>`,
  };
}

/** The page the app shows for a path nobody knows: the app's own, with a 404 status. */
export function notFoundPage(): PrerenderedPage {
  return {
    status: 404,
    title: `Not found · ${shopName}`,
    description: 'There is no such page.',
    noindex: true,
    body: '<main id="main"><h1>Not found</h1><p>There is no such page. <a href="/">Back to the shop</a></p></main>',
  };
}

/**
 * The built index.html with the page's head and content: its title, description, canonical link,
 * Open Graph tags and schema.org data in the head, the content inside `#root`, which the app
 * replaces when it starts.
 */
export function fillShell(shell: string, page: PrerenderedPage): string {
  const head = [
    `<title>${escapeMarkup(page.title)}</title>`,
    `<meta name="description" content="${escapeMarkup(page.description)}" />`,
    page.noindex ? '<meta name="robots" content="noindex" />' : '',
    page.canonical ? `<link rel="canonical" href="${escapeMarkup(page.canonical)}" />` : '',
    `<meta property="og:title" content="${escapeMarkup(page.title)}" />`,
    `<meta property="og:description" content="${escapeMarkup(page.description)}" />`,
    page.canonical ? `<meta property="og:url" content="${escapeMarkup(page.canonical)}" />` : '',
    page.image ? `<meta property="og:image" content="${escapeMarkup(page.image)}" />` : '',
    page.structuredData
      ? `<script type="application/ld+json">${json(page.structuredData)}</script>`
      : '',
  ]
    .filter(Boolean)
    .join('\n    ');
  return shell
    .replace(/<meta name="description"[^>]*>\s*/, '')
    .replace(/<title>[^<]*<\/title>/, () => head)
    .replace('<div id="root"></div>', () => `<div id="root">${page.body}</div>`);
}

/** A description of at most 160 characters, cut at a word. */
function summary(description: string): string {
  if (description.length <= 160) return description;
  return `${description.slice(0, 157).replace(/\s+\S*$/, '')}…`;
}

/** JSON that cannot end its script element, whatever text the data holds. */
function json(value: object): string {
  return JSON.stringify(value).replaceAll('<', '\\u003c');
}
