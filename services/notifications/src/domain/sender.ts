import { type Pool, withTransaction } from '@bazaar/db/pool';
import { type Periodic, runEvery } from '@bazaar/service-kit/periodic';
import type { FastifyBaseLogger } from 'fastify';
import { anyDueMessage, lockDueMessages, markFailed, markSent } from '../store/message-store.js';

export type Mailer = (message: {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}) => Promise<void>;

/**
 * Sends queued messages every `intervalMs`, and at once when woken (the events just queued some).
 * A message is locked while it is sent, so replicas never send it twice at once; a failure is kept
 * with the error and tried again later, without end. If the process dies between the SMTP server's
 * acceptance and the mark, the message goes again, with the same Message-ID, which mail clients
 * use to show it once.
 */
export function startSender(
  db: Pool,
  mail: Mailer,
  options: { intervalMs: number; log: FastifyBaseLogger },
): Periodic {
  // Nothing due costs one statement, not a transaction.
  const sendDue = async () =>
    (await anyDueMessage(db)) &&
    withTransaction(db, async (trx) => {
      const due = await lockDueMessages(trx, 20);
      for (const message of due) {
        try {
          await mail({ ...message, to: message.to ?? '' });
          await markSent(trx, message.id);
        } catch (error) {
          options.log.warn({ err: error, messageId: message.id }, 'sending failed; will retry');
          await markFailed(trx, message.id, error instanceof Error ? error.message : String(error));
        }
      }
      return due.length > 0;
    });
  return runEvery(
    options.intervalMs,
    async () => {
      while (await sendDue()) {}
    },
    (error) => options.log.error({ err: error }, 'the sender failed'),
  );
}
