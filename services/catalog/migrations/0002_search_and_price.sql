-- Full-text search: the name weighs more (A) than the description (B) in ts_rank.
ALTER TABLE products
  ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', name), 'A') || setweight(to_tsvector('english', description), 'B')
  ) STORED;

CREATE INDEX products_search ON products USING gin (search);

-- The lowest variant price, kept with the product so that price filters and price sorts use an
-- index; every write of a product's variants sets it.
ALTER TABLE products ADD COLUMN price_from integer, ADD COLUMN currency char(3);

UPDATE products p
   SET price_from = v.price_from, currency = v.currency
  FROM (SELECT product_id, min(price_amount) AS price_from, min(currency) AS currency
          FROM variants GROUP BY product_id) v
 WHERE v.product_id = p.id;

ALTER TABLE products
  ALTER COLUMN price_from SET NOT NULL,
  ALTER COLUMN currency SET NOT NULL,
  ADD CONSTRAINT products_price_from_positive CHECK (price_from > 0);

CREATE INDEX products_active_price ON products (price_from, id) WHERE status = 'active';
