-- An account opens once its owner confirms the address: registering never tells a stranger which
-- addresses have accounts, and nothing the registrant wrote is mailed to an address unconfirmed.
ALTER TABLE users ADD COLUMN email_verified_at timestamptz;
-- Accounts made before confirmation existed stay open.
UPDATE users SET email_verified_at = created_at;

CREATE TABLE email_verifications (
  -- sha256 of the token mailed to the address: the token itself is never stored.
  token_hash bytea PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);

CREATE INDEX email_verifications_user ON email_verifications (user_id);
