import { Session } from '@bazaar/contracts/shop-api';
import type { ServiceApp } from '@bazaar/service-kit/app';
import { Counter } from 'prom-client';
import { Type } from 'typebox';
import { login } from '../domain/login.js';
import { logout, refreshSession } from '../domain/refresh-session.js';
import { register, verifyEmail } from '../domain/register.js';
import type { IdentityDeps, Session as SessionData } from '../domain/sessions.js';
import { normalizeEmail } from '../domain/user.js';
import { Email, IgnoredRole, Name } from './schemas.js';

const RefreshBody = Type.Object(
  { refreshToken: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);

const toResponse = (session: SessionData) => ({ ...session, tokenType: 'Bearer' as const });

export function authRoutes(app: ServiceApp, deps: IdentityDeps): void {
  app.post(
    '/api/auth/register',
    {
      schema: {
        summary:
          'Ask for a customer account: the address gets a link to confirm it. The answer is the same whether or not it has an account already',
        tags: ['auth'],
        body: Type.Object(
          {
            email: Email,
            password: Type.String({ maxLength: 1024 }),
            name: Name,
            role: IgnoredRole,
          },
          { additionalProperties: false },
        ),
        response: {
          202: Type.Object({
            status: Type.Literal('confirmation_sent'),
            email: Type.String({ description: 'where the link went (trimmed, lower-cased)' }),
          }),
        },
      },
    },
    async (request, reply) => {
      await register(deps, request.body);
      return reply
        .code(202)
        .send({ status: 'confirmation_sent' as const, email: normalizeEmail(request.body.email) });
    },
  );

  app.post(
    '/api/auth/verify-email',
    {
      schema: {
        summary:
          'Confirm the address with the token from the mailed link: the account opens and is signed in',
        tags: ['auth'],
        body: Type.Object(
          { token: Type.String({ minLength: 1, maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: { 200: Session },
      },
    },
    async (request) => toResponse(await verifyEmail(deps, request.body.token)),
  );

  const signInFailures = new Counter({
    name: 'bazaar_sign_in_failures_total',
    help: 'Failed sign-ins, by the kind of account tried (admin, customer, unknown) and outcome (wrong_password, throttled).',
    labelNames: ['account', 'outcome'],
    registers: [app.metrics],
  });

  app.post(
    '/api/auth/login',
    {
      schema: {
        summary: 'Sign in with email and password',
        tags: ['auth'],
        body: Type.Object(
          { email: Email, password: Type.String({ maxLength: 1024 }) },
          { additionalProperties: false },
        ),
        response: { 200: Session },
      },
    },
    async (request) =>
      toResponse(
        await login(deps, { ...request.body, clientAddress: request.ip }, (failure) =>
          signInFailures.inc(failure),
        ),
      ),
  );

  app.post(
    '/api/auth/refresh',
    {
      schema: {
        summary: 'Trade a refresh token for a new access and refresh token',
        tags: ['auth'],
        body: RefreshBody,
        response: { 200: Session },
      },
    },
    async (request) => toResponse(await refreshSession(deps, request.body.refreshToken)),
  );

  app.post(
    '/api/auth/logout',
    {
      schema: {
        summary: 'Sign out every session of the sign-in this refresh token belongs to',
        tags: ['auth'],
        body: RefreshBody,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await logout(deps, request.body.refreshToken);
      return reply.code(204).send(null);
    },
  );
}
