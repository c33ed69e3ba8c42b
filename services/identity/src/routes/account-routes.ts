import { User } from '@bazaar/contracts/shop-api';
import type { Pool } from '@bazaar/db/pool';
import type { ServiceApp } from '@bazaar/service-kit/app';
import { requireRole, type TokenVerifier } from '@bazaar/service-kit/auth';
import { decodeCursor, keyShapes, pageLimit, toPage } from '@bazaar/service-kit/keyset-cursor';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { IdentityError } from '../domain/errors.js';
import { findUser, selectUsers, updateUserName } from '../store/user-store.js';
import { IgnoredRole, Name } from './schemas.js';

function signedInUserId(request: FastifyRequest): string {
  const principal = request.principal;
  if (!principal)
    throw new IdentityError('unauthorized', 'Unauthorized: a bearer token is required');
  return principal.subject;
}

const accountGone = () => new IdentityError('not_found', 'This account no longer exists');

export function accountRoutes(app: ServiceApp, deps: { db: Pool; verify: TokenVerifier }): void {
  const signedIn = requireRole(deps.verify, 'customer', 'admin');

  app.get(
    '/api/me',
    {
      onRequest: signedIn,
      schema: { summary: 'The signed-in account', tags: ['account'], response: { 200: User } },
    },
    async (request) => {
      const user = await findUser(deps.db, signedInUserId(request));
      if (!user) throw accountGone();
      return user;
    },
  );

  app.patch(
    '/api/me',
    {
      onRequest: signedIn,
      schema: {
        summary: 'Change the signed-in account’s name',
        tags: ['account'],
        body: Type.Object({ name: Name, role: IgnoredRole }, { additionalProperties: false }),
        response: { 200: User },
      },
    },
    async (request) => {
      const user = await updateUserName(deps.db, signedInUserId(request), request.body.name.trim());
      if (!user) throw accountGone();
      return user;
    },
  );

  app.get(
    '/api/admin/users',
    {
      onRequest: requireRole(deps.verify, 'admin'),
      schema: {
        summary: 'Every account, newest first',
        tags: ['admin'],
        querystring: Type.Object(
          {
            limit: pageLimit(50),
            cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(User),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
        },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const after =
        cursor === undefined ? undefined : decodeCursor(cursor, { keyShape: keyShapes.timestamp });
      return toPage(await selectUsers(deps.db, { after, limit: limit + 1 }), limit);
    },
  );
}
