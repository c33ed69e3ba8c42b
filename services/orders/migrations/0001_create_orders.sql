CREATE TABLE orders (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL,
  email text NOT NULL,
  status text NOT NULL
    CHECK (status IN ('pending', 'confirmed', 'rejected', 'payment_failed', 'shipped', 'cancelled')),
  -- A repeated checkout with the same key finds this order instead of making another.
  idempotency_key text NOT NULL,
  -- What the first request asked for (never the card number): the same key with another body is refused.
  request_fingerprint text NOT NULL,
  currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  subtotal integer NOT NULL CHECK (subtotal >= 0),
  shipping integer NOT NULL CHECK (shipping >= 0),
  total integer NOT NULL CHECK (total > 0),
  shipping_address jsonb NOT NULL,
  -- The card's brand and last four digits once payments has seen it.
  payment jsonb,
  -- Why a checkout did not go through: {code, detail, ...} as the shopper was told.
  failure jsonb,
  carrier text,
  tracking_number text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (user_id, idempotency_key)
);

CREATE INDEX orders_by_user ON orders (user_id, created_at DESC, id DESC);
CREATE INDEX orders_newest ON orders (created_at DESC, id DESC);
-- The recovery sweeper looks only at checkouts that never finished.
CREATE INDEX orders_pending ON orders (updated_at) WHERE status = 'pending';

CREATE TABLE order_lines (
  order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  sku text NOT NULL,
  name text NOT NULL,
  quantity integer NOT NULL CHECK (quantity BETWEEN 1 AND 99),
  unit_price integer NOT NULL CHECK (unit_price > 0),
  position integer NOT NULL,
  PRIMARY KEY (order_id, sku)
);

-- Every status an order took, and what payments reported about it: the audit trail.
CREATE TABLE order_history (
  order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  entry text NOT NULL,
  detail jsonb NOT NULL DEFAULT '{}'
);

CREATE INDEX order_history_order ON order_history (order_id, at);

CREATE TABLE outbox (
  id uuid PRIMARY KEY,
  type text NOT NULL,
  subject text NOT NULL,
  data jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);

CREATE INDEX outbox_unpublished ON outbox (created_at) WHERE published_at IS NULL;

CREATE TABLE inbox (
  consumer text NOT NULL,
  event_id uuid NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);
