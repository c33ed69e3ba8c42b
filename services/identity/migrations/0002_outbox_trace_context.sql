-- The W3C trace context of the change an event announces, so the event continues its trace.
ALTER TABLE outbox ADD COLUMN traceparent text;
