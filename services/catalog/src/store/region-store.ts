import type { Queryable } from '@bazaar/db/pool';
import type { Region, ShippingOption, TaxRate } from '../domain/regions.js';

type RegionRow = {
  id: string;
  name: string;
  currency: string;
  tax_included: boolean;
  tax_shipping: boolean;
  default_country: string;
  countries: string[];
  shipping_options: ShippingOption[];
};

/** Every region in the shop's order, with its countries and the shipping options on offer. */
export async function selectRegions(db: Queryable): Promise<Region[]> {
  const { rows } = await db.query<RegionRow>(
    `SELECT r.id, r.name, r.currency, r.tax_included, r.tax_shipping, r.default_country,
            ARRAY(SELECT country FROM region_countries c WHERE c.region_id = r.id
                   ORDER BY country)::text[] AS countries,
            (SELECT coalesce(jsonb_agg(jsonb_build_object('id', s.id, 'name', s.name,
                      'estimate', s.estimate, 'countries', s.countries, 'rate', s.rate)
                      ORDER BY s.position, s.id), '[]')
               FROM shipping_options s WHERE s.region_id = r.id AND s.active) AS shipping_options
       FROM regions r ORDER BY r.position, r.id`,
  );
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    currency: row.currency,
    taxIncluded: row.tax_included,
    taxShipping: row.tax_shipping,
    defaultCountry: row.default_country,
    countries: row.countries,
    shippingOptions: row.shipping_options,
  }));
}

export async function selectTaxRates(db: Queryable, country: string): Promise<TaxRate[]> {
  const { rows } = await db.query<{
    country: string;
    state: string;
    category: string;
    rate_ppm: number;
  }>('SELECT country, state, category, rate_ppm FROM tax_rates WHERE country = $1', [country]);
  return rows.map((row) => ({
    country: row.country,
    state: row.state,
    category: row.category,
    ratePpm: row.rate_ppm,
  }));
}

/** What `insertRegions` writes (the seed's regions); what is there already is kept. */
export type NewRegion = Region & { taxRates: Array<TaxRate & { name: string }> };

export async function insertRegions(db: Queryable, regions: readonly NewRegion[]): Promise<void> {
  for (const [position, region] of regions.entries()) {
    await db.query(
      `INSERT INTO regions (id, name, currency, tax_included, tax_shipping, default_country, position)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
      [
        region.id,
        region.name,
        region.currency,
        region.taxIncluded,
        region.taxShipping,
        region.defaultCountry,
        position,
      ],
    );
    await db.query(
      `INSERT INTO region_countries (country, region_id) SELECT unnest($1::text[]), $2
       ON CONFLICT (country) DO NOTHING`,
      [region.countries, region.id],
    );
    for (const [order, option] of region.shippingOptions.entries()) {
      await db.query(
        `INSERT INTO shipping_options (id, region_id, name, estimate, countries, rate, position)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
        [option.id, region.id, option.name, option.estimate, option.countries, option.rate, order],
      );
    }
    await db.query(
      `INSERT INTO tax_rates (country, state, category, rate_ppm, name)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[])
       ON CONFLICT (country, state, category) DO NOTHING`,
      [
        region.taxRates.map((rate) => rate.country),
        region.taxRates.map((rate) => rate.state),
        region.taxRates.map((rate) => rate.category),
        region.taxRates.map((rate) => rate.ratePpm),
        region.taxRates.map((rate) => rate.name),
      ],
    );
  }
}
