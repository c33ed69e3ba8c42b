import { CartClaim, CheckoutCart, Sku } from '@bazaar/contracts/internal-api';
import { Cart } from '@bazaar/contracts/shop-api';
import type { ServiceApp } from '@bazaar/service-kit/app';
import { bearerToken, requireRole, type TokenVerifier } from '@bazaar/service-kit/auth';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { type CartOwner, type CartStore, maxQuantity } from '../domain/cart.js';
import { CartError } from '../domain/errors.js';
import { guestTokenPattern, newGuestToken } from '../domain/guest-token.js';
import type { CatalogPrices } from '../domain/ports.js';
import { addToCart, pricedCart } from '../domain/priced-cart.js';

const cookieName = 'cart_token';
const Quantity = Type.Integer({ minimum: 1, maximum: maxQuantity });

type Deps = {
  store: CartStore;
  catalogPrices: CatalogPrices;
  verify: TokenVerifier;
  verifyService: TokenVerifier;
  ttlSeconds: number;
};

export function cartRoutes(app: ServiceApp, deps: Deps): void {
  /** The signed-in user's cart, else the guest's; a write without either starts a guest cart. */
  const ownerOf = async (
    request: FastifyRequest,
    reply: FastifyReply,
    options: { create: boolean },
  ): Promise<CartOwner | undefined> => {
    if (request.headers.authorization) {
      const principal = await deps.verify(bearerToken(request));
      request.principal = principal;
      return { kind: 'user', userId: principal.subject };
    }
    const token = guestTokenOf(request);
    if (token) return { kind: 'guest', token };
    if (!options.create) return undefined;
    const issued = newGuestToken();
    reply.setCookie(cookieName, issued, {
      httpOnly: true,
      sameSite: 'lax',
      path: '/api/cart',
      maxAge: deps.ttlSeconds,
      secure: request.protocol === 'https',
    });
    return { kind: 'guest', token: issued };
  };

  const respond = async (owner: CartOwner | undefined) => {
    if (!owner) return { items: [], itemCount: 0, subtotal: null, removed: [] };
    const cart = await pricedCart(deps.store, deps.catalogPrices, owner);
    return owner.kind === 'guest' ? { ...cart, cartToken: owner.token } : cart;
  };

  app.get(
    '/api/cart',
    {
      schema: {
        summary: "The shopper's cart, priced now",
        tags: ['cart'],
        response: { 200: Cart },
      },
    },
    async (request, reply) => respond(await ownerOf(request, reply, { create: false })),
  );

  app.post(
    '/api/cart/items',
    {
      schema: {
        summary: 'Add a quantity of a SKU (a line holds 1-99)',
        tags: ['cart'],
        body: Type.Object({ sku: Sku, quantity: Quantity }, { additionalProperties: false }),
        response: { 200: Cart },
      },
    },
    async (request, reply) => {
      const owner = await ownerOf(request, reply, { create: true });
      if (!owner) throw new Error('a cart owner is always made for a write');
      const cart = await addToCart(deps.store, deps.catalogPrices, owner, request.body);
      return owner.kind === 'guest' ? { ...cart, cartToken: owner.token } : cart;
    },
  );

  app.patch(
    '/api/cart/items/:sku',
    {
      schema: {
        summary: "Set a line's quantity",
        tags: ['cart'],
        params: Type.Object({ sku: Sku }),
        body: Type.Object({ quantity: Quantity }, { additionalProperties: false }),
        response: { 200: Cart },
      },
    },
    async (request, reply) => {
      const owner = await ownerOf(request, reply, { create: false });
      const line = { sku: request.params.sku, quantity: request.body.quantity };
      if (!owner || !(await deps.store.set(owner, line))) {
        throw new CartError('not_found', `The cart holds no ${request.params.sku}`);
      }
      return respond(owner);
    },
  );

  app.delete(
    '/api/cart/items/:sku',
    {
      schema: {
        summary: 'Remove a line (removing one that is not there is no error)',
        tags: ['cart'],
        params: Type.Object({ sku: Sku }),
        response: { 200: Cart },
      },
    },
    async (request, reply) => {
      const owner = await ownerOf(request, reply, { create: false });
      if (owner) await deps.store.remove(owner, [request.params.sku]);
      return respond(owner);
    },
  );

  app.post(
    '/api/cart/merge',
    {
      onRequest: requireRole(deps.verify, 'customer', 'admin'),
      schema: {
        summary: "Move a guest's cart into the signed-in user's (quantities added, at most 99)",
        tags: ['cart'],
        body: Type.Optional(
          Type.Object(
            { cartToken: Type.String({ pattern: guestTokenPattern }) },
            { additionalProperties: false },
          ),
        ),
        response: { 200: Cart },
      },
    },
    async (request, reply) => {
      const token = request.body?.cartToken ?? guestTokenOf(request);
      if (!token) {
        throw new CartError('invalid_request', 'There is no guest cart to merge', {
          errors: [{ field: 'cartToken', in: 'body', message: 'or X-Cart-Token is required' }],
        });
      }
      const user: CartOwner = { kind: 'user', userId: request.principal?.subject ?? '' };
      await deps.store.merge({ kind: 'guest', token }, user);
      reply.clearCookie(cookieName, { path: '/api/cart' });
      return respond(user);
    },
  );

  const internal = requireRole(deps.verifyService, 'service');
  const UserParams = Type.Object({ userId: Type.String({ minLength: 1, maxLength: 100 }) });
  const user = (userId: string): CartOwner => ({ kind: 'user', userId });

  app.get(
    '/internal/carts/:userId',
    {
      onRequest: internal,
      schema: {
        summary: "A user's cart lines, unpriced (orders prices them itself)",
        tags: ['internal'],
        params: UserParams,
        response: { 200: CheckoutCart },
      },
    },
    async (request) => {
      const owner = user(request.params.userId);
      const [lines, checkoutsInProgress] = await Promise.all([
        deps.store.lines(owner),
        deps.store.checkoutsInProgress(owner),
      ]);
      return { userId: request.params.userId, lines, checkoutsInProgress };
    },
  );

  app.post(
    '/internal/carts/:userId/checkouts',
    {
      onRequest: internal,
      schema: {
        summary:
          "An order takes these lines out of the user's cart, all or none; 409 cart_in_checkout when another checkout took them first",
        tags: ['internal'],
        params: UserParams,
        body: CartClaim,
        response: { 200: Type.Object({ orderId: Type.String() }) },
      },
    },
    async (request) => {
      const { orderId, lines } = request.body;
      const outcome = await deps.store.claim(user(request.params.userId), orderId, lines);
      if (!outcome.claimed) {
        throw new CartError(
          'cart_in_checkout',
          'The cart no longer holds these lines: another checkout took them',
          { heldBy: outcome.heldBy },
        );
      }
      return { orderId };
    },
  );

  app.post(
    '/internal/carts/:userId/checkouts/:orderId/return',
    {
      onRequest: internal,
      schema: {
        summary: 'The order was not placed: the lines its checkout took go back into the cart',
        tags: ['internal'],
        params: Type.Object({ ...UserParams.properties, orderId: Type.String({ format: 'uuid' }) }),
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await deps.store.giveBack(user(request.params.userId), request.params.orderId);
      return reply.code(204).send(null);
    },
  );
}

/** The guest token from `X-Cart-Token` or the cookie; a malformed one is a 400 naming it. */
function guestTokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers['x-cart-token'];
  const token = (Array.isArray(header) ? header[0] : header) ?? request.cookies[cookieName];
  if (token === undefined) return undefined;
  if (!new RegExp(guestTokenPattern).test(token)) {
    throw new CartError('invalid_request', 'The cart token is malformed', {
      errors: [{ field: 'x-cart-token', in: 'header', message: 'is not a cart token' }],
    });
  }
  return token;
}
