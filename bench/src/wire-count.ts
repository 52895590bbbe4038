import { createServer, connect, type Socket } from 'node:net';

/**
 * A counting TCP proxy in front of PostgreSQL: it forwards every byte and
 * counts the SQL round trips clients send — a simple Query ('Q') or an
 * extended-protocol Sync ('S', one per Parse/Bind/Execute batch, which is how
 * node-postgres sends each parameterised query). Used on a second, separate
 * instance of the product to count statements per request independently of
 * the product's own counter; never in the path of the load measurements.
 */
export interface CountingProxy {
  port: number;
  roundTrips(): number;
  close(): Promise<void>;
}

export function startCountingProxy(upstream: { host: string; port: number }): Promise<CountingProxy> {
  let trips = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const pg = connect(upstream.port, upstream.host);
    sockets.add(client).add(pg);
    const drop = () => {
      client.destroy();
      pg.destroy();
      sockets.delete(client);
      sockets.delete(pg);
    };
    client.on('error', drop).on('close', drop);
    pg.on('error', drop).on('close', drop);
    pg.pipe(client);
    // Client → server: the startup packet has no type byte (length, then protocol); then type + length (itself included).
    let started = false;
    let pending: Buffer = Buffer.alloc(0);
    client.on('data', (chunk: Buffer) => {
      pg.write(chunk);
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      for (;;) {
        if (!started) {
          if (pending.length < 8) break;
          const len = pending.readInt32BE(0);
          if (pending.length < len) break;
          const code = pending.readInt32BE(4);
          pending = pending.subarray(len);
          // An SSLRequest (80877103) or GSSENCRequest (80877104) comes before the real startup packet.
          if (code !== 80877103 && code !== 80877104) started = true;
          continue;
        }
        if (pending.length < 5) break;
        const len = pending.readInt32BE(1);
        if (pending.length < 1 + len) break;
        const type = String.fromCharCode(pending[0]!);
        if (type === 'Q' || type === 'S') trips++;
        pending = pending.subarray(1 + len);
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as { port: number }).port,
        roundTrips: () => trips,
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    });
  });
}
