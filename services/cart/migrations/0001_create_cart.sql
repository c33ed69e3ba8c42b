-- Carts when there is no Redis. The owner is `user:<id>` or `guest:<token hash>`.
CREATE TABLE carts (
  owner text PRIMARY KEY,
  expires_at timestamptz NOT NULL
);

CREATE INDEX carts_expiry ON carts (expires_at);

CREATE TABLE cart_lines (
  owner text NOT NULL REFERENCES carts (owner) ON DELETE CASCADE,
  sku text NOT NULL,
  quantity integer NOT NULL CHECK (quantity BETWEEN 1 AND 99),
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (owner, sku)
);

-- Orders already taken out of a cart: a redelivered order.confirmed.v1 takes nothing more.
CREATE TABLE cart_applied_events (
  owner text NOT NULL REFERENCES carts (owner) ON DELETE CASCADE,
  event_id uuid NOT NULL,
  PRIMARY KEY (owner, event_id)
);

-- Events this service has applied (order.confirmed.v1 empties the cart), whichever store holds carts.
CREATE TABLE inbox (
  consumer text NOT NULL,
  event_id uuid NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);
