import { type CartOwner, cartIdOf } from '@bazaar/contracts/cart-id';
import { CartClaim, CartId, CheckoutCart, Sku } from '@bazaar/contracts/internal-api';
import { Cart, ShippingChoice } from '@bazaar/contracts/shop-api';
import type { ServiceApp } from '@bazaar/service-kit/app';
import { bearerToken, requireRole, type TokenVerifier } from '@bazaar/service-kit/auth';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { type CartStore, maxQuantity } from '../domain/cart.js';
import { CartError } from '../domain/errors.js';
import { guestTokenPattern, newGuestToken } from '../domain/guest-token.js';
import type { Quotes } from '../domain/ports.js';
import {
  addToCart,
  applyPromotion,
  type CartContext,
  changeSettings,
  emptyCart,
  removePromotion,
  type ShownCart,
  shippingChoices,
  shownCart,
} from '../domain/priced-cart.js';

const cookieName = 'cart_token';
const Quantity = Type.Integer({ minimum: 1, maximum: maxQuantity });
// Null first in each union: the validator would coerce a null to '' for a string tried first.
const Clearable = (schema: ReturnType<typeof Type.String>) =>
  Type.Optional(Type.Union([Type.Null(), schema]));
const PromotionCode = Type.String({ minLength: 1, maxLength: 40 });

type Deps = {
  store: CartStore;
  quotes: Quotes;
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

  const context = (owner: CartOwner): CartContext => ({
    store: deps.store,
    quotes: deps.quotes,
    cart: cartIdOf(owner),
    ...(owner.kind === 'user' && { customer: owner.userId }),
  });
  const answer = (owner: CartOwner, cart: ShownCart) =>
    owner.kind === 'guest' ? { ...cart, cartToken: owner.token } : cart;
  const respond = async (owner: CartOwner | undefined) =>
    owner ? answer(owner, await shownCart(context(owner))) : emptyCart(deps.quotes);

  app.get(
    '/api/cart',
    {
      schema: {
        summary:
          "The shopper's cart, priced now in its region: lines, shipping, discount, tax, total",
        tags: ['cart'],
        response: { 200: Cart },
      },
    },
    async (request, reply) => respond(await ownerOf(request, reply, { create: false })),
  );

  app.patch(
    '/api/cart',
    {
      schema: {
        summary:
          'Choose where the cart is priced and shipped: region, country (and US state), shipping option; null is the default',
        tags: ['cart'],
        body: Type.Object(
          {
            region: Clearable(Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 32 })),
            country: Clearable(Type.String({ pattern: '^[A-Z]{2}$' })),
            state: Clearable(Type.String({ pattern: '^[A-Z0-9]{1,3}$' })),
            shippingOptionId: Clearable(Type.String({ minLength: 1, maxLength: 64 })),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: Cart },
      },
    },
    async (request, reply) => {
      const owner = await ownerOf(request, reply, { create: true });
      if (!owner) throw new Error('a cart owner is always made for a write');
      return answer(owner, await changeSettings(context(owner), request.body));
    },
  );

  app.get(
    '/api/cart/shipping-options',
    {
      schema: {
        summary: 'The shipping options that serve where the cart goes, each priced for its goods',
        tags: ['cart'],
        response: { 200: Type.Object({ items: Type.Array(ShippingChoice) }) },
      },
    },
    async (request, reply) => {
      const owner = await ownerOf(request, reply, { create: false });
      return { items: owner ? await shippingChoices(context(owner)) : [] };
    },
  );

  app.post(
    '/api/cart/promotions',
    {
      schema: {
        summary: 'Apply a promotion code; one that does not apply is a 422 saying why',
        tags: ['cart'],
        body: Type.Object({ code: PromotionCode }, { additionalProperties: false }),
        response: { 200: Cart },
      },
    },
    async (request, reply) => {
      const owner = await ownerOf(request, reply, { create: false });
      if (!owner) {
        throw new CartError('cart_empty', 'Add something to the cart before applying a code', {
          errors: [{ field: 'code', in: 'body', message: 'needs a cart with something in it' }],
        });
      }
      return answer(owner, await applyPromotion(context(owner), request.body.code));
    },
  );

  app.delete(
    '/api/cart/promotions/:code',
    {
      schema: {
        summary: 'Take a code off the cart (taking off one it does not hold is no error)',
        tags: ['cart'],
        params: Type.Object({ code: PromotionCode }),
        response: { 200: Cart },
      },
    },
    async (request, reply) => {
      const owner = await ownerOf(request, reply, { create: false });
      if (!owner) return respond(owner);
      return answer(owner, await removePromotion(context(owner), request.params.code));
    },
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
      return answer(owner, await addToCart(context(owner), request.body));
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
      if (!owner || !(await deps.store.set(cartIdOf(owner), line))) {
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
      if (owner) await deps.store.remove(cartIdOf(owner), [request.params.sku]);
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
      await deps.store.merge(cartIdOf({ kind: 'guest', token }), cartIdOf(user));
      reply.clearCookie(cookieName, { path: '/api/cart' });
      return respond(user);
    },
  );

  const internal = requireRole(deps.verifyService, 'service');
  // The previous release's orders names a user's cart by the bare user id: taken as `user:<id>`
  // while a rollout runs both (decision 0027); the next release drops it.
  const CartParams = Type.Object({
    cartId: Type.Union([CartId, Type.String({ format: 'uuid' })]),
  });
  const cartIdParam = (cartId: string) => (cartId.includes(':') ? cartId : `user:${cartId}`);

  app.get(
    '/internal/carts/:cartId',
    {
      onRequest: internal,
      schema: {
        summary:
          "A cart's lines, unpriced (orders prices them itself), with the region and code chosen",
        tags: ['internal'],
        params: CartParams,
        response: { 200: CheckoutCart },
      },
    },
    async (request) => {
      const cartId = cartIdParam(request.params.cartId);
      const { lines, settings, checkoutsInProgress } = await deps.store.readForCheckout(cartId);
      return {
        cartId,
        lines,
        checkoutsInProgress,
        region: settings.region ?? null,
        promotionCode: settings.promotionCode ?? null,
      };
    },
  );

  app.post(
    '/internal/carts/:cartId/checkouts',
    {
      onRequest: internal,
      schema: {
        summary:
          'An order takes these lines out of the cart, all or none; 409 cart_in_checkout when another checkout took them first',
        tags: ['internal'],
        params: CartParams,
        body: CartClaim,
        response: { 200: Type.Object({ orderId: Type.String() }) },
      },
    },
    async (request) => {
      const { orderId, lines } = request.body;
      const outcome = await deps.store.claim(cartIdParam(request.params.cartId), orderId, lines);
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
    '/internal/carts/:cartId/checkouts/:orderId/return',
    {
      onRequest: internal,
      schema: {
        summary: 'The order was not placed: the lines its checkout took go back into the cart',
        tags: ['internal'],
        params: Type.Object({ ...CartParams.properties, orderId: Type.String({ format: 'uuid' }) }),
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await deps.store.giveBack(cartIdParam(request.params.cartId), request.params.orderId);
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
