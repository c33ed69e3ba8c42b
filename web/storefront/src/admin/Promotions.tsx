import type { Promotion, Region } from '@bazaar/contracts/shop-api';
import { useState } from 'react';
import { api } from '../api';
import { formatMoney, minorUnits } from '../lib/money';
import { fieldMessages } from '../lib/problem';
import { Field, Loading, Problem, useAction, useApi } from '../ui';
import { CategoryOptions } from './CategoryOptions';

type Draft = {
  code: string;
  description: string;
  kind: Promotion['kind'];
  percent: string;
  amount: string;
  currency: string;
  category: string;
  minSubtotal: string;
  startsAt: string;
  endsAt: string;
  usageLimit: string;
  perCustomerLimit: string;
};

const emptyDraft: Draft = {
  code: '',
  description: '',
  kind: 'percentage',
  percent: '',
  amount: '',
  currency: '',
  category: '',
  minSubtotal: '',
  startsAt: '',
  endsAt: '',
  usageLimit: '',
  perCustomerLimit: '',
};

/** What a code takes off, as staff read it: "10 % off books", "£5.00 off", "Free shipping". */
function offer(promotion: Promotion): string {
  const what =
    promotion.kind === 'percentage'
      ? `${promotion.percent} % off`
      : promotion.kind === 'fixed'
        ? `${formatMoney({ amount: promotion.amount ?? 0, currency: promotion.currency ?? 'USD' })} off`
        : 'Free shipping';
  return promotion.category ? `${what} ${promotion.category}` : what;
}

const whole = (text: string) => (text.trim() === '' ? null : Number(text));
/** A `datetime-local` value, in the admin's time zone, as an instant. */
const instant = (text: string) => (text === '' ? null : new Date(text).toISOString());

