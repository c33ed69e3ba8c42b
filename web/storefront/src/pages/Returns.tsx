import type { OrderDetail, OrderReturn, ReturnReason } from '@bazaar/contracts/shop-api';
import { useState } from 'react';
import { api } from '../api';
import { Price, Problem, SelectField, useAction } from '../ui';

export const returnStatusLabels: Record<OrderReturn['status'], string> = {
  requested: 'Asked for: waiting for the shop',
  approved: 'Approved: send the parcel',
  rejected: 'Not accepted',
  received: 'Received: refund on its way',
  refunded: 'Refunded',
};

const reasons: ReadonlyArray<readonly [ReturnReason, string]> = [
  ['changed_mind', 'I changed my mind'],
  ['damaged', 'It arrived damaged'],
  ['wrong_item', 'I was sent the wrong item'],
  ['not_as_described', 'It is not as described'],
  ['other', 'Another reason'],
];

/** Units of each line no return (but a rejected one) has taken yet. */
function unitsLeft(order: OrderDetail): Map<string, number> {
  const left = new Map(order.lines.map((line) => [line.sku, line.quantity]));
  for (const entry of order.returns.filter((candidate) => candidate.status !== 'rejected')) {
    for (const line of entry.lines) left.set(line.sku, (left.get(line.sku) ?? 0) - line.quantity);
  }
  return left;
}

/**
 * An order's returns and cancelled items, and the form to ask for more: a return of a shipped
 * order within its window (`returnsPath`, the signed-in or the link's), or, for a confirmed order
 * not yet shipped, a cancellation of some items (`cancelPath`, signed in).
 */
export function Returns({
  order,
  returnsPath,
  cancelPath,
  onChange,
}: {
  order: OrderDetail;
  returnsPath: string;
  cancelPath?: string | undefined;
  onChange: () => Promise<void>;
}) {
  const left = unitsLeft(order);
  const open =
    order.status === 'shipped' &&
    order.returnsOpenUntil !== null &&
    Date.parse(order.returnsOpenUntil) > Date.now();
  const cancellable = order.status === 'confirmed' && cancelPath !== undefined;
  return (
    <section className="returns" aria-labelledby="returns-heading">
      <h2 id="returns-heading">Returns</h2>
      {order.returns.length > 0 && (
        <ul className="lines">
          {order.returns.map((entry) => (
            <li key={entry.id} className="line">
              <span>
                {entry.kind === 'cancellation' ? 'Cancelled: ' : 'Return: '}
                {entry.lines.map((line) => `${line.quantity} × ${line.name}`).join(', ')}
              </span>
              <span className={`status status-return-${entry.status}`}>
                {entry.kind === 'cancellation' && entry.status === 'refunded'
                  ? 'Cancelled and refunded'
                  : returnStatusLabels[entry.status]}
                {entry.note && `: ${entry.note}`}
              </span>
              {entry.refund && <Price money={entry.refunded ?? entry.refund.amount} />}
            </li>
          ))}
        </ul>
      )}
      {open && order.returnsOpenUntil && (
        <UnitsForm
          order={order}
          left={left}
          path={returnsPath}
          askReason
          legend={`Return items (until ${new Date(order.returnsOpenUntil).toLocaleDateString()})`}
          submit="Ask for a return"
          onDone={onChange}
        />
      )}
      {order.status === 'shipped' && !open && (
        <p className="hint">The time to ask for a return of this order is over.</p>
      )}
      {cancellable && cancelPath && (
        <UnitsForm
          order={order}
          left={left}
          path={cancelPath}
          legend="Cancel some items (not shipped yet)"
          submit="Cancel these items"
          onDone={onChange}
        />
      )}
    </section>
  );
}

function UnitsForm({
  order,
  left,
  path,
  legend,
  submit,
  askReason = false,
  onDone,
}: {
  order: OrderDetail;
  left: Map<string, number>;
  path: string;
  legend: string;
  submit: string;
  askReason?: boolean;
  onDone: () => Promise<void>;
}) {
  const [units, setUnits] = useState<Record<string, number>>({});
  const [reason, setReason] = useState<ReturnReason>('changed_mind');
  const lines = Object.entries(units)
    .filter(([, quantity]) => quantity > 0)
    .map(([sku, quantity]) => ({ sku, quantity }));
  const send = useAction(async () => {
    await api(path, { method: 'POST', body: askReason ? { lines, reason } : { lines } });
    setUnits({});
    await onDone();
  });
  const choosable = order.lines.filter((line) => (left.get(line.sku) ?? 0) > 0);
  if (choosable.length === 0) return null;
  return (
    <form
      className="units-form"
      onSubmit={(event) => {
        event.preventDefault();
        void send.run();
      }}
    >
      <fieldset>
        <legend>{legend}</legend>
        {choosable.map((line) => (
          <SelectField
            key={line.sku}
            label={line.name}
            name={`units-${line.sku}`}
            value={String(units[line.sku] ?? 0)}
            onChange={(event) => setUnits({ ...units, [line.sku]: Number(event.target.value) })}
            options={Array.from({ length: (left.get(line.sku) ?? 0) + 1 }, (_, count) => [
              String(count),
              count === 0 ? 'none' : `${count} of ${line.quantity}`,
            ])}
          />
        ))}
        {askReason && (
          <SelectField
            label="Why"
            name="return-reason"
            value={reason}
            onChange={(event) => setReason(event.target.value as ReturnReason)}
            options={reasons}
          />
        )}
        <button type="submit" disabled={send.busy || lines.length === 0}>
          {submit}
        </button>
      </fieldset>
      <Problem error={send.error} />
    </form>
  );
}
