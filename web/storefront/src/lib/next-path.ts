/**
 * Where to go after signing in: a path of this shop only, never another site. Browsers read `\`
 * as `/` and drop tabs and newlines from URLs, so `/\evil.example` and `/<tab>/evil.example` would
 * leave the shop; anything with them, with another control character, or that resolves to
 * another origin, goes home instead.
 */
export function nextPath(params: URLSearchParams): string {
  const next = params.get('next') ?? '/';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
  if (!next.startsWith('/') || /[\\\u0000-\u001f\u007f]/.test(next)) return '/';
  const base = 'https://shop.invalid';
  const resolved = new URL(next, base);
  return resolved.origin === base ? `${resolved.pathname}${resolved.search}${resolved.hash}` : '/';
}
