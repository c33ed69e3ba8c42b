import { type Pool, withTransaction } from '@bazaar/db/pool';
import { recordWebhookEvent, selectPayment } from '../store/payment-store.js';
import { PaymentsError } from './errors.js';
import { applyTransition, type PaymentAction } from './manage-payments.js';

export type WebhookEvent = { id: string; type: string; data: { orderId: string } };

/** What the provider reports that changes a payment here: a capture or refund made on its side. */
const actions: Record<string, PaymentAction> = {
  'charge.captured': 'capture',
  'charge.refunded': 'refund',
};

/**
 * Applies a verified webhook delivery once. A delivery seen before is refused, so a captured request
 * sent again changes nothing; types this shop does not act on are acknowledged and ignored.
 */
export async function handleWebhook(
  db: Pool,
  provider: string,
  event: WebhookEvent,
): Promise<{ applied: boolean }> {
  return withTransaction(db, async (trx) => {
    if (!(await recordWebhookEvent(trx, { provider, id: event.id, type: event.type }))) {
      throw new PaymentsError('webhook_replayed', `Event ${event.id} was already received`);
    }
    const action = actions[event.type];
    const payment = action && (await selectPayment(trx, event.data.orderId, { forUpdate: true }));
    if (!action || !payment) return { applied: false };
    await applyTransition(trx, payment, action);
    return { applied: true };
  });
}
