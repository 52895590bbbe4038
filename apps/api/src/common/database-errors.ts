/** How the database's own failures are told apart: by SQLSTATE, on the error or the driver error TypeORM wraps. */
function sqlState(err: unknown): unknown {
  return (err as { driverError?: { code?: unknown }; code?: unknown } | null)?.driverError?.code ?? (err as { code?: unknown } | null)?.code;
}

/** SQLSTATE class 22 (data exception): a value the database refuses as data, e.g. a NUL in text. */
export function isDataException(err: unknown): boolean {
  const code = sqlState(err);
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code);
}

/**
 * The database could not do it just now — a deadlock or serialization failure it
 * resolved by aborting us (class 40), or the connection went away (08, 57P01-03):
 * the client should retry, with its idempotency key where it has one.
 */
export function isTransientDatabaseError(err: unknown): boolean {
  const code = sqlState(err);
  if (typeof code === 'string' && /^(40[0-9A-Z]{3}|08[0-9A-Z]{3}|57P0[123])$/.test(code)) return true;
  const message = err instanceof Error ? err.message : '';
  return /Connection terminated|ECONNREFUSED|ECONNRESET|Client has encountered a connection error|timeout exceeded when trying to connect/i.test(message);
}

/** The SQLSTATE a guarded database function raised (e.g. `SPNFD`), if it was one of ours. */
export function raisedState(err: unknown): string | null {
  const code = sqlState(err);
  return typeof code === 'string' && /^SP[A-Z]{3}$/.test(code) ? code : null;
}
