import { Money } from '@bazaar/contracts/money';
import { pageLimit } from '@bazaar/service-kit/keyset-cursor';
import { Type } from 'typebox';
import { productSorts } from '../domain/product.js';

/** The highest price a filter may name, in minor units (PostgreSQL's integer holds 2^31 - 1). */
const maxPrice = 2_147_483_647;

export const Category = Type.Object({ slug: Type.String(), name: Type.String() });

export const ProductSummary = Type.Object({
  id: Type.String({ format: 'uuid' }),
  slug: Type.String(),
  name: Type.String(),
  description: Type.String(),
  status: Type.Enum(['draft', 'active', 'archived']),
  category: Category,
  images: Type.Array(Type.String()),
  price: Money,
  variantCount: Type.Integer(),
  inStock: Type.Boolean({ description: 'at least one variant can be bought now' }),
});

export const ProductDetail = Type.Object({
  id: Type.String({ format: 'uuid' }),
  slug: Type.String(),
  name: Type.String(),
  description: Type.String(),
  status: Type.Enum(['draft', 'active', 'archived']),
  category: Category,
  images: Type.Array(Type.String()),
  price: Money,
  variants: Type.Array(
    Type.Object({
      sku: Type.String(),
      options: Type.Record(Type.String(), Type.String()),
      price: Money,
      inStock: Type.Boolean(),
    }),
  ),
  inStock: Type.Boolean({ description: 'at least one variant can be bought now' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const ListQuery = Type.Object(
  {
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
  },
  { additionalProperties: false },
);

export const ProductListing = Type.Object({
  items: Type.Array(ProductSummary),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
  total: Type.Integer(),
  facets: Type.Object({
    categories: Type.Array(
      Type.Object({ slug: Type.String(), name: Type.String(), count: Type.Integer() }),
    ),
  }),
});
