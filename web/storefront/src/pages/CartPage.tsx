import { useState } from 'react';
import { Link } from 'react-router';
import { useCart } from '../cart';
import { fieldMessages } from '../lib/problem';
import { MoneySummary } from '../money-summary';
import { useSession } from '../session';
import { Loading, Price, Problem, useAction, usePageTitle } from '../ui';

export function CartPage() {
  usePageTitle('Your cart');
  const { cart, error, add, setQuantity, remove, applyCode, removeCode } = useCart();
  const [code, setCode] = useState('');
  const apply = useAction(async () => {
    await applyCode(code);
    setCode('');
  });
  const takeOff = useAction(removeCode);
  const { user } = useSession();
  const change = useAction(setQuantity);
  // A line taken out can be put back as it was, until another is taken out.
  const [removed, setRemoved] = useState<{ sku: string; name: string; quantity: number }>();
  const drop = useAction(async (line: { sku: string; name: string; quantity: number }) => {
    await remove(line.sku);
    setRemoved({ sku: line.sku, name: line.name, quantity: line.quantity });
  });
  const undo = useAction(async () => {
    if (!removed) return;
    await add(removed.sku, removed.quantity);
    setRemoved(undefined);
  });
  const busy = change.busy || drop.busy || undo.busy;

  if (error && !cart) return <Problem error={error} />;
  if (!cart) return <Loading what="Loading your cart" />;
  return (
    <section className="cart">
      <h1>Your cart</h1>
      {cart.removed.length > 0 && (
        <p role="status">No longer for sale and taken out: {cart.removed.join(', ')}</p>
      )}
      {removed && (
        <p role="status">
          {removed.name} taken out.{' '}
          <button type="button" className="link" disabled={busy} onClick={() => void undo.run()}>
            Undo
          </button>
        </p>
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
                <QuantityStepper
                  name={line.name}
                  quantity={line.quantity}
                  disabled={busy}
                  onChange={(quantity) => void change.run(line.sku, quantity)}
                />
                <Price money={line.lineTotal} />
                <button
                  type="button"
                  className="link"
                  disabled={busy}
                  onClick={() => void drop.run(line)}
                  aria-label={`Remove ${line.name}`}
                >
                  Remove
                </button>
              </li>
            ))}
          </ul>
          <Problem error={change.error ?? drop.error ?? undo.error} />
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

/**
 * − and + a unit at a time, or a number typed and kept when the field is left (or Enter): a field
 * emptied on the way to another number changes nothing, and only Remove takes a line out.
 */
function QuantityStepper({
  name,
  quantity,
  disabled,
  onChange,
}: {
  name: string;
  quantity: number;
  disabled: boolean;
  onChange: (quantity: number) => void;
}) {
  const [typed, setTyped] = useState<string>();
  const keep = () => {
    const wanted = Number(typed);
    setTyped(undefined);
    if (Number.isInteger(wanted) && wanted >= 1 && wanted <= 99 && wanted !== quantity) {
      onChange(wanted);
    }
  };
  return (
    <span className="stepper">
      <button
        type="button"
        aria-label={`One fewer ${name}`}
        disabled={disabled || quantity <= 1}
        onClick={() => onChange(quantity - 1)}
      >
        −
      </button>
      <input
        className="quantity"
        type="number"
        min={1}
        max={99}
        aria-label={`Quantity of ${name}`}
        value={typed ?? quantity}
        disabled={disabled}
        onChange={(event) => setTyped(event.target.value)}
        onBlur={keep}
        onKeyDown={(event) => {
          if (event.key === 'Enter') keep();
        }}
      />
      <button
        type="button"
        aria-label={`One more ${name}`}
        disabled={disabled || quantity >= 99}
        onClick={() => onChange(quantity + 1)}
      >
        +
      </button>
    </span>
  );
}
