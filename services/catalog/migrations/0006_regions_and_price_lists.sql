-- Where the shop sells: each region one currency and one way of showing tax (prices that include
-- it, as in the UK and the EU, or tax added at the till, as in the US).
CREATE TABLE regions (
  id text PRIMARY KEY CHECK (id ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  name text NOT NULL,
  currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  tax_included boolean NOT NULL,
  -- Whether shipping is taxed, at the destination's standard rate.
  tax_shipping boolean NOT NULL,
  -- The country a cart's tax is estimated for before the shopper gives an address.
  default_country char(2) NOT NULL,
  position integer NOT NULL DEFAULT 0
);

-- A country is sold to from one region.
CREATE TABLE region_countries (
  country char(2) PRIMARY KEY CHECK (country ~ '^[A-Z]{2}$'),
  region_id text NOT NULL REFERENCES regions (id) ON DELETE CASCADE
);

-- Tax rates in millionths (20 % is 200000). The most specific row applies: a state's over its
-- country's, a category's (or its parent's) over every category's; '' means all of them.
CREATE TABLE tax_rates (
  country char(2) NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
  state text NOT NULL DEFAULT '',
  category text NOT NULL DEFAULT '',
  rate_ppm integer NOT NULL CHECK (rate_ppm BETWEEN 0 AND 1000000),
  name text NOT NULL,
  PRIMARY KEY (country, state, category)
);

-- How a region's orders travel; `rate` is a ShippingRate (domain/totals.ts), in the region's
-- currency. An option with no countries serves every country of its region.
CREATE TABLE shipping_options (
  id text PRIMARY KEY CHECK (id ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  region_id text NOT NULL REFERENCES regions (id) ON DELETE CASCADE,
  name text NOT NULL,
  estimate text NOT NULL,
  countries char(2)[] NOT NULL DEFAULT '{}',
  rate jsonb NOT NULL,
  active boolean NOT NULL DEFAULT true,
  position integer NOT NULL DEFAULT 0
);

CREATE INDEX shipping_options_region ON shipping_options (region_id, position);

-- A shop sells somewhere from the start: where it sold before regions (US dollars, tax added,
-- the flat rate orders charged). `npm start`'s seed adds the demo's other regions and rates.
INSERT INTO regions (id, name, currency, tax_included, tax_shipping, default_country)
VALUES ('us', 'United States', 'USD', false, false, 'US');
INSERT INTO region_countries (country, region_id) VALUES ('US', 'us');
INSERT INTO shipping_options (id, region_id, name, estimate, rate)
VALUES ('us-standard', 'us', 'Standard', '3–5 business days', '{"kind": "flat", "amount": 499}');

-- Price lists: a variant's price in each currency it is sold in (gross where the currency's
-- region includes tax). A variant without a price in a region's currency is not sold there.
CREATE TABLE variant_prices (
  sku text NOT NULL REFERENCES variants (sku) ON DELETE CASCADE,
  currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  amount integer NOT NULL CHECK (amount > 0),
  PRIMARY KEY (sku, currency)
);

INSERT INTO variant_prices (sku, currency, amount) SELECT sku, currency, price_amount FROM variants;

-- A product's lowest variant price per currency, kept with every write of its variants, so that
-- a listing's price filters and sorts in a currency read an index.
CREATE TABLE product_prices (
  product_id uuid NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  currency char(3) NOT NULL,
  price_from integer NOT NULL CHECK (price_from > 0),
  PRIMARY KEY (product_id, currency)
);

CREATE INDEX product_prices_listing ON product_prices (currency, price_from, product_id);

INSERT INTO product_prices (product_id, currency, price_from)
SELECT v.product_id, vp.currency, min(vp.amount)
  FROM variant_prices vp JOIN variants v ON v.sku = vp.sku
 GROUP BY v.product_id, vp.currency;

-- products.price_from/currency and variants.price_amount/currency are the one price the previous
-- release knew: still written (a price of the variant's, USD where it has one) so that it runs on
-- this schema after a rollback, and dropped by a later release.
