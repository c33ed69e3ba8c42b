import { useState } from 'react';
import { Navigate, useNavigate } from 'react-router';
import { api } from '../api';
import { useCart } from '../cart';
import {
  type AddressForm,
  addressProblems,
  cardDigits,
  passesLuhn,
  testCards,
} from '../lib/checkout-form';
import { onDevelopmentMachine } from '../lib/development-machine';
import { ApiError, fieldMessages } from '../lib/problem';
import { useSession } from '../session';
import { Field, Loading, Price, Problem, useAction } from '../ui';

const countries = [
  ['GB', 'United Kingdom'],
  ['US', 'United States'],
  ['DE', 'Germany'],
  ['FR', 'France'],
  ['NL', 'Netherlands'],
  ['IE', 'Ireland'],
  ['ES', 'Spain'],
  ['IT', 'Italy'],
] as const;

export function Checkout() {
  const { user } = useSession();
  const { cart, followOrder } = useCart();
  const navigate = useNavigate();
  const [address, setAddress] = useState<AddressForm>({
    name: user?.name ?? '',
    line1: '',
    line2: '',
    city: '',
    postalCode: '',
    country: 'GB',
  });
  const [card, setCard] = useState('');
  const [checked, setChecked] = useState(false);
  // One key per attempt: a retry after a lost answer reuses it, so the order is made once.
  const [attempt, setAttempt] = useState<{ key: string; body: string }>();

  const problems = addressProblems(address);
  const cardProblem = passesLuhn(cardDigits(card)) ? undefined : 'Enter a valid card number.';
  const submit = useAction(async () => {
    setChecked(true);
    if (Object.keys(problems).length > 0 || cardProblem) return;
    const body = {
      shippingAddress: { ...address, line2: address.line2 || undefined },
      payment: { method: 'card', cardNumber: cardDigits(card) },
    };
    const serialized = JSON.stringify(body);
    const key = attempt?.body === serialized ? attempt.key : crypto.randomUUID();
    setAttempt({ key, body: serialized });
    try {
      const order = await api<{ id: string }>('/api/checkout', {
        method: 'POST',
        headers: { 'idempotency-key': key },
        body,
      });
      navigate(`/orders/${order.id}?placed=1`);
      void followOrder();
    } catch (error) {
      // A definite answer (declined, out of stock) ends this attempt; only a lost one is retried.
      if (error instanceof ApiError && error.status !== 0) setAttempt(undefined);
      throw error;
    }
  });

  if (!user) return <Navigate to="/signin?next=/checkout" replace />;
  if (!cart) return <Loading what="Loading your cart" />;
  if (cart.items.length === 0 && !submit.busy) return <Navigate to="/cart" replace />;
  const fromServer = fieldMessages(submit.error);
  const shown = (name: keyof AddressForm) =>
    (checked ? problems[name] : undefined) ?? fromServer[`shippingAddress.${name}`];
  const set =
    (name: keyof AddressForm) => (event: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
      setAddress({ ...address, [name]: event.target.value });

  return (
    <form
      className="checkout"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void submit.run();
      }}
    >
      <h1>Checkout</h1>
      <fieldset>
        <legend>Deliver to</legend>
        <Field
          label="Full name"
          name="name"
          autoComplete="name"
          value={address.name}
          onChange={set('name')}
          error={shown('name')}
        />
        <Field
          label="Address"
          name="line1"
          autoComplete="address-line1"
          value={address.line1}
          onChange={set('line1')}
          error={shown('line1')}
        />
        <Field
          label="Address line 2 (optional)"
          name="line2"
          autoComplete="address-line2"
          value={address.line2}
          onChange={set('line2')}
        />
        <Field
          label="City"
          name="city"
          autoComplete="address-level2"
          value={address.city}
          onChange={set('city')}
          error={shown('city')}
        />
        <Field
          label="Postal code"
          name="postalCode"
          autoComplete="postal-code"
          value={address.postalCode}
          onChange={set('postalCode')}
          error={shown('postalCode')}
        />
        <div className="field">
          <label htmlFor="field-country">Country</label>
          <select
            id="field-country"
            name="country"
            autoComplete="country"
            value={address.country}
            onChange={set('country')}
          >
            {countries.map(([code, name]) => (
              <option key={code} value={code}>
                {name}
              </option>
            ))}
          </select>
        </div>
      </fieldset>
      <fieldset>
        <legend>Pay with a card</legend>
        <Field
          label="Card number"
          name="cardNumber"
          inputMode="numeric"
          autoComplete="cc-number"
          value={card}
          onChange={(event) => setCard(event.target.value)}
          error={(checked ? cardProblem : undefined) ?? fromServer['payment.cardNumber']}
        />
        {onDevelopmentMachine && (
          <div className="hint">
            Test cards:
            <ul>
              {testCards.map((test) => (
                <li key={test.number}>
                  <code>{test.number}</code> {test.outcome}
                </li>
              ))}
            </ul>
          </div>
        )}
      </fieldset>
      {cart.subtotal && (
        <p className="big">
          {cart.itemCount} {cart.itemCount === 1 ? 'item' : 'items'},{' '}
          <Price money={cart.subtotal} /> plus shipping
        </p>
      )}
      <Problem error={submit.error} />
      <button type="submit" disabled={submit.busy}>
        {submit.busy ? 'Placing your order…' : 'Place order'}
      </button>
    </form>
  );
}
