-- What an order was charged, kept as it was quoted: the region and its tax mode, the discount and
-- the tax of the order and of each line, the shipping option and the code. Orders placed before
-- regions were in the shop's one currency with tax added (none), without a discount.
ALTER TABLE orders
  ADD COLUMN region text NOT NULL DEFAULT 'us',
  ADD COLUMN tax_included boolean NOT NULL DEFAULT false,
  ADD COLUMN discount integer NOT NULL DEFAULT 0 CHECK (discount >= 0),
  ADD COLUMN tax integer NOT NULL DEFAULT 0 CHECK (tax >= 0),
  ADD COLUMN shipping_option jsonb,
  ADD COLUMN promotion jsonb;

ALTER TABLE order_lines
  ADD COLUMN discount integer NOT NULL DEFAULT 0 CHECK (discount >= 0),
  ADD COLUMN tax integer NOT NULL DEFAULT 0 CHECK (tax >= 0),
  ADD COLUMN tax_rate integer NOT NULL DEFAULT 0 CHECK (tax_rate BETWEEN 0 AND 1000000);

ALTER TABLE orders ALTER COLUMN region DROP DEFAULT, ALTER COLUMN tax_included DROP DEFAULT;
