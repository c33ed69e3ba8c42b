import type { FastifyReply, FastifyRequest } from 'fastify';
import { createRemoteJWKSet, errors, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { DomainError } from './errors.js';

export type Role = 'customer' | 'admin' | 'service';
export const roles: readonly Role[] = ['customer', 'admin', 'service'];

/** Who made a request, as proven by a verified access token. */
export type Principal = {
  subject: string;
  role: Role;
  tokenId: string;
  /** The person's address, from the token's `email` claim; service tokens have none. */
  email?: string;
};

declare module 'fastify' {
  interface FastifyRequest {
    /** Set from a verified bearer token by `requireRole` (and the gateway); null when anonymous. */
    principal: Principal | null;
  }
}

export type TokenVerifier = (token: string) => Promise<Principal>;

/** Keys from identity's JWKS, cached, and fetched again when a token names an unknown `kid`. */
export function remoteKeys(jwksUrl: string): JWTVerifyGetKey {
  return createRemoteJWKSet(new URL(jwksUrl), {
    cacheMaxAge: 10 * 60_000,
    cooldownDuration: 10_000,
    timeoutDuration: 3000,
  });
}

/**
 * Verifies an EdDSA-signed access token: signature, `exp`, issuer and audience. `alg: none`,
 * HMAC tokens signed with the public key and any other algorithm are refused before any key is used.
 */
export function createTokenVerifier(options: {
  keys: JWTVerifyGetKey;
  issuer: string;
  audience: string;
}): TokenVerifier {
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, options.keys, {
        algorithms: ['EdDSA'],
        issuer: options.issuer,
        audience: options.audience,
        requiredClaims: ['sub', 'exp', 'jti'],
        clockTolerance: 5,
      }));
    } catch (error) {
      throw unauthorized(
        error instanceof errors.JWTExpired ? 'token has expired' : 'token is not valid',
      );
    }
    const role = payload.role;
    if (typeof role !== 'string' || !roles.includes(role as Role)) {
      throw unauthorized('token is not valid');
    }
    return {
      subject: String(payload.sub),
      role: role as Role,
      tokenId: String(payload.jti),
      ...(typeof payload.email === 'string' ? { email: payload.email } : {}),
    };
  };
}

/** The two verifiers a service needs: shoppers' and admins' access tokens, and service tokens. */
export function identityVerifiers(config: {
  IDENTITY_URL: string;
  TOKEN_ISSUER: string;
  TOKEN_AUDIENCE: string;
  SERVICE_TOKEN_AUDIENCE: string;
}): { verify: TokenVerifier; verifyService: TokenVerifier } {
  const keys = remoteKeys(`${config.IDENTITY_URL}/.well-known/jwks.json`);
  const issuer = config.TOKEN_ISSUER;
  return {
    verify: createTokenVerifier({ keys, issuer, audience: config.TOKEN_AUDIENCE }),
    verifyService: createTokenVerifier({ keys, issuer, audience: config.SERVICE_TOKEN_AUDIENCE }),
  };
}

/**
 * A preHandler that requires a valid bearer token and one of `allowed` roles:
 * 401 without a valid token, 403 with the wrong role.
 */
export function requireRole(verify: TokenVerifier, ...allowed: Role[]) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    request.principal = await verify(bearerToken(request));
    if (!allowed.includes(request.principal.role)) {
      throw new DomainError('forbidden', 'This needs another role');
    }
  };
}

/** The bearer token of the request; a 401 when there is none. */
export function bearerToken(request: FastifyRequest): string {
  const header = request.headers.authorization;
  const match = header === undefined ? null : /^Bearer ([\w.~+/-]+=*)$/i.exec(header);
  if (!match?.[1]) throw unauthorized('a bearer token is required');
  return match[1];
}

function unauthorized(detail: string): DomainError {
  return new DomainError('unauthorized', `Unauthorized: ${detail}`);
}
