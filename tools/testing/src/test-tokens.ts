import { accessTokenType } from '@bazaar/service-kit/auth';
import { createLocalJWKSet, exportJWK, generateKeyPair, type JWTVerifyGetKey, SignJWT } from 'jose';

export type TestTokens = {
  /** The key set a verifier under test trusts. */
  keys: JWTVerifyGetKey;
  issuer: string;
  /** An EdDSA token as identity would sign it; `expiresIn` accepts jose's forms ('15m', '-1 min'). */
  sign: (claims: {
    subject?: string;
    role: string;
    email?: string;
    audience: string;
    expiresIn?: string;
  }) => Promise<string>;
};

/** A signing key made for one test run, so services can be tested without a running identity. */
export async function createTestTokens(issuer = 'bazaar-identity'): Promise<TestTokens> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const kid = 'test-key';
  const keys = createLocalJWKSet({
    keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' }],
  });
  return {
    keys,
    issuer,
    sign: (claims) =>
      new SignJWT({ role: claims.role, ...(claims.email ? { email: claims.email } : {}) })
        .setProtectedHeader({ alg: 'EdDSA', kid, typ: accessTokenType })
        .setSubject(claims.subject ?? `${claims.role}-1`)
        .setIssuer(issuer)
        .setAudience(claims.audience)
        .setIssuedAt()
        .setExpirationTime(claims.expiresIn ?? '15m')
        .setJti(crypto.randomUUID())
        .sign(privateKey),
  };
}
