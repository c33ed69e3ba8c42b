import type { EventData, EventType } from '@bazaar/contracts/events';
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
import { selectRecipientEmail } from '../store/message-store.js';
import { type Notice, recordNotice } from '../store/notice-store.js';
import type { WebhookEvent } from '../store/webhook-store.js';

export type NotifyOptions = { shopUrl: string; alertEmail: string | undefined; sending: boolean };

/** What an event of each type leaves in the log, besides the event kept for webhooks. */
type Notices = {
  readonly [T in EventType]?: (trx: PoolClient, event: CloudEvent<EventData<T>>) => Promise<Notice>;
};

/**
 * Each event becomes a message in the log, in the consumer's transaction: `queued` for the sender,
 * `recorded` when there is no SMTP server, `undeliverable` when no address is known. The sender
 * takes it from there, so an SMTP failure never loses the event. Each event a webhook may take is
 * also kept and queued to the subscriptions of its type: delivered at least once, ordered by its
 * subject (an order's id). The message, the event and the address an event teaches are written
 * in one statement.
 */
export function eventHandlers(options: NotifyOptions): EventHandlers {
  const mail = mailNotices(options) as Record<
    string,
    (trx: PoolClient, event: CloudEvent) => Promise<Notice>
  >;
  const forWebhooks = new Set<string>(webhookEventTypes);
  const handlers: Record<string, (trx: PoolClient, event: CloudEvent) => Promise<void>> = {};
  for (const type of new Set([...Object.keys(mail), ...webhookEventTypes])) {
    handlers[type] = async (trx, event) => {
      const notice = (await mail[type]?.(trx, event)) ?? {};
      await recordNotice(
        trx,
        forWebhooks.has(type) ? { ...notice, webhookEvent: webhookEventOf(event) } : notice,
      );
    };
  }
  return handlers as EventHandlers;
}

/** The event as a webhook delivers it: the CloudEvent, without what only the bus carries. */
function webhookEventOf(event: CloudEvent): WebhookEvent {
  const { specversion, id, source, type, subject, time, datacontenttype, data } = event;
  return {
    id,
    type,
    orderingKey: subject,
    occurredAt: time,
    body: JSON.stringify({ specversion, id, source, type, subject, time, datacontenttype, data }),
  };
}

function mailNotices(options: NotifyOptions): Notices {
  const mail = (
    eventId: string,
    kind: string,
    to: string | undefined,
    rendered: Rendered,
  ): Notice => {
    // Alerts without ALERT_EMAIL are kept by choice; a customer without an address is a problem.
    const status = !to
      ? kind === 'low_stock'
        ? 'recorded'
        : 'undeliverable'
      : options.sending
        ? 'queued'
        : 'recorded';
    return { message: { eventId, kind, to, status, ...rendered } };
  };
  /** A mail to the address an event carries, drawn by `render`. */
  const toShopper =
    <Data extends { email: string }>(
      kind: string,
      render: (data: Data, shopUrl: string) => Rendered,
    ) =>
    async (_trx: PoolClient, event: CloudEvent<Data>) =>
      mail(event.id, kind, event.data.email, render(event.data, options.shopUrl));
  return {
    'identity.email.verification_requested.v1': async (_trx, event) =>
      mail(
        event.id,
        'email_confirmation',
        event.data.email,
        confirmEmail(event.data, options.shopUrl),
      ),
    'identity.sign_up.repeated.v1': async (_trx, event) =>
      mail(event.id, 'sign_up_repeated', event.data.email, signUpRepeated(options.shopUrl)),
    'identity.user.registered.v1': async (_trx, event) => {
      const { data } = event;
      return {
        recipient: data,
        ...mail(event.id, 'welcome', data.email, welcome(data, options.shopUrl)),
      };
    },
    'order.confirmed.v1': async (_trx, event) => {
      const { data } = event;
      return {
        ...(data.email && data.userId && { recipient: { userId: data.userId, email: data.email } }),
        ...mail(event.id, 'receipt', data.email || undefined, receipt(data, options.shopUrl)),
      };
    },
    'order.shipped.v1': async (trx, event) => {
      const { data } = event;
      const to = await recipientOf(trx, data);
      return mail(event.id, 'shipped', to, shipped(data, options.shopUrl));
    },
    'order.cancelled.v1': async (trx, event) => {
      const { data } = event;
      const to = await recipientOf(trx, data);
      return mail(event.id, 'cancelled', to, cancelled(data, options.shopUrl));
    },
    'return.requested.v1': toShopper('return_requested', returnRequested),
    'return.rejected.v1': toShopper('return_rejected', returnRejected),
    'return.received.v1': toShopper('refund', returnReceived),
    'inventory.stock.low.v1': async (_trx, event) =>
      mail(event.id, 'low_stock', options.alertEmail, lowStock(event.data)),
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