/** Promotion codes: what each takes off, its limits and uses; new ones; pause and resume. */
export function Promotions() {
  const list = useApi<{ items: Promotion[] }>('/api/admin/promotions?limit=100');
  const regions = useApi<{ items: Region[] }>('/api/regions');
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const currencies = [...new Set(regions.data?.items.map((region) => region.currency) ?? [])];
  const currency = draft.currency || currencies[0] || 'USD';
  const create = useAction(async () => {
    const money = (text: string) => (text.trim() === '' ? null : minorUnits(text, currency));
    const needsCurrency = draft.kind === 'fixed' || draft.minSubtotal.trim() !== '';
    await api('/api/admin/promotions', {
      method: 'POST',
      body: {
        code: draft.code.trim(),
        description: draft.description,
        kind: draft.kind,
        percent: draft.kind === 'percentage' ? whole(draft.percent) : null,
        amount: draft.kind === 'fixed' ? money(draft.amount) : null,
        currency: needsCurrency ? currency : null,
        category: draft.category || null,
        minSubtotal: money(draft.minSubtotal),
        startsAt: instant(draft.startsAt),
        endsAt: instant(draft.endsAt),
        usageLimit: whole(draft.usageLimit),
        perCustomerLimit: whole(draft.perCustomerLimit),
      },
    });
    setDraft(emptyDraft);
    await list.reload();
  });
  const toggle = useAction(async (promotion: Promotion) => {
    await api(`/api/admin/promotions/${promotion.id}`, {
      method: 'PATCH',
      body: { active: !promotion.active },
    });
    await list.reload();
  });
  if (list.error) return <Problem error={list.error} />;
  if (!list.data || !regions.data) return <Loading />;
  const errors = fieldMessages(create.error);
  const update = (change: Partial<Draft>) => setDraft({ ...draft, ...change });

  return (
    <>
      <table>
        <thead>
          <tr>
            <th>Code</th>
            <th>Offer</th>
            <th>Uses</th>
            <th>Runs</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          {list.data.items.map((promotion) => (
            <tr key={promotion.id}>
              <td>
                <code>{promotion.code}</code>
                {promotion.description && <div>{promotion.description}</div>}
              </td>
              <td>
                {offer(promotion)}
                {promotion.minSubtotal !== null &&
                  ` on ${formatMoney({ amount: promotion.minSubtotal, currency: promotion.currency ?? 'USD' })} or more`}
              </td>
              <td>
                {promotion.uses}
                {promotion.usageLimit !== null && ` of ${promotion.usageLimit}`}
                {promotion.perCustomerLimit !== null &&
                  ` (${promotion.perCustomerLimit} per customer)`}
              </td>
              <td>
                {new Date(promotion.startsAt).toLocaleDateString()} –{' '}
                {promotion.endsAt ? new Date(promotion.endsAt).toLocaleDateString() : 'no end'}
              </td>
              <td>
                {promotion.active ? 'Active' : 'Paused'}{' '}
                <button
                  type="button"
                  disabled={toggle.busy}
                  onClick={() => void toggle.run(promotion)}
                  aria-label={`${promotion.active ? 'Pause' : 'Resume'} ${promotion.code}`}
                >
                  {promotion.active ? 'Pause' : 'Resume'}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Problem error={toggle.error} />
      <form
        className="edit"
        onSubmit={(event) => {
          event.preventDefault();
          void create.run();
        }}
      >
        <h2>New code</h2>
        <Field
          label="Code"
          name="promotion-code"
          required
          value={draft.code}
          onChange={(event) => update({ code: event.target.value.toUpperCase() })}
          error={errors.code}
        />
        <Field
          label="Description"
          name="promotion-description"
          value={draft.description}
          onChange={(event) => update({ description: event.target.value })}
        />
        <div className="field">
          <label htmlFor="promotion-kind">Takes off</label>
          <select
            id="promotion-kind"
            value={draft.kind}
            onChange={(event) => update({ kind: event.target.value as Draft['kind'] })}
          >
            <option value="percentage">a percentage</option>
            <option value="fixed">an amount</option>
            <option value="free_shipping">the shipping</option>
          </select>
        </div>
        {draft.kind === 'percentage' && (
          <Field
            label="Percent off"
            name="promotion-percent"
            type="number"
            min={1}
            max={100}
            required
            value={draft.percent}
            onChange={(event) => update({ percent: event.target.value })}
            error={errors.percent}
          />
        )}
        <div className="field">
          <label htmlFor="promotion-currency">Currency (of an amount off and a minimum)</label>
          <select
            id="promotion-currency"
            value={currency}
            onChange={(event) => update({ currency: event.target.value })}
          >
            {currencies.map((code) => (
              <option key={code} value={code}>
                {code}
              </option>
            ))}
          </select>
        </div>
        {draft.kind === 'fixed' && (
          <Field
            label={`Amount off (${currency})`}
            name="promotion-amount"
            inputMode="decimal"
            required
            value={draft.amount}
            onChange={(event) => update({ amount: event.target.value })}
            error={errors.amount}
          />
        )}
        {draft.kind !== 'free_shipping' && (
          <div className="field">
            <label htmlFor="promotion-category">Only on</label>
            <select
              id="promotion-category"
              value={draft.category}
              onChange={(event) => update({ category: event.target.value })}
            >
              <option value="">the whole order</option>
              <CategoryOptions departments />
            </select>
          </div>
        )}
        <Field
          label={`Minimum subtotal (${currency}, optional)`}
          name="promotion-minimum"
          inputMode="decimal"
          value={draft.minSubtotal}
          onChange={(event) => update({ minSubtotal: event.target.value })}
          error={errors.minSubtotal}
        />
        <Field
          label="Starts (optional: now)"
          name="promotion-starts"
          type="datetime-local"
          value={draft.startsAt}
          onChange={(event) => update({ startsAt: event.target.value })}
          error={errors.startsAt}
        />
        <Field
          label="Ends (optional)"
          name="promotion-ends"
          type="datetime-local"
          value={draft.endsAt}
          onChange={(event) => update({ endsAt: event.target.value })}
          error={errors.endsAt}
        />
        <Field
          label="Uses in all (optional)"
          name="promotion-usage-limit"
          type="number"
          min={1}
          value={draft.usageLimit}
          onChange={(event) => update({ usageLimit: event.target.value })}
          error={errors.usageLimit}
        />
        <Field
          label="Uses per customer (optional)"
          name="promotion-customer-limit"
          type="number"
          min={1}
          value={draft.perCustomerLimit}
          onChange={(event) => update({ perCustomerLimit: event.target.value })}
          error={errors.perCustomerLimit}
        />
        <Problem error={create.error} />
        <button type="submit" disabled={create.busy}>
          {create.busy ? 'Saving…' : 'Add the code'}
        </button>
      </form>
    </>
  );
}
