import { createHash } from 'node:crypto';

/** Whose cart: a signed-in user's, or a guest's, known by the opaque token the guest holds. */
export type CartOwner = { kind: 'user'; userId: string } | { kind: 'guest'; token: string };

/**
 * How services name a cart among themselves: a user's by the user id, a guest's by a hash of the
 * guest's token, so that the name, kept in another service's tables or events, opens no cart.
 */
export function cartIdOf(owner: CartOwner): string {
  return owner.kind === 'user'
    ? `user:${owner.userId}`
    : `guest:${createHash('sha256').update(owner.token).digest('base64url')}`;
}
