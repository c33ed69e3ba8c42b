import { Link } from 'react-router';
import { useCart } from '../cart';
import { useSession } from '../session';
import { Loading, Price, Problem, useAction } from '../ui';

export function CartPage() {
  const { cart, error, setQuantity, remove } = useCart();
  const { user } = useSession();
  const change = useAction(async (sku: string, quantity: number) =>
    quantity > 0 ? setQuantity(sku, quantity) : remove(sku),
  );

  if (error && !cart) return <Problem error={error} />;
  if (!cart) return <Loading what="Loading your cart" />;
  return (
    <section className="cart">
      <h1>Your cart</h1>
      {cart.removed.length > 0 && (
        <p role="status">No longer for sale and taken out: {cart.removed.join(', ')}</p>
      )}
      {cart.items.length === 0 ? (
        <p>
          Your cart is empty. <Link to="/">Find something</Link>
        </p>
      ) : (
        <>
          <ul className="lines">
            {cart.items.map((line) => (
              <li key={line.sku} className="line">
                <Link to={`/products/${line.slug}`}>{line.name}</Link>
                <label>
                  <span className="visually-hidden">Quantity of {line.name}</span>
                  <input
                    type="number"
                    min={1}
                    max={99}
                    value={line.quantity}
                    disabled={change.busy}
                    onChange={(event) => void change.run(line.sku, Number(event.target.value))}
                  />
                </label>
                <Price money={line.lineTotal} />
                <button
                  type="button"
                  disabled={change.busy}
                  onClick={() => void change.run(line.sku, 0)}
                  aria-label={`Remove ${line.name}`}
                >
                  Remove
                </button>
              </li>
            ))}
          </ul>
          <Problem error={change.error} />
          {cart.subtotal && (
            <p className="big">
              Subtotal <Price money={cart.subtotal} />
            </p>
          )}
          <Link className="button" to={user ? '/checkout' : '/signin?next=/checkout'}>
            {user ? 'Check out' : 'Sign in to check out'}
          </Link>
        </>
      )}
    </section>
  );
}
