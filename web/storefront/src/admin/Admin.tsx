import { useState } from 'react';
import {
  Link,
  Navigate,
  NavLink,
  Route,
  Routes,
  useNavigate,
  useParams,
  useSearchParams,
} from 'react-router';
import { api } from '../api';
import { formatMoney, type Money } from '../lib/money';
import { fieldMessages } from '../lib/problem';
import { type Order, orderNumber, statusLabels } from '../pages/Orders';
import { useSession } from '../session';
import { Field, Loading, Price, Problem, useAction, useApi } from '../ui';

/** The shop's back office: only for the `admin` role. Loaded on its own, never by shoppers. */
export default function Admin() {
  const { user } = useSession();
  if (!user) return <Navigate to="/signin?next=/admin" replace />;
  if (user.role !== 'admin')
    return <Problem error={new Error('This part of the shop is for its staff.')} />;
  return (
    <section className="admin">
      <nav className="tabs" aria-label="Admin">
        <NavLink to="/admin/products">Products</NavLink>
        <NavLink to="/admin/stock">Stock</NavLink>
        <NavLink to="/admin/orders">Orders</NavLink>
        <NavLink to="/admin/notifications">Notifications</NavLink>
      </nav>
      <Routes>
        <Route index element={<Navigate to="products" replace />} />
        <Route path="products" element={<Products />} />
        <Route path="products/:id" element={<EditProduct />} />
        <Route path="stock" element={<Stock />} />
        <Route path="orders" element={<AdminOrders />} />
        <Route path="notifications" element={<Notifications />} />
      </Routes>
    </section>
  );
}

type Summary = { id: string; name: string; status: string; price: Money; variantCount: number };

