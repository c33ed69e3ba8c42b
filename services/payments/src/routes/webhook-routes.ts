import type { Pool } from '@bazaar/db/pool';
import type { ServiceApp, TypeBoxTypeProvider } from '@bazaar/service-kit/app';
import { Type } from 'typebox';
import { Value } from 'typebox/value';
import { PaymentsError } from '../domain/errors.js';
import { verifyWebhookSignature } from '../domain/webhook-signature.js';
import { handleWebhook } from '../domain/webhooks.js';

const WebhookEvent = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 200 }),
  type: Type.String({ minLength: 1, maxLength: 100 }),
  data: Type.Object({ orderId: Type.String({ format: 'uuid' }) }),
});

/**
 * The provider's callbacks. The signature covers the raw body, so this route reads the body as
 * text and parses it only after the signature holds.
 */
export function webhookRoutes(
  app: ServiceApp,
  deps: { db: Pool; secret: string; toleranceSeconds: number },
): void {
  app.register(async (plugin) => {
    const scope = plugin.withTypeProvider<TypeBoxTypeProvider>();
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) =>
      done(null, body),
    );
    scope.post(
      '/api/payments/webhooks/:provider',
      {
        schema: {
          summary: "A payment provider's signed notice (Bazaar-Signature: t=…,v1=…)",
          tags: ['payments'],
          params: Type.Object({ provider: Type.String({ pattern: '^[a-z0-9-]{1,32}$' }) }),
          response: { 200: Type.Object({ received: Type.Boolean(), applied: Type.Boolean() }) },
        },
      },
      async (request) => {
        if (request.params.provider !== 'test') {
          throw new PaymentsError(
            'not_found',
            `There is no payment provider ${request.params.provider}`,
          );
        }
        const body = typeof request.body === 'string' ? request.body : '';
        verifyWebhookSignature(request.headers['bazaar-signature']?.toString(), body, {
          secret: deps.secret,
          toleranceSeconds: deps.toleranceSeconds,
        });
        let event: unknown;
        try {
          event = JSON.parse(body);
        } catch {
          event = undefined;
        }
        if (!Value.Check(WebhookEvent, event)) {
          throw new PaymentsError('invalid_request', 'The body is not a webhook event', {
            errors: [{ field: 'body', in: 'body', message: 'must be {id, type, data: {orderId}}' }],
          });
        }
        const { applied } = await handleWebhook(deps.db, request.params.provider, event);
        return { received: true, applied };
      },
    );
  });
}
