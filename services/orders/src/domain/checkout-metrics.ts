import { DomainError } from '@bazaar/service-kit/errors';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/**
 * The checkout funnel as Prometheus sees it: outcomes (an order's final status, or why no order was
 * made), how long each took, and how many are running now (the orders HPA scales on that).
 */
export function checkoutMetrics(registry: Registry) {
  const outcomes = new Counter({
    name: 'bazaar_checkouts_total',
    help: 'Checkouts answered, by outcome: confirmed, rejected, payment_failed, pending, or the error code.',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'bazaar_checkout_duration_seconds',
    help: 'Time from a checkout request to its answer, by outcome.',
    labelNames: ['outcome'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20],
    registers: [registry],
  });
  const inFlight = new Gauge({
    name: 'bazaar_checkouts_in_flight',
    help: 'Checkouts being processed by this replica right now.',
    registers: [registry],
  });
  const recovered = new Counter({
    name: 'bazaar_checkouts_recovered_total',
    help: 'Checkouts a crash left pending that the sweeper recovered, by the status it gave them.',
    labelNames: ['status'],
    registers: [registry],
  });
  return {
    /** Runs a checkout, recording its outcome (the order's status, or the error that stopped it). */
    measure: async <T extends { order: { status: string } }>(
      work: () => Promise<T>,
    ): Promise<T> => {
      const stop = duration.startTimer();
      inFlight.inc();
      let outcome = 'error';
      try {
        const checkout = await work();
        outcome = checkout.order.status;
        return checkout;
      } catch (error) {
        if (error instanceof DomainError) outcome = error.code;
        throw error;
      } finally {
        inFlight.dec();
        outcomes.inc({ outcome });
        stop({ outcome });
      }
    },
    recovered: (status: string) => recovered.inc({ status }),
  };
}

export type CheckoutMetrics = ReturnType<typeof checkoutMetrics>;
