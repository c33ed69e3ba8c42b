import type { MailMessage } from '@bazaar/contracts/shop-api';
import { Loading, Problem, useApi } from '../ui';

/** The mail log: every message the shop sent or kept, with its status. */
export function Notifications() {
  const log = useApi<{ items: MailMessage[] }>('/api/admin/notifications?limit=50');
  if (log.error) return <Problem error={log.error} />;
  if (!log.data) return <Loading />;
  return (
    <table>
      <thead>
        <tr>
          <th>When</th>
          <th>To</th>
          <th>Subject</th>
          <th>Status</th>
        </tr>
      </thead>
      <tbody>
        {log.data.items.map((message) => (
          <tr key={message.id}>
            <td>{new Date(message.createdAt).toLocaleString()}</td>
            <td>{message.to ?? '—'}</td>
            <td>
              <details>
                <summary>{message.subject}</summary>
                <pre className="mail-text">{message.text}</pre>
              </details>
            </td>
            <td title={message.lastError ?? undefined}>
              {message.status}
              {message.attempts > 1 ? ` (${message.attempts} attempts)` : ''}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
