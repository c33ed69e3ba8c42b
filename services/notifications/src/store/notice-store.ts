import type { Queryable } from '@bazaar/db/pool';
import { SqlParams } from '@bazaar/db/sql-params';
import { messagePart, type NewMessage, type Recipient, recipientPart } from './message-store.js';
import { queuedEventParts, type WebhookEvent } from './webhook-store.js';

/**
 * What one event leaves in notifications' log: the address it teaches, its mail, and the event
 * kept and queued for webhooks; each part where the event has one.
 */
export type Notice = {
  recipient?: Recipient;
  message?: NewMessage;
  webhookEvent?: WebhookEvent;
};

/** Writes a notice in one statement, whatever parts it has. */
export async function recordNotice(db: Queryable, notice: Notice): Promise<void> {
  const params = new SqlParams();
  const parts = [
    ...(notice.recipient ? [recipientPart(params, notice.recipient)] : []),
    ...(notice.message ? [messagePart(params, notice.message)] : []),
    ...(notice.webhookEvent ? queuedEventParts(params, notice.webhookEvent) : []),
  ];
  if (parts.length === 0) return;
  // Each part runs to completion though the statement reads none of them.
  await db.query(`WITH ${parts.join(',\n')}\nSELECT`, params.values);
}
