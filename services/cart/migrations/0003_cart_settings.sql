-- What the shopper chose besides the lines: region, country, state, shipping option, promotion code.
ALTER TABLE carts ADD COLUMN settings jsonb NOT NULL DEFAULT '{}';
