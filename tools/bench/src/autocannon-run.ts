import autocannon from 'autocannon';

export type LoadFigures = {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  /** Answers outside 2xx, and requests that got no answer. */
  non2xx: number;
  errors: number;
};

/** `connections` clients keeping one request each in flight for `seconds`, as autocannon measures. */
export async function hammer(options: {
  url: string;
  connections: number;
  seconds: number;
  method?: 'GET' | 'POST';
  body?: unknown;
}): Promise<LoadFigures> {
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    method: options.method ?? 'GET',
    ...(options.body === undefined
      ? {}
      : { body: JSON.stringify(options.body), headers: { 'content-type': 'application/json' } }),
  });
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}
