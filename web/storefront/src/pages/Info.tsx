import type { Region } from '@bazaar/contracts/shop-api';
import { Link } from 'react-router';
import { rateText } from '../lib/money';
import { countryName } from '../lib/people';
import { Loading, Problem, useApi, usePageTitle } from '../ui';

/** Where the shop ships, how fast, at what cost, and how long returns stay open: from the regions. */
export function ShippingAndReturns() {
  usePageTitle('Shipping and returns');
  const regions = useApi<{ items: Region[] }>('/api/regions');
  return (
    <section className="info">
      <h1>Shipping and returns</h1>
      <Problem error={regions.error} />
      {!regions.data ? (
        <Loading />
      ) : (
        regions.data.items.map((region) => (
          <section key={region.id} aria-labelledby={`region-${region.id}`}>
            <h2 id={`region-${region.id}`}>{region.name}</h2>
            <p>
              Prices in {region.currency},{' '}
              {region.taxIncluded ? 'tax included' : 'tax added at checkout'}. We deliver to{' '}
              {region.countries.map(countryName).join(', ')}.
            </p>
            <ul>
              {region.shippingOptions.map((option) => (
                <li key={option.id}>
                  {option.name}: {option.estimate}, {rateText(option.rate, region.currency)}
                </li>
              ))}
            </ul>
            <p>
              Returns: ask within {region.returnDays} days of shipping, from your order's page. Once
              the parcel reaches us, what you paid for the items goes back to your card, tax
              included; the delivery too when the whole order comes back.
            </p>
          </section>
        ))
      )}
    </section>
  );
}

export function Privacy() {
  usePageTitle('Privacy');
  return (
    <section className="info">
      <h1>Privacy</h1>
      <p>
        We keep what it takes to sell to you and nothing more: your name and email address, the
        addresses you ship to, your orders, and the brand and last four digits of the card you paid
        with. We never store card numbers.
      </p>
      <p>
        Your browser keeps your session and, before you sign in, your cart's token; no tracking and
        no advertising cookies. We write to you about your account and your orders only.
      </p>
      <p>
        To have your account and its data removed, write to us from its address. Orders are kept as
        long as tax law requires.
      </p>
    </section>
  );
}

export function Terms() {
  usePageTitle('Terms of sale');
  return (
    <section className="info">
      <h1>Terms of sale</h1>
      <p>
        Prices are those shown when you place an order, in your region's currency; your order is
        confirmed once the payment is taken, and the receipt we email is its record.
      </p>
      <p>
        You may cancel an order, or some of its items, until it ships, and return what you bought
        within your region's window (<Link to="/shipping-and-returns">shipping and returns</Link>).
        Refunds go back to the card you paid with.
      </p>
    </section>
  );
}
