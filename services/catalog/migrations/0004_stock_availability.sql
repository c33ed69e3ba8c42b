-- Which SKUs can be bought, as inventory announces it (inventory.stock.availability.v1). A SKU
-- without a row has never been stocked and counts as not in stock.
CREATE TABLE sku_availability (
  sku text PRIMARY KEY,
  in_stock boolean NOT NULL,
  -- Announcements can arrive out of order; only a newer one replaces an older one.
  changed_at timestamptz NOT NULL
);

CREATE INDEX sku_availability_in_stock ON sku_availability (sku) WHERE in_stock;

-- Events this service has applied, so that a redelivered event changes nothing.
CREATE TABLE inbox (
  consumer text NOT NULL,
  event_id uuid NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);
