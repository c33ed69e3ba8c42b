-- Guests buy too. An order's buyer is the cart it was bought from (user:<id>, or guest:<hash of the
-- guest's cart token>), which scopes its Idempotency-Key; a guest's order has no user until the
-- owner of its address opens an account. Every order gets its own link, a token given to the buyer
-- once and kept here only as its hash.
ALTER TABLE orders
  ALTER COLUMN user_id DROP NOT NULL,
  ADD COLUMN cart_id text,
  ADD COLUMN access_token_hash text UNIQUE;

UPDATE orders SET cart_id = 'user:' || user_id;

ALTER TABLE orders
  ALTER COLUMN cart_id SET NOT NULL,
  DROP CONSTRAINT orders_user_id_idempotency_key_key,
  ADD CONSTRAINT orders_cart_id_idempotency_key_key UNIQUE (cart_id, idempotency_key);

-- The orders a guest placed, found when the address's owner opens an account.
CREATE INDEX orders_of_guests ON orders (lower(email)) WHERE user_id IS NULL;
