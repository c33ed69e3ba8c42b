import type { OrderReturn } from '@bazaar/contracts/shop-api';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { api } from '../api';
import { formatMoney } from '../lib/money';
import { orderNumber } from '../pages/Orders';
import { returnStatusLabels } from '../pages/Returns';
import { Loading, Problem, useAction, useApi } from '../ui';

const reasonLabels: Record<string, string> = {
  changed_mind: 'changed their mind',
  damaged: 'arrived damaged',
  wrong_item: 'wrong item sent',
  not_as_described: 'not as described',
  other: 'another reason',
};

/** Returns to decide on and parcels to receive: approve, reject saying why, receive (damaged units apart). */
export function AdminReturns() {
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? 'requested';
  const returns = useApi<{ items: OrderReturn[] }>(
    `/api/admin/returns${status === 'all' ? '' : `?status=${status}`}`,
  );
  return (
    <>
      <div className="toolbar">
        <label htmlFor="return-status">Status</label>
        <select
          id="return-status"
          value={status}
          onChange={(event) => setParams({ status: event.target.value })}
        >
          <option value="all">all</option>
          {Object.keys(returnStatusLabels).map((value) => (
            <option key={value}>{value}</option>
          ))}
        </select>
      </div>
      <Problem error={returns.error} />
      {!returns.data ? (
        <Loading />
      ) : returns.data.items.length === 0 ? (
        <p>No {status === 'all' ? '' : `${status} `}returns.</p>
      ) : (
        <ul className="lines">
          {returns.data.items.map((entry) => (
            <AdminReturn key={entry.id} entry={entry} onChange={returns.reload} />
          ))}
        </ul>
      )}
    </>
  );
}

function AdminReturn({ entry, onChange }: { entry: OrderReturn; onChange: () => Promise<void> }) {
  const [note, setNote] = useState('');
  const [damaged, setDamaged] = useState<Record<string, number>>({});
  const act = useAction(async (action: 'approve' | 'reject' | 'receive') => {
    const body =
      action === 'reject'
        ? { note }
        : action === 'receive'
          ? {
              damaged: Object.entries(damaged)
                .filter(([, quantity]) => quantity > 0)
                .map(([sku, quantity]) => ({ sku, quantity })),
            }
          : undefined;
    await api(`/api/admin/returns/${entry.id}/${action}`, { method: 'POST', body });
    await onChange();
  });
  const open = entry.status === 'requested' || entry.status === 'approved';
  return (
    <li className="line admin-return" data-return={entry.id}>
      <span>
        Order {orderNumber(entry.orderId)} · {entry.email} ·{' '}
        {entry.kind === 'cancellation'
          ? entry.reason
          : (reasonLabels[entry.reason] ?? entry.reason)}
      </span>
      <span>{entry.lines.map((line) => `${line.quantity} × ${line.name}`).join(', ')}</span>
      <span className={`status status-return-${entry.status}`}>{entry.status}</span>
      {entry.refund && <span>{formatMoney(entry.refunded ?? entry.refund.amount)} refunded</span>}
      {open && (
        <form
          className="toolbar"
          onSubmit={(event) => {
            event.preventDefault();
            void act.run('receive');
          }}
        >
          {entry.lines.map((line) => (
            <span key={line.sku}>
              <label htmlFor={`damaged-${entry.id}-${line.sku}`}>Damaged {line.name}</label>
              <input
                id={`damaged-${entry.id}-${line.sku}`}
                type="number"
                min={0}
                max={line.quantity}
                value={damaged[line.sku] ?? 0}
                onChange={(event) =>
                  setDamaged({ ...damaged, [line.sku]: Number(event.target.value) })
                }
              />
            </span>
          ))}
          <button type="submit" disabled={act.busy}>
            Parcel received: refund
          </button>
          {entry.status === 'requested' && (
            <>
              <button type="button" disabled={act.busy} onClick={() => void act.run('approve')}>
                Approve
              </button>
              <label htmlFor={`note-${entry.id}`}>Why not</label>
              <input
                id={`note-${entry.id}`}
                value={note}
                onChange={(event) => setNote(event.target.value)}
              />
              <button
                type="button"
                className="danger"
                disabled={act.busy || note.trim() === ''}
                onClick={() => void act.run('reject')}
              >
                Reject
              </button>
            </>
          )}
        </form>
      )}
      <Problem error={act.error} />
    </li>
  );
}
