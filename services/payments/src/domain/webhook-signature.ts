import { createHmac, timingSafeEqual } from 'node:crypto';
import type { DomainError } from '@bazaar/service-kit/errors';
import { PaymentsError } from './errors.js';

/**
 * The signature a provider sends in `Bazaar-Signature: t=<unix seconds>,v1=<hex>`: an HMAC-SHA256
 * of `<t>.<raw body>` with the shared secret. Signing the time with the body means an old delivery
 * cannot be sent again once it is older than the tolerance.
 */
export function signWebhook(body: string, secret: string, timestamp: number): string {
  return `t=${timestamp},v1=${hmac(secret, timestamp, body)}`;
}

export function verifyWebhookSignature(
  header: string | undefined,
  body: string,
  options: { secret: string; toleranceSeconds: number; now?: number },
): void {
  const parts = new Map(
    (header ?? '').split(',').map((part) => part.trim().split('=', 2) as [string, string]),
  );
  const timestamp = Number(parts.get('t'));
  const signature = parts.get('v1') ?? '';
  if (!Number.isInteger(timestamp) || !/^[0-9a-f]{64}$/.test(signature)) {
    throw badSignature('the Bazaar-Signature header is missing or malformed');
  }
  const expected = Buffer.from(hmac(options.secret, timestamp, body), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) {
    throw badSignature('the signature does not match the body');
  }
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > options.toleranceSeconds) {
    throw badSignature('the signature is too old (or from the future)');
  }
}

function hmac(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

function badSignature(message: string): DomainError {
  return new PaymentsError('invalid_signature', message);
}
