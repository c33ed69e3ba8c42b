import { randomBytes } from 'node:crypto';

/** 32 random bytes: a guest's cart token cannot be guessed. */
export function newGuestToken(): string {
  return randomBytes(32).toString('base64url');
}

export const guestTokenPattern = '^[A-Za-z0-9_-]{43}$';
