import { useState } from 'react';
import { Link } from 'react-router';
import { useCart } from '../cart';
import { fieldMessages } from '../lib/problem';
import { MoneySummary } from '../money-summary';
import { useSession } from '../session';
import { Loading, Price, Problem, useAction } from '../ui';

export function CartPage() {
  const { cart, error, setQuantity, remove, applyCode, removeCode } = useCart();
  const [code, setCode] = useState('');
  const apply = useAction(async () => {
    await applyCode(code);
    setCode('');
  });
  const takeOff = useAction(removeCode);
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
          <form
            className="code"
            onSubmit={(event) => {
              event.preventDefault();
              if (code.trim()) void apply.run();
            }}
          >
            <label htmlFor="promotion-code">Promotion code</label>
            <input
              id="promotion-code"
              value={code}
              autoComplete="off"
              aria-invalid={fieldMessages(apply.error).code ? true : undefined}
              aria-describedby={apply.error ? 'promotion-code-error' : undefined}
              onChange={(event) => setCode(event.target.value)}
            />
            <button type="submit" disabled={apply.busy}>
              Apply
            </button>
            {apply.error !== undefined && (
              <span id="promotion-code-error" className="field-error">
                {fieldMessages(apply.error).code ?? 'The code could not be applied.'}
              </span>
            )}
          </form>
          {cart.promotion && (
            <p role="status">
              {cart.promotion.applied
                ? `${cart.promotion.code} applied: ${cart.promotion.description}`
                : `${cart.promotion.code} does not apply: ${cart.promotion.reason}`}{' '}
              <button
                type="button"
                className="link"
                disabled={takeOff.busy}
                onClick={() => void takeOff.run(cart.promotion?.code ?? '')}
              >
                Remove code
              </button>
            </p>
          )}
          <MoneySummary charged={cart} />
          {!cart.taxIncluded && <p className="hint">Tax is estimated until you give an address.</p>}
          <Link className="button" to="/checkout">
            Check out
          </Link>
          {!user && (
            <p className="hint">
              No account needed. <Link to="/signin?next=/checkout">Sign in</Link> to use yours.
            </p>
          )}
        </>
      )}
    </section>
  );
}
