import {
  type WebhookDelivery,
  type WebhookSubscription,
  webhookEventTypes,
} from '@bazaar/contracts/shop-api';
import { useState } from 'react';
import { api } from '../api';
import { fieldMessages } from '../lib/problem';
import { Field, Loading, Problem, useAction, useApi } from '../ui';

type WithSecret = WebhookSubscription & { secret: string };

/**
 * Webhook subscriptions: the systems that follow the shop's events, whether each is delivering,
 * a new one (its secret shown once), rotating a secret, and each one's delivery log with replays.
 */
export function Webhooks() {
  const list = useApi<{ items: WebhookSubscription[] }>('/api/admin/webhooks');
  const [url, setUrl] = useState('');
  const [types, setTypes] = useState<string[]>(['order.confirmed.v1']);
  const [secret, setSecret] = useState<{ url: string; secret: string }>();
  const [shown, setShown] = useState<string>();
  const create = useAction(async () => {
    const created = await api<WithSecret>('/api/admin/webhooks', {
      method: 'POST',
      body: { url: url.trim(), eventTypes: types },
    });
    setSecret({ url: created.url, secret: created.secret });
    setUrl('');
    await list.reload();
  });
  const change = useAction(async (subscription: WebhookSubscription, what: 'toggle' | 'rotate') => {
    if (what === 'rotate') {
      const rotated = await api<WithSecret>(
        `/api/admin/webhooks/${subscription.id}/rotate-secret`,
        { method: 'POST', body: {} },
      );
      setSecret({ url: rotated.url, secret: rotated.secret });
    } else {
      await api(`/api/admin/webhooks/${subscription.id}`, {
        method: 'PATCH',
        body: { enabled: !subscription.enabled },
      });
    }
    await list.reload();
  });
  if (list.error) return <Problem error={list.error} />;
  if (!list.data) return <Loading />;
  const errors = fieldMessages(create.error);

  return (
    <>
      {secret && (
        <p role="status">
          The signing secret of {secret.url}, shown this once: <code>{secret.secret}</code>
        </p>
      )}
      {list.data.items.length === 0 ? (
        <p>No system follows the shop yet.</p>
      ) : (
        <table>
          <caption>Subscriptions</caption>
          <thead>
            <tr>
              <th scope="col">URL</th>
              <th scope="col">Events</th>
              <th scope="col">State</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((subscription) => (
              <tr key={subscription.id}>
                <td>
                  <code>{subscription.url}</code>
                </td>
                <td>{subscription.eventTypes.join(', ')}</td>
                <td>
                  {!subscription.enabled
                    ? `Disabled: ${subscription.disabledReason ?? 'by an admin'}`
                    : subscription.failing
                      ? 'Failing, retrying'
                      : 'Delivering'}
                </td>
                <td>
                  <button
                    type="button"
                    disabled={change.busy}
                    onClick={() => void change.run(subscription, 'toggle')}
                  >
                    {subscription.enabled ? 'Disable' : 'Enable'}
                  </button>{' '}
                  <button
                    type="button"
                    disabled={change.busy}
                    onClick={() => void change.run(subscription, 'rotate')}
                  >
                    Rotate secret
                  </button>{' '}
                  <button type="button" onClick={() => setShown(subscription.id)}>
                    Deliveries
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Problem error={change.error} />
      {shown && <Deliveries subscriptionId={shown} />}
      <form
        className="edit"
        onSubmit={(event) => {
          event.preventDefault();
          void create.run();
        }}
      >
        <h2>New subscription</h2>
        <Field
          label="Receiver URL (https)"
          name="webhook-url"
          type="url"
          required
          value={url}
          onChange={(event) => setUrl(event.target.value)}
          error={errors.url}
        />
        <fieldset>
          <legend>Events</legend>
          {webhookEventTypes.map((type) => (
            <label key={type}>
              <input
                type="checkbox"
                checked={types.includes(type)}
                onChange={(event) =>
                  setTypes(
                    event.target.checked ? [...types, type] : types.filter((t) => t !== type),
                  )
                }
              />{' '}
              {type}
            </label>
          ))}
        </fieldset>
        <button type="submit" disabled={create.busy || types.length === 0}>
          Subscribe
        </button>
        <Problem error={create.error} />
      </form>
    </>
  );
}

/** A subscription's newest deliveries, each attempt's answer, and a way to send one again. */
function Deliveries({ subscriptionId }: { subscriptionId: string }) {
  const log = useApi<{ items: WebhookDelivery[] }>(
    `/api/admin/webhooks/${subscriptionId}/deliveries?limit=50`,
  );
  const replay = useAction(async (delivery: WebhookDelivery) => {
    await api(`/api/admin/webhooks/${subscriptionId}/deliveries/${delivery.id}/replay`, {
      method: 'POST',
    });
    await log.reload();
  });
  if (log.error) return <Problem error={log.error} />;
  if (!log.data) return <Loading />;
  return (
    <table>
      <caption>Deliveries, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Event</th>
          <th scope="col">Status</th>
          <th scope="col">Attempts</th>
          <th scope="col">Replay</th>
        </tr>
      </thead>
      <tbody>
        {log.data.items.map((delivery) => (
          <tr key={delivery.id}>
            <td>
              {delivery.eventType}
              <div>
                <code>{delivery.eventId}</code>
              </div>
            </td>
            <td>{delivery.status}</td>
            <td>
              {delivery.attempts
                .map(
                  (attempt) => `${attempt.statusCode ?? attempt.error} in ${attempt.durationMs} ms`,
                )
                .join('; ')}
            </td>
            <td>
              <button
                type="button"
                disabled={replay.busy}
                onClick={() => void replay.run(delivery)}
                aria-label={`Send again: ${delivery.eventType} ${delivery.eventId}`}
              >
                Send again
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
