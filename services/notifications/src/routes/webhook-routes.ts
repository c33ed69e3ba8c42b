import type { EventEmitter } from 'node:events';
import {
  WebhookDelivery,
  WebhookSubscription,
  webhookEventTypes,
} from '@bazaar/contracts/shop-api';
import type { Pool } from '@bazaar/db/pool';
import type { ServiceApp } from '@bazaar/service-kit/app';
import { requireRole, type TokenVerifier } from '@bazaar/service-kit/auth';
import { DomainError } from '@bazaar/service-kit/errors';
import { decodeCursor, keyShapes, pageLimit, toPage } from '@bazaar/service-kit/keyset-cursor';
import { Type } from 'typebox';
import { NotificationsError } from '../domain/errors.js';
import { newWebhookSecret } from '../domain/webhook-signature.js';
import { checkedAddresses, RefusedTarget } from '../domain/webhook-targets.js';
import {
  deleteSubscription,
  insertSubscription,
  replayDelivery,
  replaySince,
  rotateSecret,
  selectDeliveries,
  selectSubscription,
  selectSubscriptions,
  updateSubscription,
} from '../store/webhook-store.js';

const Url = Type.String({ minLength: 8, maxLength: 2000, description: 'an https:// URL' });
const EventTypes = Type.Array(Type.Enum(webhookEventTypes), {
  minItems: 1,
  maxItems: webhookEventTypes.length,
  uniqueItems: true,
});
const Description = Type.String({ maxLength: 500 });
const Params = Type.Object({ id: Type.String({ format: 'uuid' }) });
const WithSecret = Type.Intersect([
  WebhookSubscription,
  Type.Object({
    secret: Type.String({ description: 'shown once: keep it where the receiver is' }),
  }),
]);

