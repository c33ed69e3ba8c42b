import { setTimeout as sleep } from 'node:timers/promises';
import type { EventData, EventType } from '@bazaar/contracts/events';
import { type Pool, type PoolClient, withTransaction } from '@bazaar/db/pool';
import { isUnavailable } from '@bazaar/db/unavailable';
import { type CloudEvent, contractViolation } from './cloud-event.js';
import { inProcessSpan, type Transport } from './event-tracing.js';

/** Applies one event inside the consumer's transaction, which also records it in the inbox. */
export type EventHandler = (trx: PoolClient, event: CloudEvent) => Promise<void>;

/**
 * A service's handlers, by the event types it consumes: each is given its type's data as the
 * contract (`@bazaar/contracts/events`) describes it, which every event is checked against before
 * any handler runs (`rejection`).
 */
export type EventHandlers = {
  readonly [T in EventType]?: (trx: PoolClient, event: CloudEvent<EventData<T>>) => Promise<void>;
};

/** The handler of an event's type, given the event as checked against that type's contract. */
function handlerOf(subscription: Subscription, type: string): EventHandler | undefined {
  return (subscription.handlers as Readonly<Record<string, EventHandler>>)[type];
}

/** What a service subscribes with, whichever transport carries the events. */
export type Subscription = {
  /** The consumer's name: one position (PostgreSQL) or durable consumer (NATS) per service. */
  consumer: string;
  /** The consuming service's database, with its `inbox (consumer, event_id)` table. */
  db: Pool;
  handlers: EventHandlers;
  /** Attempts before an event becomes a dead letter (default 5). */
  maxAttempts?: number;
  /** Wait before the second attempt; doubled before each further one (default 500 ms). */
  retryDelayMs?: number;
  onError: (error: unknown, event: CloudEvent | undefined) => void;
  /** Runs after an event's effect committed, e.g. to drop cached reads it made stale. */
  afterApplied?: (event: CloudEvent) => Promise<void>;
  /** Told of each event set aside as a dead letter (for a metric an alert watches). */
  onDeadLetter?: (event: CloudEvent) => void;
  /** Told of each event delivered again that the inbox shows was applied already. */
  onRedelivered?: (event: CloudEvent) => void;
};

export const defaultMaxAttempts = 5;
export const defaultRetryDelayMs = 500;

/** The wait before attempt `attempt + 1`. */
export function retryDelay(subscription: Subscription, attempt: number): number {
  return (subscription.retryDelayMs ?? defaultRetryDelayMs) * 2 ** (attempt - 1);
}

/** Why an event cannot be handled at all (no retry would help), or undefined. */
export function rejection(subscription: Subscription, event: CloudEvent): string | undefined {
  if (!handlerOf(subscription, event.type)) return `no handler for ${event.type}`;
  return contractViolation(event.type, event.data);
}

/**
 * Applies the event unless the inbox shows it was applied already; the inbox row and the effect
 * commit together, so a redelivered event changes nothing.
 */
export function applyOnce(
  subscription: Subscription,
  event: CloudEvent,
  transport: Transport,
): Promise<void> {
  return applyAllOnce(subscription, [event], transport);
}

/**
 * `applyOnce` for several events in one transaction, in their order: one inbox statement for all,
 * then the effect of each the inbox had not seen. Should one fail, none is applied (the caller
 * applies them one by one, to find which).
 */
export async function applyAllOnce(
  subscription: Subscription,
  events: readonly CloudEvent[],
  transport: Transport,
): Promise<void> {
  const handled = events.map((event) => {
    const handler = handlerOf(subscription, event.type);
    if (!handler) throw new Error(`no handler for ${event.type}`);
    return { event, handler };
  });
  const consumer = { name: subscription.consumer, transport };
  const applied = await withTransaction(subscription.db, async (trx) => {
    const { rows } = await trx.query<{ event_id: string }>(
      `INSERT INTO inbox (consumer, event_id) SELECT $1, unnest($2::uuid[])
       ON CONFLICT DO NOTHING RETURNING event_id`,
      [subscription.consumer, events.map((event) => event.id)],
    );
    const fresh = new Set(rows.map((row) => row.event_id));
    const applied: CloudEvent[] = [];
    for (const { event, handler } of handled) {
      if (!fresh.has(event.id)) continue;
      await inProcessSpan(event, consumer, () => handler(trx, event));
      applied.push(event);
    }
    return applied;
  });
  for (const event of events) {
    if (!applied.includes(event)) subscription.onRedelivered?.(event);
  }
  for (const event of applied) {
    // The effect is committed: a failure here must not make the event be applied again.
    await subscription.afterApplied?.(event).catch((error: unknown) => {
      subscription.onError(error, event);
    });
  }
}

/**
 * `applyOnce`, waiting out the consumer's database being out of reach (restarting, failing over,
 * cut off by a partition): that is no fault of the event's and counts as no attempt, or an outage
 * longer than the attempts' backoff would make dead letters of good events. Gives up (throws) only
 * once the consumer is stopping; `onWait` is told before each wait (NATS: the message's ack
 * deadline is pushed back).
 */
export async function applyOnceThroughOutages(
  subscription: Subscription,
  event: CloudEvent,
  transport: Transport,
  options: { running: () => boolean; onWait?: () => void },
): Promise<void> {
  for (let wait = 1; ; wait += 1) {
    try {
      return await applyOnce(subscription, event, transport);
    } catch (error) {
      if (!isUnavailable(error) || !options.running()) throw error;
      subscription.onError(error, event);
      options.onWait?.();
      await sleep(Math.min(retryDelay(subscription, wait), 5000));
    }
  }
}
