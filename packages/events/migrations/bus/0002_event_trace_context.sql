-- The W3C trace context an event carries (the CloudEvents `traceparent` extension).
ALTER TABLE events ADD COLUMN traceparent text;
