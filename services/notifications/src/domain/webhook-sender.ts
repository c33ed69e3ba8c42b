import { type Pool, type PoolClient, withTransaction } from '@bazaar/db/pool';
import { type Periodic, runEvery } from '@bazaar/service-kit/periodic';
import type { FastifyBaseLogger } from 'fastify';
import { Counter, Histogram, type Registry } from 'prom-client';
import type { Agent, Dispatcher } from 'undici';
import {
  type Attempt,
  type DueDelivery,
  disableSubscription,
  leaseDueDeliveries,
  pruneWebhookLog,
  recordAttempt,
} from '../store/webhook-store.js';
import { signatureHeaders } from './webhook-signature.js';
import { guardedAgent, RefusedTarget } from './webhook-targets.js';

export type WebhookSettings = {
  intervalMs: number;
  timeoutMs: number;
  retryBaseMs: number;
  retryCapMs: number;
  /** The longest wait between two probes of a failing receiver. */
  probeCapMs: number;
  giveUpAfterMs: number;
  retentionDays: number;
  allowInternal: boolean;
  /** Deliveries in flight at once from this process, and of one subscription. */
  concurrency: number;
  perSubscription: number;
};

export type GiveUpAlert = (
  trx: PoolClient,
  given: { deliveryId: string; subscriptionId: string; url: string; reason: string },
) => Promise<void>;

const redirectsFollowed = 3;
const snippetBytes = 512;

/**
 * Delivers queued webhooks: up to `concurrency` at once, never more than `perSubscription` of one
 * subscription (one while it fails), so a slow or dead receiver takes only its own share and no
 * other subscription or the shop waits on it. Each attempt is logged; a failed one is tried again
 * after an exponential backoff with jitter, until `giveUpAfterMs` from its first attempt: then it
 * is given up, its subscription disabled and `alert` called. The log is pruned past its retention.
 * It looks for due deliveries every `intervalMs`, and at once when woken (some were just queued).
 */
export function startWebhookSender(
  db: Pool,
  settings: WebhookSettings,
  deps: { log: FastifyBaseLogger; metrics: Registry; alert: GiveUpAlert },
): Periodic {
  const outcomes = new Counter({
    name: 'bazaar_webhook_deliveries_total',
    help: 'Webhook delivery attempts, by outcome: delivered, failed (to be tried again), given_up.',
    labelNames: ['outcome'],
    registers: [deps.metrics],
  });
  const duration = new Histogram({
    name: 'bazaar_webhook_attempt_duration_seconds',
    help: 'Time from a webhook request to its answer or failure.',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [deps.metrics],
  });
  let agent: Promise<Agent> | undefined;
  const dispatcher = () =>
    (agent ??= guardedAgent({
      allowInternal: settings.allowInternal,
      timeoutMs: settings.timeoutMs,
    }));
  const inFlight = new Map<string, Set<Promise<void>>>();
  const failing = new Set<string>();
  let stopped = false;
  let pumping: Promise<void> | undefined;
  let again = false;

  const busySubscriptions = () =>
    [...inFlight].flatMap(([id, sends]) =>
      sends.size >= (failing.has(id) ? 1 : settings.perSubscription) ? [id] : [],
    );
  const inFlightCount = () => [...inFlight.values()].reduce((sum, sends) => sum + sends.size, 0);

  const deliver = async (delivery: DueDelivery) => {
    const attempt = await post(delivery, settings, await dispatcher());
    duration.observe(attempt.durationMs / 1000);
    const delivered = attempt.statusCode !== null && attempt.statusCode < 300;
    const now = Date.now();
    const givenUp =
      !delivered && now - delivery.firstAttemptedAt.getTime() >= settings.giveUpAfterMs;
    outcomes.inc({ outcome: delivered ? 'delivered' : givenUp ? 'given_up' : 'failed' });
    if (delivered) failing.delete(delivery.subscriptionId);
    else failing.add(delivery.subscriptionId);
    await withTransaction(db, async (trx) => {
      await recordAttempt(
        trx,
        delivery,
        attempt,
        delivered
          ? { delivered: true }
          : {
              delivered: false,
              retryAt: givenUp ? undefined : new Date(now + backoffMs(delivery.attempts, settings)),
              backoff: { baseMs: settings.retryBaseMs, capMs: settings.probeCapMs },
            },
      );
      if (givenUp) {
        const reason = `a delivery of event ${delivery.eventId} failed for ${Math.round((now - delivery.firstAttemptedAt.getTime()) / 3_600_000)} h (${attempt.error ?? `HTTP ${attempt.statusCode}`})`;
        if (await disableSubscription(trx, delivery.subscriptionId, reason)) {
          deps.log.error({ subscriptionId: delivery.subscriptionId, reason }, 'webhook disabled');
          await deps.alert(trx, {
            deliveryId: delivery.id,
            subscriptionId: delivery.subscriptionId,
            url: delivery.url,
            reason,
          });
        }
      }
    });
    deps.log.debug(
      { deliveryId: delivery.id, ms: attempt.durationMs, delivered },
      'webhook attempt',
    );
  };

  const start = (delivery: DueDelivery) => {
    if (delivery.failing) failing.add(delivery.subscriptionId);
    const sends = inFlight.get(delivery.subscriptionId) ?? new Set();
    inFlight.set(delivery.subscriptionId, sends);
    const sending: Promise<void> = deliver(delivery)
      .catch((error: unknown) =>
        deps.log.error(
          { err: error, deliveryId: delivery.id },
          'a webhook attempt was not recorded',
        ),
      )
      .finally(() => {
        sends.delete(sending);
        if (sends.size === 0) inFlight.delete(delivery.subscriptionId);
        void pump();
      });
    sends.add(sending);
  };

  /** Leases what there is room for; called on the timer and whenever a delivery finishes. */
  const pump = async (): Promise<void> => {
    if (pumping) {
      again = true;
      return pumping;
    }
    pumping = (async () => {
      do {
        again = false;
        while (!stopped) {
          const room = settings.concurrency - inFlightCount();
          if (room <= 0) break;
          const due = await leaseDueDeliveries(db, {
            limit: room,
            perSubscription: settings.perSubscription,
            busy: busySubscriptions(),
            leaseMs: settings.timeoutMs * (redirectsFollowed + 1) + 30_000,
          });
          for (const delivery of due) start(delivery);
          if (due.length < room) break;
        }
      } while (again && !stopped);
    })().finally(() => {
      pumping = undefined;
    });
    return pumping;
  };

  const pumpFailed = (error: unknown) =>
    deps.log.error({ err: error }, 'the webhook sender failed');
  const stopPump = runEvery(settings.intervalMs, pump, pumpFailed);
  const stopPruning = runEvery(
    3_600_000,
    () => pruneWebhookLog(db, settings.retentionDays),
    (error) => deps.log.error({ err: error }, 'pruning the webhook log failed'),
  );
  const stop = async () => {
    stopped = true;
    await stopPump();
    await stopPruning();
    await pumping;
    await Promise.all([...inFlight.values()].flatMap((sends) => [...sends]));
    await (await agent)?.close();
  };
  return Object.assign(stop, { wake: () => void pump().catch(pumpFailed) });
}

