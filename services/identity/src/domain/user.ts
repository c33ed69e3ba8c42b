export type UserRole = 'customer' | 'admin';

export type User = {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  /** ISO 8601 */
  createdAt: string;
};

/** Emails compare trimmed and lower-cased: `" Ada@Example.com"` and `"ada@example.com"` are one account. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
