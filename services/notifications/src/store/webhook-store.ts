import { randomUUID } from 'node:crypto';
import type { WebhookSubscription } from '@bazaar/contracts/shop-api';
import type { Queryable } from '@bazaar/db/pool';
import type { SqlParams } from '@bazaar/db/sql-params';
import { type KeysetPosition, keysetTimestamp } from '@bazaar/service-kit/keyset-cursor';

type Subscription = WebhookSubscription;

type SubscriptionRow = {
  id: string;
  url: string;
  event_types: string[];
  description: string;
  enabled: boolean;
  disabled_reason: string | null;
  failing: boolean;
  previous_secret_expires_at: Date | null;
  created_at: Date;
};

const subscriptionColumns = `id, url, event_types, description, enabled, disabled_reason, failing,
  previous_secret_expires_at, created_at`;

function toSubscription(row: SubscriptionRow): Subscription {
  return {
    id: row.id,
    url: row.url,
    eventTypes: row.event_types as Subscription['eventTypes'],
    description: row.description,
    enabled: row.enabled,
    disabledReason: row.disabled_reason,
    failing: row.failing,
    previousSecretExpiresAt: row.previous_secret_expires_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
}

export async function insertSubscription(
  db: Queryable,
  subscription: { url: string; eventTypes: string[]; description: string; secret: string },
): Promise<Subscription> {
  const { rows } = await db.query<SubscriptionRow>(
    `INSERT INTO webhook_subscriptions (id, url, event_types, description, secret)
     VALUES ($1, $2, $3, $4, $5) RETURNING ${subscriptionColumns}`,
    [
      randomUUID(),
      subscription.url,
      subscription.eventTypes,
      subscription.description,
      subscription.secret,
    ],
  );
  return toSubscription(rows[0] as SubscriptionRow);
}

export async function selectSubscriptions(db: Queryable): Promise<Subscription[]> {
  const { rows } = await db.query<SubscriptionRow>(
    `SELECT ${subscriptionColumns} FROM webhook_subscriptions ORDER BY created_at, id`,
  );
  return rows.map(toSubscription);
}

export async function selectSubscription(
  db: Queryable,
  id: string,
): Promise<Subscription | undefined> {
  const { rows } = await db.query<SubscriptionRow>(
    `SELECT ${subscriptionColumns} FROM webhook_subscriptions WHERE id = $1`,
    [id],
  );
  return rows[0] && toSubscription(rows[0]);
}

/** Changes what is given; enabling again clears the reason it was disabled and its failing state. */
export async function updateSubscription(
  db: Queryable,
  id: string,
  patch: { url?: string; eventTypes?: string[]; description?: string; enabled?: boolean },
): Promise<Subscription | undefined> {
  const { rows } = await db.query<SubscriptionRow>(
    `UPDATE webhook_subscriptions SET
       url = coalesce($2, url), event_types = coalesce($3, event_types),
       description = coalesce($4, description), enabled = coalesce($5, enabled),
       disabled_reason = CASE WHEN $5 THEN NULL ELSE disabled_reason END,
       failing = CASE WHEN $5 THEN false ELSE failing END,
       consecutive_failures = CASE WHEN $5 THEN 0 ELSE consecutive_failures END,
       next_probe_at = CASE WHEN $5 THEN NULL ELSE next_probe_at END,
       updated_at = now()
     WHERE id = $1 RETURNING ${subscriptionColumns}`,
    [
      id,
      patch.url ?? null,
      patch.eventTypes ?? null,
      patch.description ?? null,
      patch.enabled ?? null,
    ],
  );
  return rows[0] && toSubscription(rows[0]);
}

export async function deleteSubscription(db: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM webhook_subscriptions WHERE id = $1', [id]);
  return rowCount === 1;
}

/** A new secret signs from now on; the current one keeps signing too for `overlapSeconds`. */
export async function rotateSecret(
  db: Queryable,
  id: string,
  secret: string,
  overlapSeconds: number,
): Promise<Subscription | undefined> {
  const { rows } = await db.query<SubscriptionRow>(
    `UPDATE webhook_subscriptions SET
       previous_secret = secret, secret = $2,
       previous_secret_expires_at = now() + $3 * interval '1 second', updated_at = now()
     WHERE id = $1 RETURNING ${subscriptionColumns}`,
    [id, secret, overlapSeconds],
  );
  return rows[0] && toSubscription(rows[0]);
}

/** An event as webhooks deliver it: its CloudEvent body, ordered by its subject. */
export type WebhookEvent = {
  id: string;
  type: string;
  orderingKey: string;
  occurredAt: string;
  body: string;
};

/**
 * The parts of a statement (`WITH` queries) that keep an event for the subscriptions that take its
 * type (and existed when it happened) and queue a delivery to each enabled one, once per event id.
 * An event's time is to the millisecond and a subscription's to the microsecond, so they are
 * compared to the millisecond: an event of the subscription's own millisecond is delivered.
 */
export function queuedEventParts(params: SqlParams, event: WebhookEvent): string[] {
  return [
    `webhook_event AS (
       INSERT INTO webhook_events (id, type, ordering_key, occurred_at, body)
       VALUES (${params.add(event.id)}, ${params.add(event.type)}, ${params.add(event.orderingKey)},
               ${params.add(event.occurredAt)}, ${params.add(event.body)})
       ON CONFLICT (id) DO NOTHING RETURNING *)`,
    `webhook_queued AS (
       INSERT INTO webhook_deliveries (id, subscription_id, event_id, ordering_key, occurred_at, status)
       SELECT gen_random_uuid(), s.id, e.id, e.ordering_key, e.occurred_at, 'pending'
         FROM webhook_event e JOIN webhook_subscriptions s
           ON s.enabled AND e.type = ANY (s.event_types)
          AND date_trunc('milliseconds', s.created_at) <= e.occurred_at)`,
  ];
}

export type DueDelivery = {
  id: string;
  subscriptionId: string;
  eventId: string;
  attempts: number;
  firstAttemptedAt: Date;
  body: string;
  url: string;
  secrets: string[];
  failing: boolean;
};

/**
 * Leases up to `limit` deliveries that are due, each the oldest pending one of its subscription
 * and ordering key (so an order's events go out in order), at most `perSubscription` of one
 * subscription and one of a failing one (no sooner than its probe is due), none of `busy`
 * subscriptions. A lease holds for `leaseMs`; a process that dies with it leaves the delivery to
 * be tried again after.
 */
export async function leaseDueDeliveries(
  db: Queryable,
  options: { limit: number; perSubscription: number; busy: readonly string[]; leaseMs: number },
): Promise<DueDelivery[]> {
  const { rows } = await db.query<{
    id: string;
    subscription_id: string;
    event_id: string;
    attempts: number;
    first_attempted_at: Date;
    body: string;
    url: string;
    secrets: string[];
    failing: boolean;
  }>(
    `WITH heads AS (
       SELECT d.id, d.next_attempt_at, s.failing,
              row_number() OVER (PARTITION BY d.subscription_id ORDER BY d.next_attempt_at, d.seq) AS rank
         FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
        WHERE d.status = 'pending' AND d.next_attempt_at <= now()
          AND (d.leased_until IS NULL OR d.leased_until < now()) AND s.enabled
          AND NOT (s.failing AND s.next_probe_at > now())
          AND NOT (d.subscription_id = ANY ($3::uuid[]))
          AND NOT EXISTS (
            SELECT FROM webhook_deliveries e
             WHERE e.subscription_id = d.subscription_id AND e.ordering_key = d.ordering_key
               AND e.status = 'pending' AND (e.occurred_at, e.seq) < (d.occurred_at, d.seq))),
     chosen AS (
       SELECT id FROM heads WHERE rank <= CASE WHEN failing THEN 1 ELSE $2 END
        ORDER BY next_attempt_at LIMIT $1),
     leased AS (
       UPDATE webhook_deliveries d
          SET leased_until = now() + $4 * interval '1 millisecond', attempts = d.attempts + 1,
              first_attempted_at = coalesce(d.first_attempted_at, now())
         FROM chosen
        WHERE d.id = chosen.id AND d.status = 'pending'
          AND (d.leased_until IS NULL OR d.leased_until < now())
        RETURNING d.*),
     probing AS (
       UPDATE webhook_subscriptions s SET next_probe_at = now() + $4 * interval '1 millisecond'
        WHERE s.failing AND s.id IN (SELECT subscription_id FROM leased))
     SELECT l.id, l.subscription_id, l.event_id, l.attempts, l.first_attempted_at, e.body, s.url,
            s.failing,
            array_remove(ARRAY[s.secret, CASE WHEN s.previous_secret_expires_at > now()
                                              THEN s.previous_secret END], NULL) AS secrets
       FROM leased l JOIN webhook_events e ON e.id = l.event_id
       JOIN webhook_subscriptions s ON s.id = l.subscription_id`,
    [options.limit, options.perSubscription, options.busy, options.leaseMs],
  );
  return rows.map((row) => ({
    id: row.id,
    subscriptionId: row.subscription_id,
    eventId: row.event_id,
    attempts: row.attempts,
    firstAttemptedAt: row.first_attempted_at,
    body: row.body,
    url: row.url,
    secrets: row.secrets,
    failing: row.failing,
  }));
}

export type Attempt = {
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  responseSnippet: string | null;
};

/**
 * Logs an attempt and what follows from it: delivered; or tried again at `retryAt`; or, when
 * `retryAt` is undefined, given up. A success after failures makes the subscription's pending
 * deliveries due at once, so a receiver that comes back catches up without waiting out backoffs.
 */
export async function recordAttempt(
  db: Queryable,
  delivery: { id: string; subscriptionId: string },
  attempt: Attempt,
  outcome:
    | { delivered: true }
    | { delivered: false; retryAt: Date | undefined; backoff: { baseMs: number; capMs: number } },
): Promise<void> {
  await db.query(
    `INSERT INTO webhook_attempts (delivery_id, status_code, duration_ms, error, response_snippet)
     VALUES ($1, $2, $3, $4, $5)`,
    [delivery.id, attempt.statusCode, attempt.durationMs, attempt.error, attempt.responseSnippet],
  );
  if (outcome.delivered) {
    await db.query(
      `UPDATE webhook_deliveries SET status = 'delivered', finished_at = now(), leased_until = NULL
        WHERE id = $1`,
      [delivery.id],
    );
    const { rowCount } = await db.query(
      `UPDATE webhook_subscriptions
          SET failing = false, consecutive_failures = 0, next_probe_at = NULL
        WHERE id = $1 AND failing`,
      [delivery.subscriptionId],
    );
    if (rowCount === 1) {
      await db.query(
        `UPDATE webhook_deliveries SET next_attempt_at = now()
          WHERE subscription_id = $1 AND status = 'pending' AND next_attempt_at > now()`,
        [delivery.subscriptionId],
      );
    }
    return;
  }
  await db.query(
    `UPDATE webhook_deliveries SET
       status = CASE WHEN $2::timestamptz IS NULL THEN 'failed' ELSE status END,
       finished_at = CASE WHEN $2::timestamptz IS NULL THEN now() END,
       next_attempt_at = coalesce($2, next_attempt_at), leased_until = NULL
     WHERE id = $1`,
    [delivery.id, outcome.retryAt ?? null],
  );
  // The receiver is probed again no sooner than the backoff of its consecutive failures.
  await db.query(
    `UPDATE webhook_subscriptions SET failing = true, consecutive_failures = consecutive_failures + 1,
       next_probe_at = now() + least($3::float8, $2::float8 * 2 ^ consecutive_failures)
                                * (0.5 + random() / 2) * interval '1 millisecond'
     WHERE id = $1`,
    [delivery.subscriptionId, outcome.backoff.baseMs, outcome.backoff.capMs],
  );
}

/** Takes a subscription out of delivery after one of its deliveries was given up. */
export async function disableSubscription(
  db: Queryable,
  id: string,
  reason: string,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE webhook_subscriptions SET enabled = false, disabled_reason = $2, updated_at = now()
      WHERE id = $1 AND enabled`,
    [id, reason],
  );
  return rowCount === 1;
}

export type DeliveryLog = {
  id: string;
  eventId: string;
  eventType: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: Array<{
    at: string;
    statusCode: number | null;
    durationMs: number;
    error: string | null;
    responseSnippet: string | null;
  }>;
  createdAt: string;
  nextAttemptAt: string | null;
};

/** A subscription's deliveries, newest first, each with every attempt. */
export async function selectDeliveries(
  db: Queryable,
  subscriptionId: string,
  options: { limit: number; after?: KeysetPosition; status?: string },
): Promise<Array<{ item: DeliveryLog; position: KeysetPosition }>> {
  const { rows } = await db.query<{
    id: string;
    event_id: string;
    type: string;
    status: DeliveryLog['status'];
    created_at: Date;
    created_at_key: string;
    next_attempt_at: Date;
    attempts: Array<{
      at: string;
      status_code: number | null;
      duration_ms: number;
      error: string | null;
      response_snippet: string | null;
    }>;
  }>(
    `SELECT d.id, d.event_id, e.type, d.status, d.created_at, d.next_attempt_at,
            ${keysetTimestamp('d.created_at')} AS created_at_key,
            coalesce((SELECT jsonb_agg(jsonb_build_object('at', a.attempted_at,
                        'status_code', a.status_code, 'duration_ms', a.duration_ms,
                        'error', a.error, 'response_snippet', a.response_snippet)
                        ORDER BY a.attempted_at)
                        FROM webhook_attempts a WHERE a.delivery_id = d.id), '[]') AS attempts
       FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
      WHERE d.subscription_id = $1 AND ($2::text IS NULL OR d.status = $2)
        AND ($3::timestamptz IS NULL OR (d.created_at, d.id) < ($3, $4::uuid))
      ORDER BY d.created_at DESC, d.id DESC LIMIT $5`,
    [
      subscriptionId,
      options.status ?? null,
      options.after?.key ?? null,
      options.after?.id ?? null,
      options.limit,
    ],
  );
  return rows.map((row) => ({
    item: {
      id: row.id,
      eventId: row.event_id,
      eventType: row.type,
      status: row.status,
      createdAt: row.created_at.toISOString(),
      nextAttemptAt: row.status === 'pending' ? row.next_attempt_at.toISOString() : null,
      attempts: row.attempts.map((attempt) => ({
        at: new Date(attempt.at).toISOString(),
        statusCode: attempt.status_code,
        durationMs: attempt.duration_ms,
        error: attempt.error,
        responseSnippet: attempt.response_snippet,
      })),
    },
    position: { key: row.created_at_key, id: row.id },
  }));
}

/** A delivery's event sent again to its subscription, as a new delivery; undefined if none. */
export async function replayDelivery(
  db: Queryable,
  subscriptionId: string,
  deliveryId: string,
): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO webhook_deliveries (id, subscription_id, event_id, ordering_key, occurred_at, status)
     SELECT $3, subscription_id, event_id, ordering_key, occurred_at, 'pending'
       FROM webhook_deliveries WHERE id = $2 AND subscription_id = $1
     RETURNING id`,
    [subscriptionId, deliveryId, randomUUID()],
  );
  return rows[0]?.id;
}

/** Every kept event of the subscription's types since `since`, queued to it again. */
export async function replaySince(
  db: Queryable,
  subscriptionId: string,
  since: string,
): Promise<number> {
  const { rowCount } = await db.query(
    `INSERT INTO webhook_deliveries (id, subscription_id, event_id, ordering_key, occurred_at, status)
     SELECT gen_random_uuid(), s.id, e.id, e.ordering_key, e.occurred_at, 'pending'
       FROM webhook_subscriptions s JOIN webhook_events e
         ON e.type = ANY (s.event_types) AND e.occurred_at >= $2
      WHERE s.id = $1`,
    [subscriptionId, since],
  );
  return rowCount ?? 0;
}

/** Drops finished deliveries (with their attempts) and events older than `days`. */
export async function pruneWebhookLog(db: Queryable, days: number): Promise<void> {
  await db.query(
    `DELETE FROM webhook_deliveries
      WHERE status <> 'pending' AND finished_at < now() - $1 * interval '1 day'`,
    [days],
  );
  await db.query(
    `DELETE FROM webhook_events e WHERE e.received_at < now() - $1 * interval '1 day'
        AND NOT EXISTS (SELECT FROM webhook_deliveries d WHERE d.event_id = e.id)`,
    [days],
  );
}
