import { Type } from 'typebox';

export const StockLevel = Type.Object({
  sku: Type.String(),
  onHand: Type.Integer(),
  reserved: Type.Integer(),
  available: Type.Integer(),
  lowStockThreshold: Type.Integer(),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const Reservation = Type.Object({
  orderId: Type.String({ format: 'uuid' }),
  status: Type.Enum(['held', 'committed', 'released', 'expired', 'returned']),
  expiresAt: Type.String({ format: 'date-time' }),
  lines: Type.Array(Type.Object({ sku: Type.String(), quantity: Type.Integer() })),
});
