-- Where to write to a user: learnt from identity.user.registered.v1 and order.confirmed.v1, since
-- order.shipped.v1 and order.cancelled.v1 name only the user.
CREATE TABLE recipients (
  user_id uuid PRIMARY KEY,
  email text NOT NULL,
  name text,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Every message, from the moment an event asks for it: the mail log, and the queue of the sender.
CREATE TABLE messages (
  id uuid PRIMARY KEY,
  event_id uuid NOT NULL,
  kind text NOT NULL,
  to_address text,
  subject text NOT NULL,
  text_body text NOT NULL,
  html_body text NOT NULL,
  -- queued: to send; sent; recorded: kept only (no SMTP_URL); undeliverable: no address known.
  status text NOT NULL CHECK (status IN ('queued', 'sent', 'recorded', 'undeliverable')),
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  UNIQUE (event_id, kind)
);

CREATE INDEX messages_due ON messages (next_attempt_at) WHERE status = 'queued';
CREATE INDEX messages_newest ON messages (created_at DESC, id DESC);

CREATE TABLE inbox (
  consumer text NOT NULL,
  event_id uuid NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);
