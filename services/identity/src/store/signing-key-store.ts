import type { Queryable } from '@bazaar/db/pool';
import type { JWK } from 'jose';

export type SigningKeyRow = { kid: string; public_jwk: JWK; private_jwk_sealed: string };

export async function selectActiveKey(db: Queryable): Promise<SigningKeyRow | undefined> {
  const { rows } = await db.query<SigningKeyRow>(
    `SELECT kid, public_jwk, private_jwk_sealed FROM signing_keys
      WHERE retired_at IS NULL ORDER BY created_at DESC LIMIT 1`,
  );
  return rows[0];
}

/** The active key and every key retired less than `graceSeconds` ago: tokens they signed still live. */
export async function selectPublishedKeys(db: Queryable, graceSeconds: number): Promise<JWK[]> {
  const { rows } = await db.query<{ public_jwk: JWK }>(
    `SELECT public_jwk FROM signing_keys
      WHERE retired_at IS NULL OR retired_at > now() - make_interval(secs => $1)
      ORDER BY created_at DESC`,
    [graceSeconds],
  );
  return rows.map((row) => row.public_jwk);
}

export async function insertKey(
  db: Queryable,
  key: { kid: string; algorithm: string; publicJwk: JWK; privateJwkSealed: string },
) {
  await db.query(
    `INSERT INTO signing_keys (kid, algorithm, public_jwk, private_jwk_sealed) VALUES ($1, $2, $3, $4)`,
    [key.kid, key.algorithm, key.publicJwk, key.privateJwkSealed],
  );
}

export async function retireActiveKeys(db: Queryable) {
  await db.query('UPDATE signing_keys SET retired_at = now() WHERE retired_at IS NULL');
}

/** Serialises key creation across replicas and the rotation command. */
export async function lockSigningKeys(db: Queryable) {
  await db.query(`SELECT pg_advisory_xact_lock(hashtext('signing_keys'))`);
}
