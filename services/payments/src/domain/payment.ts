export type PaymentStatus = 'authorized' | 'declined' | 'captured' | 'voided' | 'refunded';

export type Payment = {
  paymentId: string;
  orderId: string;
  provider: string;
  status: PaymentStatus;
  amount: number;
  /** What went back to the card so far, in all refunds: never more than `amount`. */
  refunded: number;
  currency: string;
  cardBrand: string;
  cardLast4: string;
  declineCode: string | null;
  /** ISO 8601 */
  createdAt: string;
  updatedAt: string;
};
