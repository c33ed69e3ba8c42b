-- The event tables every service database keeps alike, defined here for all of them: a change to
-- them is one migration in this directory. The services' own first migrations made them before
-- this set existed (applied migrations are never edited), hence IF NOT EXISTS.

-- Events written in the same transaction as the change they announce; a relay publishes them.
CREATE TABLE IF NOT EXISTS outbox (
  id uuid PRIMARY KEY,
  type text NOT NULL,
  subject text NOT NULL,
  data jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz,
  -- The W3C trace context of the change an event announces, so the event continues its trace.
  traceparent text
);

CREATE INDEX IF NOT EXISTS outbox_unpublished ON outbox (created_at) WHERE published_at IS NULL;

-- Events this service has applied, so that a redelivered event changes nothing.
CREATE TABLE IF NOT EXISTS inbox (
  consumer text NOT NULL,
  event_id uuid NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);
