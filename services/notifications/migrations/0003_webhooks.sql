-- Outbound webhooks: systems an admin subscribes to the shop's events (docs/webhooks.md).
CREATE TABLE webhook_subscriptions (
  id uuid PRIMARY KEY,
  url text NOT NULL,
  event_types text[] NOT NULL,
  description text NOT NULL DEFAULT '',
  -- The signing secret; after a rotation the previous one signs too until it expires.
  secret text NOT NULL,
  previous_secret text,
  previous_secret_expires_at timestamptz,
  enabled boolean NOT NULL DEFAULT true,
  disabled_reason text,
  -- The last attempt failed: one delivery at a time probes the receiver, no sooner than
  -- next_probe_at (backed off by consecutive_failures), until one succeeds.
  failing boolean NOT NULL DEFAULT false,
  consecutive_failures integer NOT NULL DEFAULT 0,
  next_probe_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Every event a subscription could take, as delivered, kept for replays until the retention ends.
CREATE TABLE webhook_events (
  id uuid PRIMARY KEY,
  type text NOT NULL,
  -- Deliveries of one subscription with the same key (an order's id) go out in event order.
  ordering_key text NOT NULL,
  occurred_at timestamptz NOT NULL,
  body text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_events_since ON webhook_events (occurred_at);

CREATE TABLE webhook_deliveries (
  id uuid PRIMARY KEY,
  subscription_id uuid NOT NULL REFERENCES webhook_subscriptions ON DELETE CASCADE,
  event_id uuid NOT NULL REFERENCES webhook_events ON DELETE CASCADE,
  ordering_key text NOT NULL,
  occurred_at timestamptz NOT NULL,
  -- pending: to send; delivered; failed: given up.
  status text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  -- In flight until then: a process that dies with it leaves it to be tried again after.
  leased_until timestamptz,
  first_attempted_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  -- Arrival order, for events of the same key and time.
  seq bigserial NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_queue ON webhook_deliveries (subscription_id, ordering_key, occurred_at, seq)
  WHERE status = 'pending';
CREATE INDEX webhook_deliveries_newest ON webhook_deliveries (subscription_id, created_at DESC, id DESC);
CREATE INDEX webhook_deliveries_finished ON webhook_deliveries (finished_at) WHERE status <> 'pending';

-- Every attempt, successes too: the delivery log an admin reads.
CREATE TABLE webhook_attempts (
  id bigserial PRIMARY KEY,
  delivery_id uuid NOT NULL REFERENCES webhook_deliveries ON DELETE CASCADE,
  attempted_at timestamptz NOT NULL DEFAULT now(),
  status_code integer,
  duration_ms integer NOT NULL,
  error text,
  response_snippet text
);
CREATE INDEX webhook_attempts_of ON webhook_attempts (delivery_id, attempted_at);
