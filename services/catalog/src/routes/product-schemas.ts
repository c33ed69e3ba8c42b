import { pageLimit } from '@bazaar/service-kit/keyset-cursor';
import { Type } from 'typebox';
import { productSorts } from '../domain/product.js';

/** The highest price a filter may name, in minor units (PostgreSQL's integer holds 2^31 - 1). */
const maxPrice = 2_147_483_647;

/** Which region's prices: the shop's first region when none is named. */
export const RegionParam = Type.Optional(
  Type.String({
    pattern: '^[a-z0-9]+(-[a-z0-9]+)*$',
    maxLength: 32,
    description: 'a region id (GET /api/regions); prices are in its currency',
  }),
);

export const ListQuery = Type.Object(
  {
    region: RegionParam,
    q: Type.Optional(
      Type.String({ maxLength: 100, description: 'search text; words match as prefixes' }),
    ),
    category: Type.Optional(
      Type.String({
        pattern: '^[a-z0-9]+(-[a-z0-9]+)*$',
        maxLength: 64,
        description: 'a category slug; includes its sub-categories',
      }),
    ),
    minPrice: Type.Optional(
      Type.Integer({ minimum: 0, maximum: maxPrice, description: 'minor units' }),
    ),
    maxPrice: Type.Optional(
      Type.Integer({ minimum: 0, maximum: maxPrice, description: 'minor units' }),
    ),
    inStock: Type.Optional(
      Type.Boolean({
        description: 'true: only products that can be bought now; false: only sold-out ones',
      }),
    ),
    sort: Type.Optional(
      Type.Enum([...productSorts], { description: 'default: relevance with q, else newest' }),
    ),
    limit: pageLimit(24),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    page: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 100,
        description:
          'a page by its number, counted from 1, for numbered pages (not with cursor); the cursor walks a whole list',
      }),
    ),
  },
  { additionalProperties: false },
);
