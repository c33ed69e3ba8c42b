import { webhookEventTypes } from '@bazaar/contracts/shop-api';
import type { PoolClient } from '@bazaar/db/pool';
import type { CloudEvent } from '@bazaar/events/cloud-event';
import type { EventHandlers } from '@bazaar/events/inbox';
import {
  cancelled,
  confirmEmail,
  lowStock,
  type Rendered,
  receipt,
  returnReceived,
  returnRejected,
  returnRequested,
  shipped,
  signUpRepeated,
  welcome,
} from '../domain/templates.js';
import { insertMessage, selectRecipientEmail, upsertRecipient } from '../store/message-store.js';
import { queueEvent } from '../store/webhook-store.js';

export type NotifyOptions = { shopUrl: string; alertEmail: string | undefined; sending: boolean };

/**
 * Each event becomes a message in the log, in the consumer's transaction: `queued` for the sender,
 * `recorded` when there is no SMTP server, `undeliverable` when no address is known. The sender
 * takes it from there, so an SMTP failure never loses the event.
 */
export function eventHandlers(options: NotifyOptions): EventHandlers {
  return withWebhooks(mailHandlers(options));
}

/**
 * Each event a webhook may take is also kept and queued to the subscriptions of its type, in the
 * same transaction as its mail: delivered at least once, ordered by its subject (an order's id).
 */
function withWebhooks(mail: EventHandlers): EventHandlers {
  const handlers: Record<string, (trx: PoolClient, event: CloudEvent) => Promise<void>> = {
    ...(mail as Record<string, (trx: PoolClient, event: CloudEvent) => Promise<void>>),
  };
  for (const type of webhookEventTypes) {
    const first = handlers[type];
    handlers[type] = async (trx, event) => {
      await first?.(trx, event);
      const { specversion, id, source, subject, time, datacontenttype, data } = event;
      await queueEvent(trx, {
        id,
        type,
        orderingKey: subject,
        occurredAt: time,
        body: JSON.stringify({
          specversion,
          id,
          source,
          type,
          subject,
          time,
          datacontenttype,
          data,
        }),
      });
    };
  }
  return handlers as EventHandlers;
}

function mailHandlers(options: NotifyOptions): EventHandlers {
  const record = async (
    trx: PoolClient,
    eventId: string,
    kind: string,
    to: string | undefined,
    rendered: Rendered,
  ) => {
    // Alerts without ALERT_EMAIL are kept by choice; a customer without an address is a problem.
    const status = !to
      ? kind === 'low_stock'
        ? 'recorded'
        : 'undeliverable'
      : options.sending
        ? 'queued'
        : 'recorded';
    await insertMessage(trx, { eventId, kind, to, status, ...rendered });
  };
  /** A mail to the address an event carries, drawn by `render`. */
  const toShopper =
    <Data extends { email: string }>(
      kind: string,
      render: (data: Data, shopUrl: string) => Rendered,
    ) =>
    async (trx: PoolClient, event: CloudEvent<Data>) => {
      await record(trx, event.id, kind, event.data.email, render(event.data, options.shopUrl));
    };
  return {
    'identity.email.verification_requested.v1': async (trx, event) => {
      const { data } = event;
      await record(
        trx,
        event.id,
        'email_confirmation',
        data.email,
        confirmEmail(data, options.shopUrl),
      );
    },
    'identity.sign_up.repeated.v1': async (trx, event) => {
      const { data } = event;
      await record(trx, event.id, 'sign_up_repeated', data.email, signUpRepeated(options.shopUrl));
    },
    'identity.user.registered.v1': async (trx, event) => {
      const { data } = event;
      await upsertRecipient(trx, data);
      await record(trx, event.id, 'welcome', data.email, welcome(data, options.shopUrl));
    },
    'order.confirmed.v1': async (trx, event) => {
      const { data } = event;
      if (data.email && data.userId) {
        await upsertRecipient(trx, { userId: data.userId, email: data.email });
      }
      await record(
        trx,
        event.id,
        'receipt',
        data.email || undefined,
        receipt(data, options.shopUrl),
      );
    },
    'order.shipped.v1': async (trx, event) => {
      const { data } = event;
      const to = await recipientOf(trx, data);
      await record(trx, event.id, 'shipped', to, shipped(data, options.shopUrl));
    },
    'order.cancelled.v1': async (trx, event) => {
      const { data } = event;
      const to = await recipientOf(trx, data);
      await record(trx, event.id, 'cancelled', to, cancelled(data, options.shopUrl));
    },
    'return.requested.v1': toShopper('return_requested', returnRequested),
    'return.rejected.v1': toShopper('return_rejected', returnRejected),
    'return.received.v1': toShopper('refund', returnReceived),
    'inventory.stock.low.v1': async (trx, event) => {
      const { data } = event;
      await record(trx, event.id, 'low_stock', options.alertEmail, lowStock(data));
    },
  };
}

/** Where an order's mail goes: the address it carries (a guest's), else its customer's. */
async function recipientOf(
  trx: PoolClient,
  data: { userId: string | null; email?: string | undefined },
): Promise<string | undefined> {
  if (data.email) return data.email;
  return data.userId ? selectRecipientEmail(trx, data.userId) : undefined;
}
