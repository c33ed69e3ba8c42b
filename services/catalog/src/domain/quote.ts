import type { Quote, QuoteRequest } from '@bazaar/contracts/internal-api';
import type { Queryable } from '@bazaar/db/pool';
import { selectPrices } from '../store/price-store.js';
import { selectCustomerUses, selectPromotion } from '../store/promotion-store.js';
import { CatalogError } from './errors.js';
import { assertApplies, discountOf, normalCode } from './promotions.js';
import { type Region, regionOf, type ShippingOption, taxRateFor } from './regions.js';
import type { ShopRegions } from './shop-regions.js';
import { computeTotals, shippingFor } from './totals.js';

/**
 * What `request`'s lines cost in its region: priced from the region's price list, shipped by the
 * option asked for (or the first that serves the country), taxed at the destination's rates.
 */
export async function quote(
  db: Queryable,
  regions: ShopRegions,
  request: QuoteRequest,
): Promise<Quote> {
  const all = await regions.all();
  const region =
    request.region === undefined && request.country !== undefined
      ? regionSelling(all, request.country)
      : regionOf(all, request.region, { field: 'region', in: 'body' });
  const country = request.country ?? region.defaultCountry;
  if (!region.countries.includes(country)) {
    throw new CatalogError(
      'country_not_in_region',
      `${region.name} does not sell to ${country}; choose the region that does`,
      {
        errors: [
          { field: 'country', in: 'body', message: `is not one of ${region.countries.join(', ')}` },
        ],
      },
    );
  }
  const serving = region.shippingOptions.filter(
    (option) => option.countries.length === 0 || option.countries.includes(country),
  );
  const option = chosenOption(region.shippingOptions, serving, request.shippingOptionId, country);
  const [prices, rates, promotion] = await Promise.all([
    selectPrices(
      db,
      request.lines.map((line) => line.sku),
      region.currency,
    ),
    regions.taxRates(),
    request.promotion && selectPromotion(db, { code: normalCode(request.promotion.code) }),
  ]);
  const place = { country, state: request.state ?? '' };
  const byState = rates.some((rate) => rate.country === country && rate.state !== '');
  if (request.forOrder && place.state === '' && byState) {
    throw new CatalogError('state_required', `Orders to ${country} name the state`, {
      errors: [{ field: 'state', in: 'body', message: `is required for ${country}` }],
    });
  }
  const sold = new Map(prices.filter((price) => price.active).map((price) => [price.sku, price]));
  const lines = request.lines.flatMap((line) => {
    const price = sold.get(line.sku);
    return price ? [{ ...line, price }] : [];
  });
  if (request.promotion) {
    const { code, customer } = request.promotion;
    assertApplies(promotion, {
      code,
      now: new Date(),
      currency: region.currency,
      subtotal: lines.reduce((sum, line) => sum + line.price.price.amount * line.quantity, 0),
      categories: lines.map((line) => line.price.categories),
      used: promotion && customer ? await selectCustomerUses(db, promotion.id, customer) : 0,
    });
  }
  const totals = computeTotals({
    taxIncluded: region.taxIncluded,
    lines: lines.map(({ sku, quantity, price }) => ({
      sku,
      quantity,
      unitPrice: price.price.amount,
      categories: price.categories,
      taxRate: taxRateFor(rates, place, price.categories),
    })),
    // Nothing to ship costs nothing to ship.
    shipping:
      option && lines.length > 0
        ? { rate: option.rate, taxRate: region.taxShipping ? taxRateFor(rates, place, []) : 0 }
        : null,
    discount: promotion ? discountOf(promotion) : null,
  });
  const money = (amount: number) => ({ amount, currency: region.currency });
  const goods = totals.subtotal - totals.discount;
  return {
    region: region.id,
    currency: region.currency,
    taxIncluded: region.taxIncluded,
    returnDays: region.returnDays,
    country,
    lines: lines.map(({ price }, index) => {
      const line = totals.lines[index] as (typeof totals.lines)[number];
      return {
        sku: price.sku,
        productId: price.productId,
        slug: price.slug,
        name: price.name,
        image: price.image,
        quantity: line.quantity,
        unitPrice: money(line.unitPrice),
        lineTotal: money(line.lineTotal),
        discount: money(line.discount),
        tax: money(line.tax),
        taxRate: line.taxRate,
      };
    }),
    unavailable: request.lines.filter((line) => !sold.has(line.sku)).map((line) => line.sku),
    shippingOption: option && { id: option.id, name: option.name, estimate: option.estimate },
    promotion: promotion ? { code: promotion.code, description: promotion.description } : null,
    shippingOptions: (lines.length > 0 ? serving : []).map(({ id, name, estimate, rate }) => ({
      id,
      name,
      estimate,
      price: money(shippingFor(rate, goods)),
    })),
    subtotal: money(totals.subtotal),
    discount: money(totals.discount),
    shipping: money(totals.shipping),
    tax: money(totals.tax),
    total: money(totals.total),
  };
}

/** The region that sells to `country`; none is a 422 naming the field. */
function regionSelling(regions: readonly Region[], country: string): Region {
  const region = regions.find((candidate) => candidate.countries.includes(country));
  if (region) return region;
  throw new CatalogError('country_not_served', `The shop does not deliver to ${country}`, {
    errors: [
      {
        field: 'country',
        in: 'body',
        message: `is not a country the shop sells to: ${regions.flatMap((r) => r.countries).join(', ')}`,
      },
    ],
  });
}

/** The option asked for, if it serves the country; else the first that does (none: no shipping). */
function chosenOption(
  all: readonly ShippingOption[],
  serving: readonly ShippingOption[],
  id: string | undefined,
  country: string,
): ShippingOption | null {
  if (id === undefined) return serving[0] ?? null;
  const option = serving.find((candidate) => candidate.id === id);
  if (option) return option;
  const known = all.some((candidate) => candidate.id === id);
  throw new CatalogError(
    'shipping_unavailable',
    known
      ? `This shipping option does not deliver to ${country}`
      : `There is no shipping option ${id}`,
    {
      errors: [
        {
          field: 'shippingOptionId',
          in: 'body',
          message: known
            ? `does not deliver to ${country}; choose one of ${serving.map((o) => o.id).join(', ') || 'none'}`
            : 'is not a shipping option of this region',
        },
      ],
    },
  );
}
