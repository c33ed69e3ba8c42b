-- The PostgreSQL event log used when there is no NATS: one machine, same guarantees.
CREATE TABLE events (
  position bigserial PRIMARY KEY,
  -- Publishing the same event twice (a relay that crashed after publishing) stores it once.
  id uuid NOT NULL UNIQUE,
  type text NOT NULL,
  source text NOT NULL,
  subject text NOT NULL,
  time timestamptz NOT NULL,
  data jsonb NOT NULL,
  appended_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX events_type ON events (type, position);

-- How far each consumer has read; one row per consumer, whichever replica holds it.
CREATE TABLE consumer_positions (
  consumer text PRIMARY KEY,
  position bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Events a consumer gave up on after its attempts, or whose data broke the contract.
CREATE TABLE dead_letters (
  consumer text NOT NULL,
  event_id uuid NOT NULL,
  event jsonb NOT NULL,
  error text NOT NULL,
  attempts integer NOT NULL,
  failed_at timestamptz NOT NULL DEFAULT now(),
  -- Set by the replay command; the consumer takes the letter again and deletes it once applied.
  replay_requested_at timestamptz,
  PRIMARY KEY (consumer, event_id)
);
