-- Typo tolerance: the words of every product name, so that a search that finds nothing can be
-- asked again with each unknown word replaced by the most similar word the shop knows ("sweter"
-- → "sweater"). Trigram similarity (pg_trgm, a trusted extension) finds it through the index.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE search_words (word text PRIMARY KEY);
CREATE INDEX search_words_trigrams ON search_words USING gin (word gin_trgm_ops);

-- Kept by the database itself, so that every way a product is written (the seed, the back office,
-- a CSV import) adds its name's words. A word whose last product went keeps its row: a correction
-- to it finds nothing, as the search without it did.
CREATE FUNCTION remember_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_words (word)
  SELECT word FROM unnest(tsvector_to_array(to_tsvector('simple', NEW.name))) AS word
   WHERE length(word) >= 3
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;

CREATE TRIGGER products_search_words AFTER INSERT OR UPDATE OF name ON products
  FOR EACH ROW EXECUTE FUNCTION remember_search_words();

INSERT INTO search_words (word)
SELECT DISTINCT word FROM products, unnest(tsvector_to_array(to_tsvector('simple', name))) AS word
 WHERE length(word) >= 3
ON CONFLICT DO NOTHING;
