import type { OrderDetail as Detail, Order } from '@bazaar/contracts/shop-api';
import type { ReactNode } from 'react';
import { Link, Navigate, useParams, useSearchParams } from 'react-router';
import { api } from '../api';
import { brandName, countryName, dayOf } from '../lib/people';
import { MoneySummary } from '../money-summary';
import { useSession } from '../session';
import { Loading, Price, Problem, useAction, useApi, usePageTitle } from '../ui';
import { Returns } from './Returns';

export const statusLabels: Record<Order['status'], string> = {
  pending: 'Being processed',
  confirmed: 'Confirmed',
  rejected: 'Not placed (out of stock)',
  payment_failed: 'Not placed (payment failed)',
  shipped: 'Shipped',
  cancelled: 'Cancelled',
  refunded: 'Refunded',
};

export const orderNumber = (id: string) => id.slice(0, 8).toUpperCase();

export function Orders() {
  usePageTitle('Your orders');
  const { user } = useSession();
  const orders = useApi<{ items: Order[] }>(user ? '/api/orders?limit=50' : undefined);
  if (!user) return <Navigate to="/signin?next=/orders" replace />;
  if (orders.error) return <Problem error={orders.error} />;
  if (!orders.data) return <Loading what="Loading your orders" />;
  // A checkout whose card was declined, or that found the stock gone, was no order.
  const placed = orders.data.items.filter(
    (order) => order.status !== 'rejected' && order.status !== 'payment_failed',
  );
  return (
    <section>
      <h1>Your orders</h1>
      {placed.length === 0 && <p>No orders yet.</p>}
      <ul className="lines">
        {placed.map((order) => (
          <li key={order.id} className="line">
            <Link to={`/orders/${order.id}`}>Order {orderNumber(order.id)}</Link>
            <span>{dayOf(order.createdAt)}</span>
            <span className={`status status-${order.status}`}>{statusLabels[order.status]}</span>
            <Price money={order.total} />
          </li>
        ))}
      </ul>
    </section>
  );
}

export function OrderDetail() {
  const { id = '' } = useParams();
  const { user } = useSession();
  const order = useApi<Detail>(user ? `/api/orders/${encodeURIComponent(id)}` : undefined);
  const cancel = useAction(async () => {
    if (!window.confirm('Cancel the whole order? The payment goes back to your card.')) return;
    await api(`/api/orders/${encodeURIComponent(id)}/cancel`, { method: 'POST' });
    await order.reload();
  });
  if (!user) return <Navigate to={`/signin?next=/orders/${id}`} replace />;
  if (order.error) return <Problem error={order.error} />;
  if (!order.data) return <Loading what="Loading the order" />;
  return (
    <OrderView order={order.data}>
      {order.data.status === 'confirmed' && (
        <button
          type="button"
          className="secondary"
          disabled={cancel.busy}
          onClick={() => void cancel.run()}
        >
          {cancel.busy ? 'Cancelling…' : 'Cancel this order'}
        </button>
      )}
      <Problem error={cancel.error} />
      <Returns
        order={order.data}
        returnsPath={`/api/orders/${encodeURIComponent(id)}/returns`}
        cancelPath={`/api/orders/${encodeURIComponent(id)}/cancel-lines`}
        onChange={order.reload}
      />
      <p>
        <Link to="/orders">All your orders</Link>
      </p>
    </OrderView>
  );
}

/** An order by its own link (the receipt's, or a guest's after paying): no account needed. */
export function OrderByLink() {
  const { token = '' } = useParams();
  const order = useApi<Detail>(`/api/orders/by-token/${encodeURIComponent(token)}`);
  if (order.error) return <Problem error={order.error} />;
  if (!order.data) return <Loading what="Loading the order" />;
  return (
    <OrderView order={order.data}>
      <Returns
        order={order.data}
        returnsPath={`/api/orders/by-token/${encodeURIComponent(token)}/returns`}
        onChange={order.reload}
      />
      <p className="hint">
        Keep this page's address: it opens the order without signing in. Open an account with{' '}
        {order.data.email} and your orders are kept there too.{' '}
        <Link to="/signup">Open an account</Link>
      </p>
    </OrderView>
  );
}

function OrderView({ order: data, children }: { order: Order; children: ReactNode }) {
  usePageTitle(`Order ${orderNumber(data.id)}`);
  const [params] = useSearchParams();
  return (
    <section className="order">
      {params.get('placed') && data.status === 'confirmed' && (
        <p className="success" role="status">
          Thank you! Your order is confirmed; a receipt is on its way to {data.email}.
        </p>
      )}
      <h1>Order {orderNumber(data.id)}</h1>
      <p>
        Status:{' '}
        <strong className={`status status-${data.status}`}>{statusLabels[data.status]}</strong>
        {data.shipment &&
          ` with ${data.shipment.carrier}, tracking ${data.shipment.trackingNumber}`}
      </p>
      <ul className="lines">
        {data.lines.map((line) => (
          <li key={line.sku} className="line">
            <span>
              {line.quantity} × {line.name}
            </span>
            <Price money={line.lineTotal} />
          </li>
        ))}
      </ul>
      <MoneySummary charged={data} />
      <p>
        Delivering to {data.shippingAddress.name}, {data.shippingAddress.line1},{' '}
        {data.shippingAddress.city} {data.shippingAddress.state ?? ''}{' '}
        {data.shippingAddress.postalCode}, {countryName(data.shippingAddress.country)}
        {data.payment &&
          `. Paid with ${brandName(data.payment.brand)} ending ${data.payment.last4}`}
        . Placed on {dayOf(data.createdAt)}.
      </p>
      {children}
    </section>
  );
}
