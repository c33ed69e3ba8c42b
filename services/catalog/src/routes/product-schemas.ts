import { Type } from 'typebox';

export const Money = Type.Object({
  amount: Type.Integer({ description: 'minor units, e.g. cents' }),
  currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' }),
});

export const Category = Type.Object({ slug: Type.String(), name: Type.String() });

export const ProductSummary = Type.Object({
  id: Type.String({ format: 'uuid' }),
  slug: Type.String(),
  name: Type.String(),
  description: Type.String(),
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
