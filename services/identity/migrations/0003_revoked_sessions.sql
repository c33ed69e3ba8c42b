-- Sign-ins ended (logout, or a refresh token used twice) whose access tokens may still live: every
-- verifier reads this list and refuses their tokens. A row is kept one access-token lifetime.
CREATE TABLE revoked_sessions (
  session_id uuid PRIMARY KEY,
  revoked_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  expires_at timestamptz NOT NULL
);

CREATE INDEX revoked_sessions_by_time ON revoked_sessions (revoked_at);
