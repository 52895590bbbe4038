import autocannon from 'autocannon';

export interface Load {
  url: string;
  connections: number;
  /** Seconds measured. */
  duration: number;
  headers: Record<string, string>;
  /** The body of each request; called once per request (the write scenario gives each request another group). */
  body: () => string;
}

export interface Measured {
  requests: number;
  /** Requests sent, those in flight at the end included. */
  sent: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  /** Responses whose JSON has `errors` (GraphQL errors, even with 200). */
  graphqlErrors: number;
  /** Connection errors and timeouts. */
  socketErrors: number;
  /** The first bad response's body, to show. */
  firstBad: string | null;
}

/** One autocannon run on loopback, bounded by duration; every response's body is read to count GraphQL errors. */
export async function drive(load: Load): Promise<Measured> {
  let graphqlErrors = 0;
  let firstBad: string | null = null;
  const result = await autocannon({
    url: `${load.url}/graphql`,
    connections: load.connections,
    duration: load.duration,
    pipelining: 1,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path: '/graphql',
        headers: { 'content-type': 'application/json', ...load.headers },
        setupRequest: (req) => ({ ...req, body: load.body() }),
        onResponse: (status, body) => {
          if (status < 200 || status >= 300 || body.includes('"errors"')) {
            if (status >= 200 && status < 300) graphqlErrors++;
            firstBad ??= `${status} ${body.slice(0, 500)}`;
          }
        },
      },
    ],
  });
  const requests = result.requests.total;
  return {
    requests,
    // Requests sent includes those still in flight when the time was up: the server finishes them all the same.
    sent: Math.max(result.requests.sent ?? requests, requests),
    rps: requests / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    graphqlErrors,
    socketErrors: result.errors + result.timeouts,
    firstBad,
  };
}
