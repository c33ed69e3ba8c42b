import { MailMessage } from '@bazaar/contracts/shop-api';
import type { Pool } from '@bazaar/db/pool';
import type { ServiceApp } from '@bazaar/service-kit/app';
import { requireRole, type TokenVerifier } from '@bazaar/service-kit/auth';
import { decodeCursor, keyShapes, pageLimit, toPage } from '@bazaar/service-kit/keyset-cursor';
import { Type } from 'typebox';
import { selectMessages } from '../store/message-store.js';

export function notificationRoutes(app: ServiceApp, deps: { db: Pool; verify: TokenVerifier }) {
  app.get(
    '/api/admin/notifications',
    {
      onRequest: requireRole(deps.verify, 'admin'),
      schema: {
        summary: 'The mail log, newest first: every message, sent or not, and why',
        tags: ['admin'],
        querystring: Type.Object(
          {
            to: Type.Optional(
              Type.String({ minLength: 3, maxLength: 254, description: 'one recipient only' }),
            ),
            limit: pageLimit(20),
            cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(MailMessage),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
        },
      },
    },
    async (request) => {
      const { to, limit, cursor } = request.query;
      const after =
        cursor === undefined ? undefined : decodeCursor(cursor, { keyShape: keyShapes.timestamp });
      return toPage(await selectMessages(deps.db, { to, after, limit: limit + 1 }), limit);
    },
  );
}