function Products() {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const status = params.get('status') ?? 'any';
  const cursor = params.get('cursor') ?? '';
  const query = new URLSearchParams({
    status,
    limit: '25',
    ...(q ? { q } : {}),
    ...(cursor ? { cursor } : {}),
  });
  const list = useApi<{ items: Summary[]; nextCursor: string | null; total: number }>(
    `/api/admin/products?${query}`,
  );
  return (
    <>
      <div className="toolbar">
        <label htmlFor="admin-q">Search</label>
        <input
          id="admin-q"
          type="search"
          value={q}
          onChange={(event) => setParams({ q: event.target.value, status }, { replace: true })}
        />
        <label htmlFor="admin-status">Status</label>
        <select
          id="admin-status"
          value={status}
          onChange={(event) => setParams({ q, status: event.target.value })}
        >
          {['any', 'active', 'draft', 'archived'].map((value) => (
            <option key={value}>{value}</option>
          ))}
        </select>
        <Link className="button" to="/admin/products/new">
          New product
        </Link>
      </div>
      <Problem error={list.error} />
      {!list.data ? (
        <Loading />
      ) : (
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Status</th>
              <th>From</th>
              <th>Variants</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((product) => (
              <tr key={product.id}>
                <td>
                  <Link to={`/admin/products/${product.id}`}>{product.name}</Link>
                </td>
                <td>{product.status}</td>
                <td>
                  <Price money={product.price} />
                </td>
                <td>{product.variantCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.data?.nextCursor && (
        <Link
          to={`/admin/products?${new URLSearchParams({ q, status, cursor: list.data.nextCursor })}`}
        >
          Next →
        </Link>
      )}
    </>
  );
}

/** A variant as edited; `key` keeps React's rows apart while SKUs are typed. */
type VariantRow = { key: string; sku: string; options: string; price: string };
const newRow = (): VariantRow => ({ key: crypto.randomUUID(), sku: '', options: '', price: '' });
type Detail = {
  id: string;
  name: string;
  description: string;
  status: 'draft' | 'active' | 'archived';
  category: { slug: string };
  images: string[];
  variants: Array<{ sku: string; options: Record<string, string>; price: Money }>;
};
type Category = { slug: string; name: string; children: Category[] };

/** "size=M, colour=Red" ↔ {size: "M", colour: "Red"} */
const optionsText = (options: Record<string, string>) =>
  Object.entries(options)
    .map(([name, value]) => `${name}=${value}`)
    .join(', ');
const parseOptions = (text: string) =>
  Object.fromEntries(
    text
      .split(',')
      .map((pair) => pair.split('=').map((part) => part.trim()))
      .filter(
        (pair): pair is [string, string] =>
          pair.length === 2 && Boolean(pair[0]) && Boolean(pair[1]),
      ),
  );

function EditProduct() {
  const { id = 'new' } = useParams();
  const creating = id === 'new';
  const navigate = useNavigate();
  const existing = useApi<Detail>(creating ? undefined : `/api/admin/products/${id}`);
  const categories = useApi<{ items: Category[] }>('/api/categories');
  const [form, setForm] = useState<{
    name: string;
    description: string;
    status: Detail['status'];
    category: string;
    image: string;
    variants: VariantRow[];
  }>();
  const loaded = creating
    ? {
        name: '',
        description: '',
        status: 'draft' as const,
        category: '',
        image: '',
        variants: [newRow()],
      }
    : existing.data && {
        name: existing.data.name,
        description: existing.data.description,
        status: existing.data.status,
        category: existing.data.category.slug,
        image: existing.data.images[0] ?? '',
        variants: existing.data.variants.map((variant) => ({
          key: variant.sku,
          sku: variant.sku,
          options: optionsText(variant.options),
          price: (variant.price.amount / 100).toFixed(2),
        })),
      };
  const values = form ?? loaded;
  const save = useAction(async () => {
    if (!values) return;
    const body = {
      name: values.name,
      description: values.description,
      status: values.status,
      category: values.category,
      images: values.image ? [values.image] : [],
      variants: values.variants.map((variant) => ({
        sku: variant.sku.trim(),
        options: parseOptions(variant.options),
        price: { amount: Math.round(Number(variant.price) * 100), currency: 'USD' },
      })),
    };
    const saved = await api<{ id: string }>(
      creating ? '/api/admin/products' : `/api/admin/products/${id}`,
      {
        method: creating ? 'POST' : 'PATCH',
        body,
      },
    );
    setForm(undefined);
    if (creating) navigate(`/admin/products/${saved.id}`, { replace: true });
    else await existing.reload();
  });
  const archive = useAction(async () => {
    await api(`/api/admin/products/${id}`, { method: 'DELETE' });
    navigate('/admin/products');
  });
  if (existing.error) return <Problem error={existing.error} />;
  if (!values) return <Loading />;
  const errors = fieldMessages(save.error);
  const update = (change: Partial<typeof values>) => setForm({ ...values, ...change });
  const updateVariant = (index: number, change: Partial<VariantRow>) =>
    update({
      variants: values.variants.map((row, at) => (at === index ? { ...row, ...change } : row)),
    });

  return (
    <form
      className="edit"
      onSubmit={(event) => {
        event.preventDefault();
        void save.run();
      }}
    >
      <h1>{creating ? 'New product' : values.name}</h1>
      <Field
        label="Name"
        name="name"
        required
        value={values.name}
        onChange={(event) => update({ name: event.target.value })}
        error={errors.name}
      />
      <div className="field">
        <label htmlFor="field-description">Description</label>
        <textarea
          id="field-description"
          value={values.description}
          onChange={(event) => update({ description: event.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor="field-category">Category</label>
        <select
          id="field-category"
          required
          value={values.category}
          onChange={(event) => update({ category: event.target.value })}
        >
          <option value="">Choose…</option>
          {categories.data?.items.map((department) => (
            <optgroup key={department.slug} label={department.name}>
              {department.children.map((aisle) => (
                <option key={aisle.slug} value={aisle.slug}>
                  {aisle.name}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="field-status">Status</label>
        <select
          id="field-status"
          value={values.status}
          onChange={(event) => update({ status: event.target.value as Detail['status'] })}
        >
          <option value="draft">draft (hidden)</option>
          <option value="active">active (on sale)</option>
          <option value="archived">archived</option>
        </select>
      </div>
      <Field
        label="Image URL (https:// or /)"
        name="image"
        value={values.image}
        onChange={(event) => update({ image: event.target.value })}
      />
      <fieldset>
        <legend>Variants</legend>
        {values.variants.map((variant, index) => (
          <div className="variant-row" key={variant.key}>
            <Field
              label="SKU"
              name={`sku-${index}`}
              required
              value={variant.sku}
              onChange={(event) => updateVariant(index, { sku: event.target.value.toUpperCase() })}
              error={errors[`variants.${index}.sku`]}
            />
            <Field
              label="Options (size=M, colour=Red)"
              name={`options-${index}`}
              value={variant.options}
              onChange={(event) => updateVariant(index, { options: event.target.value })}
            />
            <Field
              label="Price (USD)"
              name={`price-${index}`}
              inputMode="decimal"
              required
              value={variant.price}
              onChange={(event) => updateVariant(index, { price: event.target.value })}
              error={errors[`variants.${index}.price.amount`]}
            />
          </div>
        ))}
        <button type="button" onClick={() => update({ variants: [...values.variants, newRow()] })}>
          Add a variant
        </button>
      </fieldset>
      <Problem error={save.error} />
      <button type="submit" disabled={save.busy}>
        {save.busy ? 'Saving…' : 'Save'}
      </button>
      {!creating && values.status !== 'archived' && (
        <button
          type="button"
          className="danger"
          disabled={archive.busy}
          onClick={() => void archive.run()}
        >
          Archive
        </button>
      )}
      <Problem error={archive.error} />
    </form>
  );
}

type StockLevel = {
  sku: string;
  onHand: number;
  reserved: number;
  available: number;
  lowStockThreshold: number;
};

function Stock() {
  const [sku, setSku] = useState('');
  const [shown, setShown] = useState<string>();
  const level = useApi<StockLevel>(
    shown ? `/api/admin/inventory/${encodeURIComponent(shown)}` : undefined,
  );
  const [onHand, setOnHand] = useState('');
  const save = useAction(async () => {
    await api(`/api/admin/inventory/${encodeURIComponent(sku)}`, {
      method: 'PUT',
      body: { onHand: Number(onHand) },
    });
    setShown(sku);
    await level.reload();
  });
  return (
    <>
      <form
        className="toolbar"
        onSubmit={(event) => {
          event.preventDefault();
          setShown(sku);
        }}
      >
        <label htmlFor="stock-sku">SKU</label>
        <input
          id="stock-sku"
          value={sku}
          onChange={(event) => setSku(event.target.value.toUpperCase())}
        />
        <button type="submit">Look up</button>
      </form>
      <Problem error={level.error} />
      {level.data && (
        <p>
          {level.data.sku}: {level.data.onHand} on hand, {level.data.reserved} held for orders,{' '}
          {level.data.available} available (low below {level.data.lowStockThreshold})
        </p>
      )}
      <form
        className="toolbar"
        onSubmit={(event) => {
          event.preventDefault();
          void save.run();
        }}
      >
        <label htmlFor="stock-on-hand">Set on hand to</label>
        <input
          id="stock-on-hand"
          type="number"
          min={0}
          value={onHand}
          onChange={(event) => setOnHand(event.target.value)}
        />
        <button type="submit" disabled={!sku || onHand === '' || save.busy}>
          Save
        </button>
      </form>
      <Problem error={save.error} />
    </>
  );
}

function AdminOrders() {
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

type Message = {
  id: string;
  kind: string;
  to: string | null;
  subject: string;
  text: string;
  status: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
};

function Notifications() {
  const log = useApi<{ items: Message[] }>('/api/admin/notifications?limit=50');
  if (log.error) return <Problem error={log.error} />;
  if (!log.data) return <Loading />;
  return (
    <table>
      <thead>
        <tr>
          <th>When</th>
          <th>To</th>
          <th>Subject</th>
          <th>Status</th>
        </tr>
      </thead>
      <tbody>
        {log.data.items.map((message) => (
          <tr key={message.id}>
            <td>{new Date(message.createdAt).toLocaleString()}</td>
            <td>{message.to ?? '—'}</td>
            <td>
              <details>
                <summary>{message.subject}</summary>
                <pre className="mail-text">{message.text}</pre>
              </details>
            </td>
            <td title={message.lastError ?? undefined}>
              {message.status}
              {message.attempts > 1 ? ` (${message.attempts} attempts)` : ''}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
