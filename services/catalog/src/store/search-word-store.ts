import type { Queryable } from '@bazaar/db/pool';

/**
 * For each word, the shop's word nearest to it by trigram similarity (pg_trgm's `%`: at least
 * 0.3), or the word itself when the shop knows a word it begins, or nothing near enough.
 */
export async function selectNearestWords(
  db: Queryable,
  words: readonly string[],
): Promise<Array<string | undefined>> {
  const { rows } = await db.query<{ nearest: string | null }>({
    name: 'catalog_nearest_words',
    text: `SELECT CASE WHEN EXISTS (SELECT 1 FROM search_words s WHERE s.word LIKE w.word || '%')
                       THEN w.word
                       ELSE (SELECT s.word FROM search_words s WHERE s.word % w.word
                              ORDER BY s.word <-> w.word, s.word LIMIT 1)
                  END AS nearest
             FROM unnest($1::text[]) WITH ORDINALITY AS w(word, position)
            ORDER BY w.position`,
    values: [words],
  });
  return rows.map((row) => row.nearest ?? undefined);
}
