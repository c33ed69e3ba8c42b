-- Orders given up on without a payment (orders' sweeper settled them as failed): an authorization
-- for one of them that arrives late (a request held up by a partition, retransmitted after it)
-- is refused rather than holding money for an order that no longer buys anything.
CREATE TABLE closed_orders (
  order_id uuid PRIMARY KEY,
  closed_at timestamptz NOT NULL DEFAULT now()
);
