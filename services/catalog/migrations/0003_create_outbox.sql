-- Events written in the same transaction as the change they announce; a relay publishes them.
CREATE TABLE outbox (
  id uuid PRIMARY KEY,
  type text NOT NULL,
  subject text NOT NULL,
  data jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);

CREATE INDEX outbox_unpublished ON outbox (created_at) WHERE published_at IS NULL;
