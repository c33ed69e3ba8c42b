import { createHmac, randomBytes } from 'node:crypto';

/**
 * Signatures as the Standard Webhooks specification (standardwebhooks.com) gives them, so that a
 * receiver can check them with its libraries or by hand (docs/webhooks.md): HMAC-SHA256, keyed
 * with the secret's bytes, over `<webhook-id>.<webhook-timestamp>.<body>`, sent as `v1,<base64>`;
 * during a rotation, one signature per valid secret, separated by spaces.
 */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export function signatureHeaders(
  delivery: { eventId: string; body: string; secrets: readonly string[] },
  now: Date,
): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const signed = `${delivery.eventId}.${timestamp}.${delivery.body}`;
  return {
    'webhook-id': delivery.eventId,
    'webhook-timestamp': timestamp,
    'webhook-signature': delivery.secrets
      .map(
        (secret) =>
          `v1,${createHmac('sha256', Buffer.from(secret.replace(/^whsec_/, ''), 'base64'))
            .update(signed)
            .digest('base64')}`,
      )
      .join(' '),
  };
}
