-- Returns and partial cancellations (docs/decisions/0030-returns-and-refunds.md). An order keeps
-- the return window of the region it was sold in, and when it shipped (orders shipped before this
-- have it from their history; those sold before regions had windows get 30 days).
ALTER TABLE orders
  ADD COLUMN return_days integer NOT NULL DEFAULT 30 CHECK (return_days >= 0),
  ADD COLUMN shipped_at timestamptz;

UPDATE orders o SET shipped_at = (SELECT min(h.at) FROM order_history h
                                   WHERE h.order_id = o.id AND h.entry = 'shipped')
 WHERE o.carrier IS NOT NULL;

-- Units coming back: a `return` asked for by the shopper, or a `cancellation` of units not yet
-- shipped. The refund is decided on receipt, from the units received before it, so that every
-- return's share adds up to what was charged (domain/refunds.ts); `refunded` is what payments
-- gave back.
CREATE TABLE returns (
  id uuid PRIMARY KEY,
  order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('return', 'cancellation')),
  status text NOT NULL CHECK (status IN ('requested', 'approved', 'rejected', 'received', 'refunded')),
  reason text NOT NULL,
  note text,
  -- [{sku, quantity, damaged}]
  lines jsonb NOT NULL,
  refund integer CHECK (refund >= 0),
  refund_tax integer CHECK (refund_tax >= 0),
  refund_shipping integer CHECK (refund_shipping >= 0),
  refunded integer CHECK (refunded >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX returns_of_order ON returns (order_id, created_at);
CREATE INDEX returns_by_status ON returns (status, created_at DESC);
-- The sweeper finishes the refunds a crash left between receipt and payment.
CREATE INDEX returns_received ON returns (updated_at) WHERE status = 'received';
