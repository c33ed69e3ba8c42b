import argon2 from 'argon2';

export type PasswordHasher = {
  hash: (password: string) => Promise<string>;
  /** False for a wrong password; also spends the time of a real check when there is no account. */
  verify: (hash: string | undefined, password: string) => Promise<boolean>;
};

/** argon2id with the given cost; the hash string records its parameters, so costs can change later. */
export async function createPasswordHasher(cost: {
  memoryKib: number;
  timeCost: number;
}): Promise<PasswordHasher> {
  const options = {
    type: argon2.argon2id,
    memoryCost: cost.memoryKib,
    timeCost: cost.timeCost,
    parallelism: 1,
  } as const;
  // Checked against when an email has no account, so both answers take as long.
  const decoy = await argon2.hash('decoy password for unknown accounts', options);
  return {
    hash: (password) => argon2.hash(password, options),
    verify: async (hash, password) => {
      const matches = await argon2.verify(hash ?? decoy, password);
      return hash !== undefined && matches;
    },
  };
}
