import type { Queryable } from '@bazaar/db/pool';
import type { Region, ShippingOption, TaxRate } from '../domain/regions.js';

type RegionRow = {
  id: string;
  name: string;
  currency: string;
  tax_included: boolean;
  tax_shipping: boolean;
  return_days: number;
  default_country: string;
  countries: string[];
  shipping_options: ShippingOption[];
};

/**
 * Every region in the shop's order, with its countries and the shipping options on offer (and,
 * for admins, those paused too).
 */
export async function selectRegions(
  db: Queryable,
  options: { inactiveOptions?: boolean } = {},
): Promise<Region[]> {
  const { rows } = await db.query<RegionRow>(
    `SELECT r.id, r.name, r.currency, r.tax_included, r.tax_shipping, r.return_days,
            r.default_country,
            ARRAY(SELECT country FROM region_countries c WHERE c.region_id = r.id
                   ORDER BY country)::text[] AS countries,
            (SELECT coalesce(jsonb_agg(jsonb_build_object('id', s.id, 'name', s.name,
                      'estimate', s.estimate, 'countries', s.countries, 'rate', s.rate,
                      'active', s.active)
                      ORDER BY s.position, s.id), '[]')
               FROM shipping_options s
              WHERE s.region_id = r.id AND (s.active OR $1)) AS shipping_options
       FROM regions r ORDER BY r.position, r.id`,
    [options.inactiveOptions ?? false],
  );
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    currency: row.currency,
    taxIncluded: row.tax_included,
    taxShipping: row.tax_shipping,
    returnDays: row.return_days,
    defaultCountry: row.default_country,
    countries: row.countries,
    shippingOptions: row.shipping_options,
  }));
}

/** The tax rates of one country, or of every country, in order. */
export async function selectTaxRates(
  db: Queryable,
  country?: string,
): Promise<Array<TaxRate & { name: string }>> {
  const { rows } = await db.query<{
    country: string;
    state: string;
    category: string;
    rate_ppm: number;
    name: string;
  }>(
    `SELECT country, state, category, rate_ppm, name FROM tax_rates
      WHERE $1::text IS NULL OR country = $1 ORDER BY country, state, category`,
    [country ?? null],
  );
  return rows.map((row) => ({
    country: row.country,
    state: row.state,
    category: row.category,
    ratePpm: row.rate_ppm,
    name: row.name,
  }));
}

/** Which region sells to each of `countries` that any region does. */
export async function selectRegionOfCountries(
  db: Queryable,
  countries: readonly string[],
): Promise<Map<string, string>> {
  const { rows } = await db.query<{ country: string; region_id: string }>(
    'SELECT country, region_id FROM region_countries WHERE country = ANY($1)',
    [countries],
  );
  return new Map(rows.map((row) => [row.country, row.region_id]));
}

export async function saveRegion(
  db: Queryable,
  id: string,
  region: Omit<Region, 'id' | 'shippingOptions'>,
): Promise<void> {
  await db.query(
    `INSERT INTO regions (id, name, currency, tax_included, tax_shipping, default_country,
                          return_days, position)
     VALUES ($1, $2, $3, $4, $5, $6, $7, (SELECT coalesce(max(position) + 1, 0) FROM regions))
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, currency = excluded.currency,
       tax_included = excluded.tax_included, tax_shipping = excluded.tax_shipping,
       default_country = excluded.default_country, return_days = excluded.return_days`,
    [
      id,
      region.name,
      region.currency,
      region.taxIncluded,
      region.taxShipping,
      region.defaultCountry,
      region.returnDays,
    ],
  );
  await db.query('DELETE FROM region_countries WHERE region_id = $1 AND NOT (country = ANY($2))', [
    id,
    region.countries,
  ]);
  await db.query(
    `INSERT INTO region_countries (country, region_id) SELECT unnest($1::text[]), $2
     ON CONFLICT (country) DO NOTHING`,
    [region.countries, id],
  );
}

export async function saveShippingOption(
  db: Queryable,
  id: string,
  option: Omit<ShippingOption, 'id'> & { regionId: string },
): Promise<void> {
  await db.query(
    `INSERT INTO shipping_options (id, region_id, name, estimate, countries, rate, active, position)
     VALUES ($1, $2, $3, $4, $5, $6, $7,
             (SELECT coalesce(max(position) + 1, 0) FROM shipping_options WHERE region_id = $2))
     ON CONFLICT (id) DO UPDATE SET region_id = excluded.region_id, name = excluded.name,
       estimate = excluded.estimate, countries = excluded.countries, rate = excluded.rate,
       active = excluded.active`,
    [
      id,
      option.regionId,
      option.name,
      option.estimate,
      option.countries,
      option.rate,
      option.active,
    ],
  );
}

export async function saveTaxRate(db: Queryable, rate: TaxRate & { name: string }): Promise<void> {
  await db.query(
    `INSERT INTO tax_rates (country, state, category, rate_ppm, name) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (country, state, category) DO UPDATE SET rate_ppm = excluded.rate_ppm,
       name = excluded.name`,
    [rate.country, rate.state, rate.category, rate.ratePpm, rate.name],
  );
}

/** False when there was no such rate. */
export async function deleteTaxRate(
  db: Queryable,
  key: Pick<TaxRate, 'country' | 'state' | 'category'>,
): Promise<boolean> {
  const { rowCount } = await db.query(
    'DELETE FROM tax_rates WHERE country = $1 AND state = $2 AND category = $3',
    [key.country, key.state, key.category],
  );
  return rowCount === 1;
}

/** What `insertRegions` writes (the seed's regions); what is there already is kept. */
export type NewRegion = Region & { taxRates: Array<TaxRate & { name: string }> };

export async function insertRegions(db: Queryable, regions: readonly NewRegion[]): Promise<void> {
  for (const [position, region] of regions.entries()) {
    await db.query(
      `INSERT INTO regions (id, name, currency, tax_included, tax_shipping, default_country,
                            return_days, position)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING`,
      [
        region.id,
        region.name,
        region.currency,
        region.taxIncluded,
        region.taxShipping,
        region.defaultCountry,
        region.returnDays,
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
