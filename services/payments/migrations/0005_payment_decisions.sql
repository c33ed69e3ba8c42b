-- Whether an order got a payment or was closed without one is decided by the first row written
-- here: an authorization and a close race on this key, each in one statement, instead of holding
-- an advisory lock across a transaction (decision 0033). `closed_orders` stays for the previous
-- release while a rollout runs it beside this one; the next release drops it.
CREATE TABLE payment_decisions (
  order_id uuid PRIMARY KEY,
  closed boolean NOT NULL,
  decided_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO payment_decisions (order_id, closed) SELECT order_id, false FROM payments;
INSERT INTO payment_decisions (order_id, closed)
  SELECT order_id, true FROM closed_orders ON CONFLICT DO NOTHING;
