/**
 * What a piece of work cost the shop in countable units, read from each service's /metrics before
 * and after it: statements and transactions sent to PostgreSQL (by pool: a service's own database,
 * its bus, its LISTEN), HTTP requests each service answered and the bytes they carried. These do
 * not depend on how busy the machine is, so a change's effect shows in them first.
 */
export type ServiceCosts = {
  statements: Record<string, number>;
  transactions: Record<string, number>;
  requests: number;
  bytes: number;
};
export type Costs = Record<string, ServiceCosts>;

const series = /^([a-z_]+)\{([^}]*)\} ([0-9.e+]+)$/;

/** The counters of each service's metrics endpoint now. */
export async function readCosts(metricsUrls: Readonly<Record<string, string>>): Promise<Costs> {
  const entries = await Promise.all(
    Object.entries(metricsUrls).map(async ([service, url]) => {
      const text = await (await fetch(url)).text();
      const costs: ServiceCosts = { statements: {}, transactions: {}, requests: 0, bytes: 0 };
      for (const line of text.split('\n')) {
        const [, name, labels = '', value] = series.exec(line) ?? [];
        if (!name || value === undefined) continue;
        const label = (key: string) => new RegExp(`${key}="([^"]*)"`).exec(labels)?.[1] ?? '';
        const amount = Number(value);
        if (name === 'bazaar_db_statements_total') costs.statements[label('pool')] = amount;
        if (name === 'bazaar_db_transactions_total') costs.transactions[label('pool')] = amount;
        if (name === 'http_requests_total') costs.requests += amount;
        if (name === 'http_bytes_total') costs.bytes += amount;
      }
      return [service, costs] as const;
    }),
  );
  return Object.fromEntries(entries);
}

const none: ServiceCosts = { statements: {}, transactions: {}, requests: 0, bytes: 0 };

/**
 * What happened between two readings, divided by `per` (the units of work done meanwhile), less
 * what an idle shop does in as many seconds (`idle.perSecond`, as this function gave it).
 */
export function costsBetween(
  before: Costs,
  after: Costs,
  options: { per: number; idle?: { perSecond: Costs; seconds: number } },
): Costs {
  const { per, idle } = options;
  const each = (
    from: Record<string, number>,
    to: Record<string, number>,
    idling: Record<string, number>,
  ) =>
    Object.fromEntries(
      Object.entries(to)
        .map(([key, value]) => {
          const spent = value - (from[key] ?? 0) - (idling[key] ?? 0) * (idle?.seconds ?? 0);
          return [key, round(Math.max(0, spent) / per)] as const;
        })
        .filter(([, value]) => value > 0),
    );
  return Object.fromEntries(
    Object.entries(after).map(([service, to]) => {
      const from = before[service] ?? none;
      const idling = idle?.perSecond[service] ?? none;
      return [
        service,
        {
          statements: each(from.statements, to.statements, idling.statements),
          transactions: each(from.transactions, to.transactions, idling.transactions),
          requests: round((to.requests - from.requests) / per),
          bytes: Math.round((to.bytes - from.bytes) / per),
        },
      ];
    }),
  );
}

/** One line per kind of cost: each service's share, busiest first, and the sum. */
export function costLines(costs: Costs): string[] {
  const line = (label: string, value: (service: ServiceCosts) => number) => {
    const shares = Object.entries(costs)
      .map(([service, cost]) => [service, value(cost)] as const)
      .filter(([, amount]) => amount > 0)
      .sort(([, a], [, b]) => b - a);
    const total = round(shares.reduce((sum, [, amount]) => sum + amount, 0));
    return `${label}: ${total} (${shares.map(([service, amount]) => `${service} ${amount}`).join(', ')})`;
  };
  const sum = (values: Record<string, number>) =>
    round(Object.values(values).reduce((total, value) => total + value, 0));
  return [
    line('PostgreSQL statements', (cost) => sum(cost.statements)),
    line('transactions (BEGIN … COMMIT)', (cost) => sum(cost.transactions)),
    line('HTTP requests answered', (cost) => cost.requests),
    line('HTTP body bytes in and out', (cost) => cost.bytes),
  ];
}

const round = (value: number) => Math.round(value * 10) / 10;
