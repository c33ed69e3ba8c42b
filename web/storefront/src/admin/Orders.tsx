import type { Order } from '@bazaar/contracts/shop-api';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { api } from '../api';
import { formatMoney } from '../lib/money';
import { countryName } from '../lib/people';
import { orderNumber, statusLabels } from '../pages/Orders';
import { Loading, Problem, useAction, useApi } from '../ui';

/** Every order, newest first, filtered by status; each one shipped or cancelled from here. */
export function AdminOrders() {
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? '';
  const orders = useApi<{ items: Order[] }>(
    `/api/admin/orders?limit=50${status ? `&status=${status}` : ''}`,
  );
  return (
    <>
      <div className="toolbar">
        <label htmlFor="order-status">Status</label>
        <select
          id="order-status"
          value={status}
          onChange={(event) => setParams(event.target.value ? { status: event.target.value } : {})}
        >
          <option value="">all</option>
          {Object.keys(statusLabels).map((value) => (
            <option key={value}>{value}</option>
          ))}
        </select>
      </div>
      <Problem error={orders.error} />
      {!orders.data ? (
        <Loading />
      ) : (
        <ul className="lines">
          {orders.data.items.map((order) => (
            <AdminOrder key={order.id} order={order} onChange={orders.reload} />
          ))}
        </ul>
      )}
    </>
  );
}

function AdminOrder({ order, onChange }: { order: Order; onChange: () => Promise<void> }) {
  const [carrier, setCarrier] = useState('DHL');
  const [tracking, setTracking] = useState('');
  const ship = useAction(async () => {
    await api(`/api/admin/orders/${order.id}/ship`, {
      method: 'POST',
      body: { carrier, trackingNumber: tracking },
    });
    await onChange();
  });
  const cancel = useAction(async () => {
    if (!window.confirm(`Cancel order ${orderNumber(order.id)} and refund ${order.email}?`)) return;
    await api(`/api/orders/${order.id}/cancel`, { method: 'POST' });
    await onChange();
  });
  return (
    <li className="line admin-order" data-order={order.id}>
      <span>
        Order {orderNumber(order.id)} · {order.email}
      </span>
      <span className={`status status-${order.status}`}>{order.status}</span>
      <span>{formatMoney(order.total)}</span>
      {/* What to pack, and where it goes. */}
      <span className="order-items">
        {order.lines.map((line) => `${line.quantity} × ${line.name} (${line.sku})`).join(', ')}
      </span>
      <span className="order-address">
        {[
          order.shippingAddress.name,
          order.shippingAddress.line1,
          order.shippingAddress.line2,
          `${order.shippingAddress.city} ${order.shippingAddress.state ?? ''}`.trim(),
          order.shippingAddress.postalCode,
          countryName(order.shippingAddress.country),
        ]
          .filter(Boolean)
          .join(', ')}
      </span>
      {order.status === 'confirmed' && (
        <form
          className="toolbar"
          onSubmit={(event) => {
            event.preventDefault();
            void ship.run();
          }}
        >
          <label htmlFor={`carrier-${order.id}`}>Carrier</label>
          <input
            id={`carrier-${order.id}`}
            value={carrier}
            onChange={(event) => setCarrier(event.target.value)}
          />
          <label htmlFor={`tracking-${order.id}`}>Tracking number</label>
          <input
            id={`tracking-${order.id}`}
            required
            value={tracking}
            onChange={(event) => setTracking(event.target.value)}
          />
          <button type="submit" disabled={ship.busy}>
            Ship
          </button>
          <button
            type="button"
            className="danger"
            disabled={cancel.busy}
            onClick={() => void cancel.run()}
          >
            Cancel
          </button>
        </form>
      )}
      <Problem error={ship.error ?? cancel.error} />
    </li>
  );
}
