-- A confirmed or shipped order whose money went back without a cancel here (a refund made at the
-- payment provider, reported by webhook) is refunded: its status follows the money.
ALTER TABLE orders DROP CONSTRAINT orders_status_check;
ALTER TABLE orders ADD CONSTRAINT orders_status_check CHECK (status IN
  ('pending', 'confirmed', 'rejected', 'payment_failed', 'shipped', 'cancelled', 'refunded'));
