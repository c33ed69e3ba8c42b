import { ShippingAddress } from '@bazaar/contracts/shop-api';
import { pageLimit } from '@bazaar/service-kit/keyset-cursor';
import { Type } from 'typebox';

export const CheckoutBody = Type.Object(
  {
    shippingAddress: ShippingAddress,
    email: Type.Optional(
      Type.String({
        format: 'email',
        maxLength: 254,
        description: "a guest's address for the receipt (a signed-in shopper's is the account's)",
      }),
    ),
    shippingOptionId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description:
          'one of GET /api/cart/shipping-options; none: the first that serves the address',
      }),
    ),
    payment: Type.Object(
      {
        method: Type.Literal('card'),
        cardNumber: Type.Optional(Type.String({ minLength: 12, maxLength: 23 })),
        expiry: Type.Optional(
          Type.String({
            pattern: '^(0[1-9]|1[0-2])/[0-9]{2}$',
            description: 'MM/YY, as printed on the card; required with cardNumber',
          }),
        ),
        cvc: Type.Optional(
          Type.String({
            pattern: '^[0-9]{3,4}$',
            description: 'the security code on the card; required with cardNumber',
          }),
        ),
        name: Type.Optional(
          Type.String({ minLength: 1, maxLength: 100, description: 'the name on the card' }),
        ),
        token: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export const PageQuery = {
  limit: pageLimit(20),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
};

export const OrderParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
