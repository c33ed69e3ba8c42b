import { Type } from 'typebox';

export const Payment = Type.Object({
  paymentId: Type.String({ format: 'uuid' }),
  orderId: Type.String({ format: 'uuid' }),
  provider: Type.String(),
  status: Type.Enum(['authorized', 'declined', 'captured', 'voided', 'refunded']),
  amount: Type.Integer({ description: 'minor units' }),
  refunded: Type.Integer({ description: 'minor units given back so far, in all refunds' }),
  currency: Type.String(),
  cardBrand: Type.String(),
  cardLast4: Type.String(),
  declineCode: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const OrderParams = Type.Object({ orderId: Type.String({ format: 'uuid' }) });
