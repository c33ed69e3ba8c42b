import { readFile } from 'node:fs/promises';
import { IdentityError } from './errors.js';

/**
 * Reads `data/common-passwords.txt`: the common passwords of 10 or more characters (shorter ones
 * fail the length rule anyway) from the zxcvbn-ts common-password list (MIT). A file rather than
 * the package, which would hold 14 MB of dictionaries in memory to answer this one question.
 */
export async function loadCommonPasswords(file: URL): Promise<ReadonlySet<string>> {
  const lines = (await readFile(file, 'utf8')).split('\n');
  return new Set(lines.filter(Boolean));
}

export const passwordLength = { min: 10, max: 256 } as const;

/** Refuses a password that is too short, too long, well known, or the account's own email. */
export function assertAcceptablePassword(
  password: string,
  email: string,
  commonPasswords: ReadonlySet<string>,
): void {
  const problem =
    password.length < passwordLength.min
      ? `must be at least ${passwordLength.min} characters`
      : password.length > passwordLength.max
        ? `must be at most ${passwordLength.max} characters`
        : commonPasswords.has(password.toLowerCase())
          ? 'is one of the most common passwords; choose another'
          : password.toLowerCase() === email
            ? 'must not be your email address'
            : undefined;
  if (problem) {
    throw new IdentityError('weak_password', `password ${problem}`, {
      errors: [{ field: 'password', in: 'body', message: problem }],
    });
  }
}
