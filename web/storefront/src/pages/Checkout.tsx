import type { Order, Region, ShippingChoice } from '@bazaar/contracts/shop-api';
import { useEffect, useState } from 'react';
import { Link, Navigate, useNavigate } from 'react-router';
import { api } from '../api';
import { useCart } from '../cart';
import {
  type AddressForm,
  addressProblems,
  type CardForm,
  cardBrandOf,
  cardDigits,
  cardProblems,
  expiryText,
  statesOf,
  testCards,
} from '../lib/checkout-form';
import { onDevelopmentMachine } from '../lib/development-machine';
import { brandName } from '../lib/people';
import { ApiError, fieldMessages, nextStepAfter } from '../lib/problem';
import { MoneySummary } from '../money-summary';
import { useSession } from '../session';
import {
  Field,
  Loading,
  Price,
  Problem,
  SelectField,
  useAction,
  useApi,
  usePageTitle,
} from '../ui';

const countryNames = new Intl.DisplayNames(['en'], { type: 'region' });

export function Checkout() {
  usePageTitle('Checkout');
  const { user } = useSession();
  const { cart, followOrder, choose } = useCart();
  const navigate = useNavigate();
  const regions = useApi<{ items: Region[] }>('/api/regions');
  // Asked again whenever the cart changes: the prices depend on its goods and where they go.
  const [shippingOptions, setShippingOptions] = useState<ShippingChoice[]>();
  const priced = cart && `${cart.region} ${cart.country} ${cart.subtotal.amount}`;
  useEffect(() => {
    if (!priced) return;
    let current = true;
    api<{ items: ShippingChoice[] }>('/api/cart/shipping-options')
      .then((answer) => current && setShippingOptions(answer.items))
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [priced]);
  const [address, setAddress] = useState<AddressForm>({
    name: user?.name ?? '',
    line1: '',
    line2: '',
    city: '',
    postalCode: '',
    country: cart?.country ?? 'GB',
    state: cart?.state ?? '',
  });
  // The country and state price the cart: the region (and currency) follow the country.
  const place = useAction(async (country: string, state: string) => {
    await choose({ country, state: statesOf[country]?.includes(state) ? state : null });
  });
  // A signed-in shopper's address is the one their last order went to, until they type another.
  const [typed, setTyped] = useState(false);
  const lastOrder = useApi<{ items: Order[] }>(user ? '/api/orders?limit=1' : undefined);
  const lastAddress = lastOrder.data?.items[0]?.shippingAddress;
  useEffect(() => {
    if (!lastAddress || typed) return;
    setAddress({ ...lastAddress, line2: lastAddress.line2 ?? '', state: lastAddress.state ?? '' });
    void place.run(lastAddress.country, lastAddress.state ?? '');
    setTyped(true);
  }, [lastAddress, typed, place.run]);
  // The option clicked shows chosen at once; the cart's answer then prices it.
  const [clicked, setClicked] = useState<string>();
  const ship = useAction(async (id: string) => {
    setClicked(id);
    await choose({ shippingOptionId: id }).finally(() => setClicked(undefined));
  });
  const [card, setCard] = useState<CardForm>({ number: '', expiry: '', cvc: '', name: '' });
  const typeCard = (change: Partial<CardForm>) => setCard((typed) => ({ ...typed, ...change }));
  const brand = cardBrandOf(cardDigits(card.number));
  // A guest gives an address for the receipt; a signed-in shopper's is the account's.
  const [email, setEmail] = useState('');
  const emailProblem =
    user || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())
      ? undefined
      : 'Enter the email address for your receipt.';
  const [checked, setChecked] = useState(false);
  // One key per attempt: a retry after a lost answer reuses it, so the order is made once.
  const [attempt, setAttempt] = useState<{ key: string; body: string }>();

  const problems = addressProblems(address);
  const cardProblem = cardProblems(card);
  const submit = useAction(async () => {
    setChecked(true);
    if (Object.keys(problems).length > 0 || Object.keys(cardProblem).length > 0 || emailProblem) {
      return;
    }
    const body = {
      ...(user ? {} : { email: email.trim() }),
      shippingAddress: {
        ...address,
        line2: address.line2 || undefined,
        state: statesOf[address.country] ? address.state : undefined,
      },
      shippingOptionId: cart?.shippingOption?.id,
      payment: {
        method: 'card',
        cardNumber: cardDigits(card.number),
        expiry: expiryText(card.expiry),
        cvc: card.cvc.trim(),
        name: card.name.trim(),
      },
    };
    const serialized = JSON.stringify(body);
    const key = attempt?.body === serialized ? attempt.key : crypto.randomUUID();
    setAttempt({ key, body: serialized });
    try {
      const order = await api<{ id: string; accessToken?: string }>('/api/checkout', {
        method: 'POST',
        headers: { 'idempotency-key': key },
        body,
      });
      // The order's own link opens it without an account; a repeated answer carries none.
      navigate(
        order.accessToken && !user
          ? `/order/${order.accessToken}?placed=1`
          : `/orders/${order.id}?placed=1`,
      );
      void followOrder();
    } catch (error) {
      // A definite answer (declined, out of stock) ends this attempt; only a lost one is retried.
      if (error instanceof ApiError && error.status !== 0) setAttempt(undefined);
      throw error;
    }
  });

  if (!cart) return <Loading what="Loading your cart" />;
  if (cart.items.length === 0 && !submit.busy) return <Navigate to="/cart" replace />;
  const fromServer = fieldMessages(submit.error);
  const shown = (name: keyof AddressForm) =>
    (checked ? problems[name] : undefined) ?? fromServer[`shippingAddress.${name}`];
  const set =
    (name: keyof AddressForm) =>
    (event: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => {
      setTyped(true);
      setAddress({ ...address, [name]: event.target.value });
    };
  const setPlace = (change: Partial<Pick<AddressForm, 'country' | 'state'>>) => {
    const next = { ...address, ...change };
    setTyped(true);
    setAddress(next);
    void place.run(next.country, next.state);
  };
  const countries = (regions.data?.items ?? [])
    .flatMap((region) => region.countries)
    .map((code) => [code, countryNames.of(code) ?? code] as const)
    .sort((a, b) => a[1].localeCompare(b[1]));
  const states = statesOf[address.country];

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
      <div className="checkout-details">
        {!user && (
          <fieldset>
            <legend>Contact</legend>
            <Field
              label="Email for the receipt"
              name="email"
              type="email"
              autoComplete="email"
              value={email}
              onChange={(event) => setEmail(event.target.value)}
              error={(checked ? emailProblem : undefined) ?? fromServer.email}
            />
            <p className="hint">
              Checking out as a guest. <Link to="/signin?next=/checkout">Sign in</Link> to use your
              account.
            </p>
          </fieldset>
        )}
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
          <SelectField
            label="Country"
            name="country"
            autoComplete="country"
            value={address.country}
            disabled={place.busy}
            onChange={(event) => setPlace({ country: event.target.value, state: '' })}
            options={countries.length > 0 ? countries : [[address.country, address.country]]}
            error={fromServer['shippingAddress.country']}
          />
          {states && (
            <SelectField
              label="State"
              name="state"
              autoComplete="address-level1"
              value={address.state}
              disabled={place.busy}
              onChange={(event) => setPlace({ state: event.target.value })}
              options={[['', 'Choose…'], ...states.map((code) => [code, code] as const)]}
              error={shown('state')}
            />
          )}
          <Problem error={place.error} />
        </fieldset>
        <fieldset>
          <legend>Shipping</legend>
          {shippingOptions?.map((option) => (
            <label key={option.id} className="choice">
              <input
                type="radio"
                name="shippingOption"
                value={option.id}
                checked={(clicked ?? cart.shippingOption?.id) === option.id}
                disabled={ship.busy}
                onChange={() => void ship.run(option.id)}
              />
              {option.name} ({option.estimate}):{' '}
              {option.price.amount === 0 ? 'free' : <Price money={option.price} />}
            </label>
          ))}
          {shippingOptions?.length === 0 && (
            <p>We do not deliver to {countryNames.of(address.country)} yet.</p>
          )}
          {fromServer.shippingOptionId && (
            <span className="field-error">{fromServer.shippingOptionId}</span>
          )}
          <Problem error={ship.error} />
        </fieldset>
        <fieldset>
          <legend>Pay with a card</legend>
          <Field
            label="Name on card"
            name="cardName"
            autoComplete="cc-name"
            value={card.name}
            onChange={(event) => typeCard({ name: event.target.value })}
            error={(checked ? cardProblem.name : undefined) ?? fromServer['payment.name']}
          />
          <Field
            label={brand ? `Card number (${brandName(brand)})` : 'Card number'}
            name="cardNumber"
            inputMode="numeric"
            autoComplete="cc-number"
            value={card.number}
            onChange={(event) => typeCard({ number: event.target.value })}
            error={(checked ? cardProblem.number : undefined) ?? fromServer['payment.cardNumber']}
          />
          <div className="card-row">
            <Field
              label="Expiry (MM/YY)"
              name="cardExpiry"
              inputMode="numeric"
              autoComplete="cc-exp"
              placeholder="MM/YY"
              value={card.expiry}
              onChange={(event) => typeCard({ expiry: event.target.value })}
              error={(checked ? cardProblem.expiry : undefined) ?? fromServer['payment.expiry']}
            />
            <Field
              label="Security code"
              name="cardCvc"
              inputMode="numeric"
              autoComplete="cc-csc"
              maxLength={4}
              value={card.cvc}
              onChange={(event) => typeCard({ cvc: event.target.value })}
              error={(checked ? cardProblem.cvc : undefined) ?? fromServer['payment.cvc']}
            />
          </div>
          {onDevelopmentMachine && (
            <div className="hint">
              Test cards, with any future expiry and any 3-digit code (4 on American Express):
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
      </div>
      <section className="order-summary" aria-labelledby="summary-heading">
        <h2 id="summary-heading">
          Your order: {cart.itemCount} {cart.itemCount === 1 ? 'item' : 'items'}
        </h2>
        <ul className="lines summary-lines">
          {cart.items.map((line) => (
            <li key={line.sku} className="line">
              {line.image ? (
                <img src={line.image} alt="" width={48} height={48} loading="lazy" />
              ) : null}
              <span>
                {line.name}
                <span className="meta">
                  {' '}
                  {line.quantity} × <Price money={line.unitPrice} />
                </span>
              </span>
              <Price money={line.lineTotal} />
            </li>
          ))}
        </ul>
        <MoneySummary charged={cart} />
        <Problem error={submit.error} />
        {nextStepAfter(submit.error) && <p className="hint">{nextStepAfter(submit.error)}</p>}
        {/* Not while the cart is being priced for a new place or option: the order is what it shows. */}
        <button type="submit" disabled={submit.busy || place.busy || ship.busy}>
          {submit.busy ? 'Placing your order…' : 'Place order'}
        </button>
      </section>
    </form>
  );
}