export function webhookRoutes(
  app: ServiceApp,
  deps: {
    db: Pool;
    verify: TokenVerifier;
    allowInternal: boolean;
    /** Told `queued` when a replay queued deliveries: the sender looks at once. */
    queued: EventEmitter;
  },
): void {
  const adminOnly = requireRole(deps.verify, 'admin');
  const existing = async (id: string) => {
    const subscription = await selectSubscription(deps.db, id);
    if (!subscription) throw new DomainError('not_found', `There is no webhook subscription ${id}`);
    return subscription;
  };
  /** Refuses a URL a webhook may not call: not https, with credentials, or internal once resolved. */
  const checkUrl = async (text: string) => {
    const refuse = (message: string) => {
      throw new NotificationsError('invalid_webhook', `url ${message}`, {
        errors: [{ field: 'url', in: 'body', message }],
      });
    };
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return refuse('is not a URL');
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && deps.allowInternal)) {
      refuse('is not an https:// URL');
    }
    if (url.username || url.password) refuse('carries credentials: put them in the receiver');
    await checkedAddresses(url.hostname, deps.allowInternal).catch((error: unknown) =>
      refuse(error instanceof RefusedTarget ? error.message : String(error)),
    );
    return url.toString();
  };

  app.post(
    '/api/admin/webhooks',
    {
      onRequest: adminOnly,
      schema: {
        summary: 'Subscribe a URL to event types; the answer carries the signing secret, once',
        tags: ['admin'],
        body: Type.Object(
          { url: Url, eventTypes: EventTypes, description: Type.Optional(Description) },
          { additionalProperties: false },
        ),
        response: { 201: WithSecret },
      },
    },
    async (request, reply) => {
      const secret = newWebhookSecret();
      const subscription = await insertSubscription(deps.db, {
        url: await checkUrl(request.body.url),
        eventTypes: request.body.eventTypes,
        description: request.body.description ?? '',
        secret,
      });
      return reply.code(201).send({ ...subscription, secret });
    },
  );

  app.get(
    '/api/admin/webhooks',
    {
      onRequest: adminOnly,
      schema: {
        summary: 'Every webhook subscription',
        tags: ['admin'],
        response: { 200: Type.Object({ items: Type.Array(WebhookSubscription) }) },
      },
    },
    async () => ({ items: await selectSubscriptions(deps.db) }),
  );

  app.get(
    '/api/admin/webhooks/:id',
    {
      onRequest: adminOnly,
      schema: {
        summary: 'A webhook subscription',
        tags: ['admin'],
        params: Params,
        response: { 200: WebhookSubscription },
      },
    },
    async (request) => existing(request.params.id),
  );

  app.patch(
    '/api/admin/webhooks/:id',
    {
      onRequest: adminOnly,
      schema: {
        summary:
          'Change a subscription; enabled: true starts a disabled one again from where it stopped',
        tags: ['admin'],
        params: Params,
        body: Type.Object(
          {
            url: Type.Optional(Url),
            eventTypes: Type.Optional(EventTypes),
            description: Type.Optional(Description),
            enabled: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: WebhookSubscription },
      },
    },
    async (request) => {
      const { url, ...rest } = request.body;
      await existing(request.params.id);
      return (await updateSubscription(deps.db, request.params.id, {
        ...rest,
        ...(url !== undefined && { url: await checkUrl(url) }),
      })) as WebhookSubscription;
    },
  );

  app.delete(
    '/api/admin/webhooks/:id',
    {
      onRequest: adminOnly,
      schema: {
        summary: 'Remove a subscription with its delivery log',
        tags: ['admin'],
        params: Params,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      if (!(await deleteSubscription(deps.db, request.params.id))) {
        await existing(request.params.id);
      }
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/admin/webhooks/:id/rotate-secret',
    {
      onRequest: adminOnly,
      schema: {
        summary:
          'A new signing secret; the old one signs too for overlapSeconds (a day unless told), so the receiver can switch',
        tags: ['admin'],
        params: Params,
        body: Type.Optional(
          Type.Object(
            { overlapSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 604_800 })) },
            { additionalProperties: false },
          ),
        ),
        response: { 200: WithSecret },
      },
    },
    async (request) => {
      await existing(request.params.id);
      const secret = newWebhookSecret();
      const subscription = await rotateSecret(
        deps.db,
        request.params.id,
        secret,
        request.body?.overlapSeconds ?? 86_400,
      );
      return { ...(subscription as WebhookSubscription), secret };
    },
  );

  app.get(
    '/api/admin/webhooks/:id/deliveries',
    {
      onRequest: adminOnly,
      schema: {
        summary: 'The delivery log, newest first: every attempt of every delivery, successes too',
        tags: ['admin'],
        params: Params,
        querystring: Type.Object(
          {
            status: Type.Optional(Type.Enum(['pending', 'delivered', 'failed'])),
            limit: pageLimit(20),
            cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(WebhookDelivery),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
        },
      },
    },
    async (request) => {
      await existing(request.params.id);
      const { status, limit, cursor } = request.query;
      const after =
        cursor === undefined ? undefined : decodeCursor(cursor, { keyShape: keyShapes.timestamp });
      return toPage(
        await selectDeliveries(deps.db, request.params.id, {
          limit: limit + 1,
          ...(status && { status }),
          ...(after && { after }),
        }),
        limit,
      );
    },
  );

  app.post(
    '/api/admin/webhooks/:id/replay',
    {
      onRequest: adminOnly,
      schema: {
        summary:
          'Send again every kept event of its types since a time (deliveries in event order per key)',
        tags: ['admin'],
        params: Params,
        body: Type.Object(
          { since: Type.String({ format: 'date-time' }) },
          { additionalProperties: false },
        ),
        response: { 202: Type.Object({ deliveries: Type.Integer() }) },
      },
    },
    async (request, reply) => {
      await existing(request.params.id);
      const deliveries = await replaySince(deps.db, request.params.id, request.body.since);
      deps.queued.emit('queued');
      return reply.code(202).send({ deliveries });
    },
  );

  app.post(
    '/api/admin/webhooks/:id/deliveries/:deliveryId/replay',
    {
      onRequest: adminOnly,
      schema: {
        summary: "Send a delivery's event again, as a new delivery with the same webhook-id",
        tags: ['admin'],
        params: Type.Object({
          id: Type.String({ format: 'uuid' }),
          deliveryId: Type.String({ format: 'uuid' }),
        }),
        response: { 202: Type.Object({ deliveryId: Type.String({ format: 'uuid' }) }) },
      },
    },
    async (request, reply) => {
      const deliveryId = await replayDelivery(
        deps.db,
        request.params.id,
        request.params.deliveryId,
      );
      if (!deliveryId) {
        throw new DomainError('not_found', `There is no delivery ${request.params.deliveryId}`);
      }
      deps.queued.emit('queued');
      return reply.code(202).send({ deliveryId });
    },
  );
}
