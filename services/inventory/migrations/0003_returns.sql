-- Units that came back from a sold order: sellable ones go back on the shelf (on_hand), damaged
-- ones are counted apart and never sold. A return is recorded once, by the id orders gives it,
-- so that asking again moves nothing; a cancel of the rest of the order puts back only what no
-- return already did.
ALTER TABLE stock ADD COLUMN damaged integer NOT NULL DEFAULT 0 CHECK (damaged >= 0);

CREATE TABLE reservation_returns (
  return_id uuid NOT NULL,
  order_id uuid NOT NULL REFERENCES reservations (order_id),
  sku text NOT NULL REFERENCES stock (sku),
  quantity integer NOT NULL CHECK (quantity > 0),
  damaged integer NOT NULL CHECK (damaged >= 0 AND damaged <= quantity),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (return_id, sku)
);

CREATE INDEX reservation_returns_of_order ON reservation_returns (order_id);
