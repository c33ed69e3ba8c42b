-- The lines each checkout took out of a cart, so that one cart's contents are bought once: an
-- order claims them (they leave the cart), then buys them (order.confirmed.v1) or gives them back
-- (the order failed). Kept apart from carts, which expire, as the record of what each order took.
CREATE TABLE cart_checkouts (
  order_id uuid PRIMARY KEY,
  owner text NOT NULL,
  lines jsonb NOT NULL,
  state text NOT NULL CHECK (state IN ('claimed', 'bought', 'returned')),
  claimed_at timestamptz NOT NULL DEFAULT now(),
  settled_at timestamptz
);

CREATE INDEX cart_checkouts_in_progress ON cart_checkouts (owner) WHERE state = 'claimed';
CREATE INDEX cart_checkouts_settled ON cart_checkouts (settled_at) WHERE state <> 'claimed';

-- A confirmed order no longer subtracts its lines from the cart: they left it at checkout.
DROP TABLE cart_applied_events;
