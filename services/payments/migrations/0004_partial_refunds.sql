-- Returns and partial cancellations give back part of a payment: each refund is a row, named by
-- the caller's id (asking again finds it), and the payment keeps what went back in all, never more
-- than was captured. A payment refunded before this kept no rows: its whole amount went back.
ALTER TABLE payments
  ADD COLUMN refunded integer NOT NULL DEFAULT 0 CHECK (refunded >= 0 AND refunded <= amount);

UPDATE payments SET refunded = amount WHERE status = 'refunded';

CREATE TABLE refunds (
  id uuid PRIMARY KEY,
  order_id uuid NOT NULL REFERENCES payments (order_id),
  -- What went back: what was asked, or what was left when less was (0 once all had gone back).
  amount integer NOT NULL CHECK (amount >= 0),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX refunds_of_order ON refunds (order_id);
