import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  createLocalJWKSet,
  errors,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import { DomainError } from './errors.js';
import { httpCall } from './http-client.js';

export type Role = 'customer' | 'admin' | 'service';
export const roles: readonly Role[] = ['customer', 'admin', 'service'];

/** Who made a request, as proven by a verified access token. */
export type Principal = {
  subject: string;
  role: Role;
  tokenId: string;
  /** The person's address, from the token's `email` claim; service tokens have none. */
  email?: string;
  /** The sign-in the token belongs to (`sid`): once it is signed out, the token is refused. */
  sessionId?: string;
};

/**
 * Sign-ins ended since `since` (an `asOf` this source gave before; undefined for all) whose access
 * tokens may still live, and the `asOf` to ask from next time.
 */
export type RevokedSessions = (since: string | undefined) => Promise<{
  sessions: ReadonlyArray<{ sessionId: string; expiresAt: string }>;
  asOf: string;
}>;

/**
 * The revoked sign-ins, read again at most every `syncIntervalMs` while tokens are being checked
 * (an idle service asks nothing). With the source away, the list it has stands: tokens still expire.
 */
function revocationList(source: RevokedSessions, syncIntervalMs: number) {
  const revoked = new Map<string, number>();
  let asOf: string | undefined;
  let syncedAt = Number.NEGATIVE_INFINITY;
  let syncing: Promise<void> | undefined;
  const sync = async () => {
    try {
      const page = await source(asOf);
      for (const session of page.sessions) {
        revoked.set(session.sessionId, Date.parse(session.expiresAt));
      }
      asOf = page.asOf;
    } catch {
      // Asked again after the interval; meanwhile the sessions known revoked stay refused.
    } finally {
      syncedAt = Date.now();
    }
    for (const [sessionId, expiresAtMs] of revoked) {
      if (expiresAtMs < Date.now()) revoked.delete(sessionId);
    }
  };
  return async (sessionId: string): Promise<boolean> => {
    if (Date.now() - syncedAt >= syncIntervalMs) {
      syncing ??= sync().finally(() => {
        syncing = undefined;
      });
      await syncing;
    }
    return revoked.has(sessionId);
  };
}

/** Revoked sign-ins as identity lists them at `/internal/revoked-sessions` (no credentials: ids only). */
export function remoteRevokedSessions(identityUrl: string): RevokedSessions {
  return async (since) => {
    const url = new URL('/internal/revoked-sessions', identityUrl);
    if (since) url.searchParams.set('since', since);
    const response = await httpCall(url.href, { timeoutMs: 2000 });
    if (response.status !== 200) {
      throw new Error(`identity answered ${response.status} for revoked sessions`);
    }
    return JSON.parse(response.text) as Awaited<ReturnType<RevokedSessions>>;
  };
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set from a verified bearer token by `requireRole` (and the gateway); null when anonymous. */
    principal: Principal | null;
  }
}

export type TokenVerifier = (token: string) => Promise<Principal>;

/**
 * Keys from identity's JWKS, kept for 10 minutes, and fetched again when a token names an unknown
 * `kid` (at most every 10 s). jose's own remote key set would do this but builds a global
 * `Headers`, which loads a second HTTP stack into the process (see http-client.ts).
 */
export function remoteKeys(jwksUrl: string): JWTVerifyGetKey {
  let keys: JWTVerifyGetKey | undefined;
  let fetchedAt = Number.NEGATIVE_INFINITY;
  let pending: Promise<JWTVerifyGetKey> | undefined;
  const load = async () => {
    const response = await httpCall(jwksUrl, {
      headers: { accept: 'application/json' },
      timeoutMs: 3000,
    });
    if (response.status !== 200) throw new Error(`identity answered ${response.status} for keys`);
    keys = createLocalJWKSet(JSON.parse(response.text) as JSONWebKeySet);
    fetchedAt = Date.now();
    return keys;
  };
  const reload = () => {
    pending ??= load().finally(() => {
      pending = undefined;
    });
    return pending;
  };
  return async (header, token) => {
    const current = keys && Date.now() - fetchedAt < 10 * 60_000 ? keys : await reload();
    try {
      return await current(header, token);
    } catch (error) {
      const refetch = error instanceof errors.JWKSNoMatchingKey && Date.now() - fetchedAt > 10_000;
      if (!refetch) throw error;
      return (await reload())(header, token);
    }
  };
}

/**
 * The `typ` of every token identity signs (RFC 9068): a JWT of another kind, even one signed with
 * a key identity trusts, is not an access token.
 */
export const accessTokenType = 'at+jwt';

/**
 * Verifies an EdDSA-signed access token: signature, `typ`, `exp`, issuer and audience. `alg: none`,
 * HMAC tokens signed with the public key and any other algorithm are refused before any key is used.
 */
export function createTokenVerifier(options: {
  keys: JWTVerifyGetKey;
  issuer: string;
  audience: string;
  /** Where signed-out sign-ins are listed, and how stale that list may be (ms). */
  revocations?: { source: RevokedSessions; syncIntervalMs: number };
}): TokenVerifier {
  const isRevoked = options.revocations
    ? revocationList(options.revocations.source, options.revocations.syncIntervalMs)
    : undefined;
  const refuseRevoked = async (principal: Principal) => {
    if (principal.sessionId && (await isRevoked?.(principal.sessionId))) {
      throw unauthorized('token was revoked: its sign-in was signed out');
    }
    return principal;
  };
  // A client presents the same token on every request for its 15 minutes, and the gateway and the
  // service both check it: a token once verified is known good until it expires, so it is not
  // verified again. Only the exact token string finds its entry.
  const verified = new Map<string, { principal: Principal; expiresAtMs: number }>();
  return async (token) => {
    const known = verified.get(token);
    if (known && known.expiresAtMs > Date.now()) return refuseRevoked(known.principal);
    const entry = await verifyToken(token);
    if (verified.size >= verifiedTokenCacheSize) {
      // The oldest entry goes first: a Map iterates in insertion order.
      verified.delete(verified.keys().next().value as string);
    }
    verified.set(token, entry);
    return refuseRevoked(entry.principal);
  };

  async function verifyToken(
    token: string,
  ): Promise<{ principal: Principal; expiresAtMs: number }> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, options.keys, {
        algorithms: ['EdDSA'],
        typ: accessTokenType,
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
      principal: {
        subject: String(payload.sub),
        role: role as Role,
        tokenId: String(payload.jti),
        ...(typeof payload.email === 'string' ? { email: payload.email } : {}),
        ...(typeof payload.sid === 'string' ? { sessionId: payload.sid } : {}),
      },
      expiresAtMs: Number(payload.exp) * 1000,
    };
  }
}

/** Tokens remembered as verified, per verifier: about 6 MB when full. */
const verifiedTokenCacheSize = 10_000;

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
    verify: createTokenVerifier({
      keys,
      issuer,
      audience: config.TOKEN_AUDIENCE,
      // A signed-out token is refused here within a second of the sign-out.
      revocations: { source: remoteRevokedSessions(config.IDENTITY_URL), syncIntervalMs: 1000 },
    }),
    verifyService: createTokenVerifier({ keys, issuer, audience: config.SERVICE_TOKEN_AUDIENCE }),
  };
}

/**
 * An onRequest hook that requires a valid bearer token and one of `allowed` roles: 401 without a
 * valid token, 403 with the wrong role. It runs before the body is read or validated, so a caller
 * without the right learns nothing of the route's schema and costs no parsing.
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
