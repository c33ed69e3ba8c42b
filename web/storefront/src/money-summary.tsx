import type { Cart, Order } from '@bazaar/contracts/shop-api';
import { Price } from './ui';

type Charged = Pick<
  Cart | Order,
  'subtotal' | 'discount' | 'shipping' | 'tax' | 'total' | 'taxIncluded' | 'promotion'
> & { shippingOption: { name: string } | null };

/**
 * What a cart comes to or an order was charged, line by line: where prices include tax, the tax
 * is shown as the part of the total it is, not added to it.
 */
export function MoneySummary({ charged }: { charged: Charged }) {
  const { subtotal, discount, shipping, tax, total, taxIncluded, promotion, shippingOption } =
    charged;
  return (
    <dl className="totals">
      <dt>Subtotal</dt>
      <dd>
        <Price money={subtotal} />
      </dd>
      {discount.amount > 0 && (
        <>
          <dt>Discount{promotion ? ` (${promotion.code})` : ''}</dt>
          <dd>
            −<Price money={discount} />
          </dd>
        </>
      )}
      <dt>Shipping{shippingOption ? ` (${shippingOption.name})` : ''}</dt>
      <dd>{shipping.amount === 0 && shippingOption ? 'Free' : <Price money={shipping} />}</dd>
      {!taxIncluded && (
        <>
          <dt>Tax</dt>
          <dd>
            <Price money={tax} />
          </dd>
        </>
      )}
      <dt>Total</dt>
      <dd className="big">
        <Price money={total} />
      </dd>
      {taxIncluded && (
        <>
          <dt>Including tax</dt>
          <dd>
            <Price money={tax} />
          </dd>
        </>
      )}
    </dl>
  );
}
