-- One payment per order: authorizing again with the same order id finds this row. Card numbers are
-- never stored; the last four digits are all a receipt needs.
CREATE TABLE payments (
  id uuid PRIMARY KEY,
  order_id uuid NOT NULL UNIQUE,
  provider text NOT NULL,
  provider_ref text NOT NULL,
  status text NOT NULL CHECK (status IN ('authorized', 'declined', 'captured', 'voided', 'refunded')),
  amount integer NOT NULL CHECK (amount > 0),
  currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  card_brand text NOT NULL,
  card_last4 char(4) NOT NULL CHECK (card_last4 ~ '^[0-9]{4}$'),
  decline_code text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Webhook deliveries already applied: a replayed delivery is refused.
CREATE TABLE webhook_events (
  provider text NOT NULL,
  event_id text NOT NULL,
  type text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (provider, event_id)
);

CREATE TABLE outbox (
  id uuid PRIMARY KEY,
  type text NOT NULL,
  subject text NOT NULL,
  data jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);

CREATE INDEX outbox_unpublished ON outbox (created_at) WHERE published_at IS NULL;
