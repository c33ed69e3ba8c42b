import { Type } from 'typebox';

export const Email = Type.String({
  maxLength: 254,
  pattern: '^\\s*[^\\s@]+@[^\\s@]+\\.[^\\s@]+\\s*$',
  description: 'compared trimmed and lower-cased',
});

export const Name = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });

/** Accepted so that clients which send it still work, and never used: roles are granted by admins. */
export const IgnoredRole = Type.Optional(
  Type.Unknown({ description: 'ignored: a role cannot be chosen, only granted' }),
);
