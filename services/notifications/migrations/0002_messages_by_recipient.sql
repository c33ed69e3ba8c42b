-- The mail log of one recipient (what a customer was sent), newest first.
CREATE INDEX messages_by_recipient ON messages (to_address, created_at DESC, id DESC);
