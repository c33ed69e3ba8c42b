import { Type } from 'typebox';

export const Reservation = Type.Object({
  orderId: Type.String({ format: 'uuid' }),
  status: Type.Enum(['held', 'committed', 'released', 'expired', 'returned']),
  expiresAt: Type.String({ format: 'date-time' }),
  lines: Type.Array(Type.Object({ sku: Type.String(), quantity: Type.Integer() })),
});
