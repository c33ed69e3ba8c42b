import { randomUUID } from 'node:crypto';
import type { Queryable } from '@bazaar/db/pool';
import { SqlParams } from '@bazaar/db/sql-params';
import { type KeysetPosition, keysetTimestamp } from '@bazaar/service-kit/keyset-cursor';
import type { Rendered } from '../domain/templates.js';

export type MessageStatus = 'queued' | 'sent' | 'recorded' | 'undeliverable';

export type Message = {
  id: string;
  eventId: string;
  kind: string;
  to: string | null;
  subject: string;
  text: string;
  html: string;
  status: MessageStatus;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
};

type MessageRow = {
  id: string;
  event_id: string;
  kind: string;
  to_address: string | null;
  subject: string;
  text_body: string;
  html_body: string;
  status: MessageStatus;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
  created_at_key: string;
};

const columns = `id, event_id, kind, to_address, subject, text_body, html_body, status, attempts,
  last_error, created_at, sent_at, ${keysetTimestamp('created_at')} AS created_at_key`;

function toMessage(row: MessageRow): Message {
  return {
    id: row.id,
    eventId: row.event_id,
    kind: row.kind,
    to: row.to_address,
    subject: row.subject,
    text: row.text_body,
    html: row.html_body,
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error,
    createdAt: row.created_at.toISOString(),
    sentAt: row.sent_at?.toISOString() ?? null,
  };
}

/** A message to write: its mail, whom to, and its status in the log. */
export type NewMessage = {
  eventId: string;
  kind: string;
  to: string | undefined;
  status: MessageStatus;
} & Rendered;

/** The part of a statement (a `WITH` query) that writes `message`, once per event and kind. */
export function messagePart(params: SqlParams, message: NewMessage): string {
  return `message AS (
    INSERT INTO messages (id, event_id, kind, to_address, subject, text_body, html_body, status)
    VALUES (${[
      randomUUID(),
      message.eventId,
      message.kind,
      message.to ?? null,
      message.subject,
      message.text,
      message.html,
      message.status,
    ]
      .map((value) => params.add(value))
      .join(', ')})
    ON CONFLICT (event_id, kind) DO NOTHING)`;
}

/** Locks up to `limit` messages due for sending; they stay locked until the transaction ends. */
export async function anyDueMessage(db: Queryable): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT 1 FROM messages WHERE status = 'queued' AND next_attempt_at <= now() LIMIT 1`,
  );
  return rows.length > 0;
}

export async function lockDueMessages(db: Queryable, limit: number): Promise<Message[]> {
  const { rows } = await db.query<MessageRow>(
    `SELECT ${columns} FROM messages WHERE status = 'queued' AND next_attempt_at <= now()
      ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
    [limit],
  );
  return rows.map(toMessage);
}

export async function markSent(db: Queryable, id: string): Promise<void> {
  await db.query(
    `UPDATE messages SET status = 'sent', sent_at = now(), attempts = attempts + 1,
            last_error = NULL WHERE id = $1`,
    [id],
  );
}

/** Tries again later: 2 s after the first failure, doubling, at most every 10 minutes. */
export async function markFailed(db: Queryable, id: string, error: string): Promise<void> {
  await db.query(
    `UPDATE messages SET attempts = attempts + 1, last_error = $2,
            next_attempt_at = now() + make_interval(secs => least(600, 2 * power(2, attempts)))
      WHERE id = $1`,
    [id, error.slice(0, 500)],
  );
}

export async function selectMessages(
  db: Queryable,
  query: { to?: string | undefined; after: KeysetPosition | undefined; limit: number },
): Promise<Array<{ item: Message; position: KeysetPosition }>> {
  const params = new SqlParams();
  const conditions: string[] = [];
  if (query.to !== undefined) conditions.push(`to_address = ${params.add(query.to)}`);
  if (query.after) {
    conditions.push(
      `(created_at, id) < (${params.add(query.after.key)}::timestamptz, ${params.add(query.after.id)}::uuid)`,
    );
  }
  const { rows } = await db.query<MessageRow>(
    `SELECT ${columns} FROM messages
      ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
      ORDER BY created_at DESC, id DESC LIMIT ${params.add(query.limit)}`,
    params.values,
  );
  return rows.map((row) => ({
    item: toMessage(row),
    position: { key: row.created_at_key, id: row.id },
  }));
}

/** A customer's address (and name, when the event has it), kept for later mail. */
export type Recipient = { userId: string; email: string; name?: string | undefined };

/**
 * The part of a statement (a `WITH` query) that keeps a customer's address (and name, when given)
 * for the mail of later events that carry none; a row that would not change is left as it is.
 */
export function recipientPart(params: SqlParams, recipient: Recipient): string {
  return `recipient AS (
    INSERT INTO recipients (user_id, email, name)
    VALUES (${params.add(recipient.userId)}, ${params.add(recipient.email)}, ${params.add(recipient.name ?? null)})
    ON CONFLICT (user_id) DO UPDATE SET email = excluded.email,
      name = coalesce(excluded.name, recipients.name), updated_at = now()
     WHERE (recipients.email, recipients.name)
           IS DISTINCT FROM (excluded.email, coalesce(excluded.name, recipients.name)))`;
}

export async function selectRecipientEmail(
  db: Queryable,
  userId: string,
): Promise<string | undefined> {
  const { rows } = await db.query<{ email: string }>(
    'SELECT email FROM recipients WHERE user_id = $1',
    [userId],
  );
  return rows[0]?.email;
}
