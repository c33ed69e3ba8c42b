import type { CloudEvent } from './cloud-event.js';
import type { Transport } from './event-tracing.js';
import type { Subscription } from './inbox.js';

/** An event a consumer gave up on, kept until an operator replays it. */
export type DeadLetter = {
  consumer: string;
  event: CloudEvent;
  error: string;
  attempts: number;
  /** ISO 8601 */
  failedAt: string;
};

/** The same guarantees over either transport: NATS JetStream, or the PostgreSQL log. */
export type EventBus = {
  readonly transport: Transport;
  /** Stores each event id once: publishing the same events again changes nothing. */
  publish(events: readonly CloudEvent[]): Promise<void>;
  /** Delivers the subscribed types until the returned function is called. */
  subscribe(subscription: Subscription): Promise<() => Promise<void>>;
  deadLetters(consumer?: string): Promise<DeadLetter[]>;
  /** Events of these types the consumer has not read yet. */
  lag(consumer: string, types: readonly string[]): Promise<number>;
  /** Hands dead letters back to their consumer (all of its letters, or those ids); returns how many. */
  replay(consumer: string, eventIds?: readonly string[]): Promise<number>;
  close(): Promise<void>;
};