/** `retryBaseMs` doubled per attempt up to `retryCapMs`, then between half and all of it. */
export function backoffMs(attempts: number, settings: WebhookSettings): number {
  const ceiling = Math.min(settings.retryCapMs, settings.retryBaseMs * 2 ** (attempts - 1));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

/** One attempt: the signed POST, following up to 3 redirects that keep the method (307, 308). */
async function post(
  delivery: DueDelivery,
  settings: WebhookSettings,
  dispatcher: Dispatcher,
): Promise<Attempt> {
  const startedAt = performance.now();
  const took = () => Math.round(performance.now() - startedAt);
  let url = new URL(delivery.url);
  try {
    const { request } = await import('undici');
    for (let hop = 0; ; hop += 1) {
      if (url.protocol !== 'https:' && !(url.protocol === 'http:' && settings.allowInternal)) {
        throw new RefusedTarget(`${url.origin} is not https`);
      }
      const response = await request(url, {
        method: 'POST',
        dispatcher,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Bazaar-Webhooks/1',
          ...signatureHeaders(delivery, new Date()),
        },
        body: delivery.body,
        signal: AbortSignal.timeout(settings.timeoutMs),
      });
      const location = response.headers.location;
      if ((response.statusCode === 307 || response.statusCode === 308) && location) {
        await response.body.dump();
        if (hop === redirectsFollowed) throw new Error(`more than ${redirectsFollowed} redirects`);
        url = new URL(String(location), url);
        continue;
      }
      return {
        statusCode: response.statusCode,
        durationMs: took(),
        error: null,
        responseSnippet: await snippet(response.body),
      };
    }
  } catch (error) {
    return { statusCode: null, durationMs: took(), error: describe(error), responseSnippet: null };
  }
}

/** The first bytes of an answer, the rest left unread. */
async function snippet(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size >= snippetBytes) break;
  }
  body.destroy();
  return Buffer.concat(chunks).subarray(0, snippetBytes).toString('utf8');
}

function describe(error: unknown): string {
  if (error instanceof RefusedTarget) return `refused: ${error.message}`;
  const { name, code, message } = error as { name?: string; code?: string; message?: string };
  if (name === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT') return 'timed out';
  return code ? `${code}: ${message ?? ''}`.trim() : (message ?? String(error));
}
