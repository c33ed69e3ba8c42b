import type { AdminRegion, TaxRate } from '@bazaar/contracts/shop-api';
import { useState } from 'react';
import { api } from '../api';
import { rateText } from '../lib/money';
import { fieldMessages } from '../lib/problem';
import { Field, Loading, Problem, useAction, useApi } from '../ui';

type Option = AdminRegion['shippingOptions'][number];

/** A rate in millionths as a percentage: 66 250 → "6.625". */
const percentText = (ratePpm: number) => String(ratePpm / 10_000);

/** Where the shop sells: each region's currency, tax mode and countries, its shipping and its tax rates. */
export function Regions() {
  const regions = useApi<{ items: AdminRegion[] }>('/api/admin/regions');
  const rates = useApi<{ items: TaxRate[] }>('/api/admin/tax-rates');
  const [draft, setDraft] = useState({
    country: '',
    state: '',
    category: '',
    percent: '',
    name: '',
  });
  const toggle = useAction(async (regionId: string, option: Option) => {
    const { id, active, ...fields } = option;
    await api(`/api/admin/shipping-options/${id}`, {
      method: 'PUT',
      body: { ...fields, regionId, active: !active },
    });
    await regions.reload();
  });
  const saveRate = useAction(async () => {
    await api('/api/admin/tax-rates', {
      method: 'PUT',
      body: {
        country: draft.country,
        state: draft.state,
        category: draft.category,
        ratePpm: Math.round(Number(draft.percent) * 10_000),
        name: draft.name,
      },
    });
    setDraft({ country: '', state: '', category: '', percent: '', name: '' });
    await rates.reload();
  });
  const removeRate = useAction(async (rate: TaxRate) => {
    const query = new URLSearchParams({
      country: rate.country,
      state: rate.state,
      category: rate.category,
    });
    await api(`/api/admin/tax-rates?${query}`, { method: 'DELETE' });
    await rates.reload();
  });
  if (regions.error) return <Problem error={regions.error} />;
  if (!regions.data || !rates.data) return <Loading />;
  const errors = fieldMessages(saveRate.error);

  return (
    <>
      {regions.data.items.map((region) => (
        <section key={region.id} aria-labelledby={`region-${region.id}`}>
          <h2 id={`region-${region.id}`}>
            {region.name} ({region.currency})
          </h2>
          <p>
            Prices {region.taxIncluded ? 'include tax' : 'have tax added at checkout'}; shipping{' '}
            {region.taxShipping ? 'is' : 'is not'} taxed. Sells to {region.countries.join(', ')}.
          </p>
          <table>
            <caption>Shipping options</caption>
            <thead>
              <tr>
                <th>Option</th>
                <th>Delivery</th>
                <th>Price</th>
                <th>Countries</th>
                <th>Status</th>
              </tr>
            </thead>
            <tbody>
              {region.shippingOptions.map((option) => (
                <tr key={option.id}>
                  <td>{option.name}</td>
                  <td>{option.estimate}</td>
                  <td>{rateText(option.rate, region.currency)}</td>
                  <td>{option.countries.length > 0 ? option.countries.join(', ') : 'all'}</td>
                  <td>
                    {option.active ? 'Offered' : 'Paused'}{' '}
                    <button
                      type="button"
                      disabled={toggle.busy}
                      onClick={() => void toggle.run(region.id, option)}
                      aria-label={`${option.active ? 'Pause' : 'Offer'} ${option.name} in ${region.name}`}
                    >
                      {option.active ? 'Pause' : 'Offer'}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
      <Problem error={toggle.error} />
      <section aria-labelledby="tax-rates">
        <h2 id="tax-rates">Tax rates</h2>
        <table>
          <thead>
            <tr>
              <th>Country</th>
              <th>State</th>
              <th>Category</th>
              <th>Rate</th>
              <th>Name</th>
              <th>
                <span className="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rates.data.items.map((rate) => (
              <tr key={`${rate.country}/${rate.state}/${rate.category}`}>
                <td>{rate.country}</td>
                <td>{rate.state || 'all'}</td>
                <td>{rate.category || 'all'}</td>
                <td>{percentText(rate.ratePpm)} %</td>
                <td>{rate.name}</td>
                <td>
                  <button
                    type="button"
                    disabled={removeRate.busy}
                    onClick={() => void removeRate.run(rate)}
                    aria-label={`Remove ${rate.name}`}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <Problem error={removeRate.error} />
        <form
          className="edit"
          onSubmit={(event) => {
            event.preventDefault();
            void saveRate.run();
          }}
        >
          <h3>Set a rate</h3>
          <Field
            label="Country (ISO code)"
            name="rate-country"
            required
            value={draft.country}
            onChange={(event) => setDraft({ ...draft, country: event.target.value.toUpperCase() })}
            error={errors.country}
          />
          <Field
            label="State (optional)"
            name="rate-state"
            value={draft.state}
            onChange={(event) => setDraft({ ...draft, state: event.target.value.toUpperCase() })}
            error={errors.state}
          />
          <Field
            label="Category (optional)"
            name="rate-category"
            value={draft.category}
            onChange={(event) => setDraft({ ...draft, category: event.target.value })}
            error={errors.category}
          />
          <Field
            label="Rate (%)"
            name="rate-percent"
            inputMode="decimal"
            required
            value={draft.percent}
            onChange={(event) => setDraft({ ...draft, percent: event.target.value })}
            error={errors.ratePpm}
          />
          <Field
            label="Name"
            name="rate-name"
            required
            value={draft.name}
            onChange={(event) => setDraft({ ...draft, name: event.target.value })}
            error={errors.name}
          />
          <Problem error={saveRate.error} />
          <button type="submit" disabled={saveRate.busy}>
            Set the rate
          </button>
        </form>
      </section>
    </>
  );
}
