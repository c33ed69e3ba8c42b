import type { Pool } from '@bazaar/db/pool';
import type { ServiceApp } from '@bazaar/service-kit/app';
import { Type } from 'typebox';
import { IdentityError } from '../domain/errors.js';
import { isServiceClient, type ServiceClients } from '../domain/service-clients.js';
import type { TokenSigner } from '../domain/signing-keys.js';
import { selectRevokedSessions } from '../store/refresh-token-store.js';
import { selectPublishedKeys } from '../store/signing-key-store.js';

const serviceTokenTtlSeconds = 300;

export function keyRoutes(
  app: ServiceApp,
  deps: {
    db: Pool;
    signer: TokenSigner;
    clients: ServiceClients;
    accessTokenTtlSeconds: number;
    serviceAudience: string;
  },
): void {
  app.get(
    '/.well-known/jwks.json',
    {
      schema: {
        summary: 'Public keys that verify tokens, including retired keys whose tokens still live',
        tags: ['auth'],
        response: {
          200: Type.Object({ keys: Type.Array(Type.Record(Type.String(), Type.Unknown())) }),
        },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      // A key retired now still verifies tokens signed a moment ago, for one access-token lifetime.
      return { keys: await selectPublishedKeys(deps.db, deps.accessTokenTtlSeconds + 60) };
    },
  );

  app.get(
    '/internal/revoked-sessions',
    {
      schema: {
        summary:
          'Sign-ins ended (logout, a refresh token used twice) whose access tokens may still live: every verifier refuses them',
        tags: ['internal'],
        querystring: Type.Object(
          { since: Type.Optional(Type.String({ format: 'date-time' })) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            sessions: Type.Array(
              Type.Object({ sessionId: Type.String(), expiresAt: Type.String() }),
            ),
            asOf: Type.String(),
          }),
        },
      },
    },
    async (request) =>
      selectRevokedSessions(
        deps.db,
        request.query.since === undefined ? undefined : new Date(request.query.since),
      ),
  );

  app.post(
    '/internal/service-tokens',
    {
      schema: {
        summary: 'A short-lived token for service-to-service calls, by client credentials',
        tags: ['internal'],
        body: Type.Object(
          {
            clientId: Type.String({ minLength: 1, maxLength: 64 }),
            clientSecret: Type.String({ minLength: 1, maxLength: 256 }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            accessToken: Type.String(),
            tokenType: Type.Literal('Bearer'),
            expiresIn: Type.Integer(),
          }),
        },
      },
    },
    async (request) => {
      const { clientId, clientSecret } = request.body;
      if (!isServiceClient(deps.clients, clientId, clientSecret)) {
        throw new IdentityError('invalid_client', 'Unknown client or wrong secret');
      }
      const accessToken = await deps.signer.sign(
        {
          subject: `service:${clientId}`,
          role: 'service',
          audience: deps.serviceAudience,
          ttlSeconds: serviceTokenTtlSeconds,
        },
        deps.db,
      );
      return { accessToken, tokenType: 'Bearer' as const, expiresIn: serviceTokenTtlSeconds };
    },
  );
}
