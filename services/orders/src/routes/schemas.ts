import { Money } from '@bazaar/contracts/money';
import { pageLimit } from '@bazaar/service-kit/keyset-cursor';
import { Type } from 'typebox';

export const ShippingAddress = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    line1: Type.String({ minLength: 1, maxLength: 200 }),
    line2: Type.Optional(Type.String({ maxLength: 200 })),
    city: Type.String({ minLength: 1, maxLength: 100 }),
    postalCode: Type.String({ minLength: 1, maxLength: 20 }),
    country: Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' }),
  },
  { additionalProperties: false },
);

export const CheckoutBody = Type.Object(
  {
    shippingAddress: ShippingAddress,
    payment: Type.Object(
      {
        method: Type.Literal('card'),
        cardNumber: Type.Optional(Type.String({ minLength: 12, maxLength: 23 })),
        token: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export const OrderStatus = Type.Enum([
  'pending',
  'confirmed',
  'rejected',
  'payment_failed',
  'shipped',
  'cancelled',
  'refunded',
]);

export const Order = Type.Object({
  id: Type.String({ format: 'uuid' }),
  status: OrderStatus,
  email: Type.String(),
  lines: Type.Array(
    Type.Object({
      sku: Type.String(),
      name: Type.String(),
      quantity: Type.Integer(),
      unitPrice: Money,
      lineTotal: Money,
    }),
  ),
  subtotal: Money,
  shipping: Money,
  total: Money,
  shippingAddress: ShippingAddress,
  payment: Type.Union([
    Type.Object({ method: Type.Literal('card'), brand: Type.String(), last4: Type.String() }),
    Type.Null(),
  ]),
  shipment: Type.Union([
    Type.Object({ carrier: Type.String(), trackingNumber: Type.String() }),
    Type.Null(),
  ]),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const OrderPage = Type.Object({
  items: Type.Array(Order),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export const PageQuery = {
  limit: pageLimit(20),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
};

export const OrderParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
